"""`source URL`: a `sources:` entry for a news page, read from its metadata."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from factcmp.commands.common import (
    EXIT_BAD_INPUT,
    BadInput,
    claims_folder,
)
from factcmp.commands.options import (
    claims_dir_option,
    deadline_options,
)

if TYPE_CHECKING:
    from pathlib import Path

    from factcmp.sources.entry import Entry

SOURCE_EPILOG = """\b
Examples:
  factcmp source https://apnews.com/article/...            # print the entry
  factcmp source https://apnews.com/article/... --write    # add it to claims/sources.yaml
  factcmp source https://tass.com/politics/... --write russia --id tass-0913

Fields guessed rather than read from the page's metadata carry a comment saying so
(# guessed from <title>, # not found: fill in). Exit codes: 0 read (and written); 2
the page could not be read (a skeleton entry is still printed, nothing written), the
key exists already, the file does not parse, or bad usage. Docs: docs/sources.md.
"""

_SHARED = "\0shared"  # --write without a SIDE: the shared sources file


@click.command(epilog=SOURCE_EPILOG)
@click.argument("url", required=False, metavar="URL")
@click.option(
    "--id", "key", metavar="KEY", help="The source's key (default: outlet and date, ap-2022-09-14)."
)
@click.option(
    "--write",
    is_flag=False,
    flag_value=_SHARED,
    default=None,
    metavar="[SIDE]",
    help="Add the entry to claims/sources.yaml (created if missing), or with SIDE to "
    "claims/SIDE.yaml (a path to a .yaml file works too).",
)
@claims_dir_option()
@deadline_options("the page")
def source(
    url: str | None,
    key: str | None,
    write: str | None,
    claims_dir: str | None,
    deadline: float,
    timeout: float,
) -> None:
    """Print a `sources:` entry for the news page at URL, read from its metadata.

    The page is fetched as `sources check` fetches one (same limits, user agent and
    redirects); outlet, title, author, published and the canonical url come from its
    JSON-LD, OpenGraph and <meta> tags. With --write the entry is added to a claims
    file, changing no other byte of it.
    """
    from factcmp.plain import display_path, escaped
    from factcmp.sources import entry as entries
    from factcmp.sources.limits import Limits
    from factcmp.sources.meta import fetch_meta

    url, write = _the_url(url, write)
    target = None if write is None else _target(write, claims_dir)
    if key is not None:
        entries.check_key(key)
    taken = entries.keys_taken(target)  # keys in use -> the file defining them
    if key is not None and key in taken:
        shown = escaped(display_path(taken[key]))
        raise BadInput(f"{shown}: source {key!r} is there already: nothing written (--id)")

    read = fetch_meta(url, Limits(workers=1, per_host=1, deadline=deadline, timeout=timeout))
    key = key or entries.derive_key(read.meta, url, taken)
    if read.meta is None:
        _unread(url, key, read.problem, target)
    entry = entries.entry_from(read.meta, key)
    click.echo(entries.printed(entry), nl=False)
    if target is not None:
        _write(target, entry)


def _the_url(url: str | None, write: str | None) -> tuple[str, str | None]:
    """The URL and --write's value, `--write URL` read as --write and URL; a usage
    error when there is no URL, or it is not a web address."""
    from factcmp.load.urls import is_web_url
    from factcmp.plain import escaped

    if url is None and write is not None and "://" in write:
        url, write = write, _SHARED  # `--write URL`: the URL was taken for SIDE
    if url is None:
        raise click.UsageError("Missing argument 'URL'.")
    if not is_web_url(url) or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise click.BadParameter(
            f"{escaped(url)!r} is not a web address: give one starting with http:// or https://",
            param_hint="'URL'",
        )
    return url, write


def _unread(url: str, key: str, problem: str | None, target: Path | None) -> NoReturn:
    """The page could not be read: print a skeleton entry to fill in, say why, write
    nothing, exit 2."""
    from factcmp.plain import display_path, escaped
    from factcmp.sources import entry as entries

    click.echo(entries.printed(entries.skeleton(url, key)), nl=False)
    click.echo(f"factcmp: cannot read {url}: {escaped(problem or '')}", err=True)
    if target is not None:
        where = escaped(display_path(target))
        click.echo(
            f"factcmp: nothing written to {where}: fill in the entry above by hand "
            f"and add it under `sources:` there (or run this again online)",
            err=True,
        )
    sys.exit(EXIT_BAD_INPUT)


def _write(target: Path, entry: Entry) -> None:
    """Add the entry to `target` (one source --write or rename at a time), and say so."""
    from factcmp.edit.exact import ChangedMeanwhile
    from factcmp.edit.guard import FolderBusy, folder_lock
    from factcmp.load.discover import SHARED_FILES
    from factcmp.plain import display_path, escaped
    from factcmp.sources import entry as entries

    where = escaped(display_path(target))
    try:
        with folder_lock(target.parent):  # one source --write (or rename) at a time
            created = entries.add_to_file(target, entry, shared=target.name in SHARED_FILES)
    except ChangedMeanwhile as exc:
        raise BadInput(f"{escaped(str(exc))}; nothing written: run the command again") from None
    except FolderBusy as exc:
        raise BadInput(f"{escaped(str(exc))}; nothing written") from None
    except OSError as exc:
        raise BadInput(f"cannot write {where}: {exc.strerror or exc}; nothing written") from None
    if created:
        click.echo(f"factcmp: created {where} with source {entry.key}", err=True)
    else:
        click.echo(f"factcmp: added source {entry.key} to {where}", err=True)


def _target(write: str, claims_dir: str | None) -> Path:
    """The file --write names: the shared sources file, claims/SIDE.yaml, or a path."""
    from pathlib import Path

    from factcmp.load.discover import SHARED_FILES, first_file
    from factcmp.plain import display_path, escaped

    if write != _SHARED and write.endswith((".yaml", ".yml")):
        path = Path(write)
    else:
        folder = claims_folder(claims_dir, "run factcmp init to start one")
        if write == _SHARED:
            names = [folder / name for name in SHARED_FILES]
            return first_file(names) or names[0]
        names = [folder / f"{write}{suffix}" for suffix in (".yaml", ".yml")]
        path = first_file(names) or names[0]
    if not path.is_file():
        raise BadInput(
            f"no claim file {escaped(display_path(path))}: --write SIDE adds to a side's file"
        )
    if path.name not in SHARED_FILES and not _is_claim_file(path):
        raise BadInput(
            f"{escaped(display_path(path))} is not a side's claim file (it has no `side:`): "
            "--write SIDE adds to a side's file, and --write alone to claims/sources.yaml"
        )
    return path


def _is_claim_file(path: Path) -> bool:
    """Whether `path` holds a side's claim file (a mapping with `side:`); a file that
    does not parse counts as one here (adding to it is refused with its problem)."""
    from factcmp.load.files import read_document
    from factcmp.problems import InputError

    try:
        value = read_document(path).value
    except InputError:
        return True
    return isinstance(value, dict) and "side" in value
