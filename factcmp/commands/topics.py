"""`topics list|suggest|rename`: the topic keys in use, which one-sided topics may be
another side's under another key, and renaming a key safely."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from factcmp.commands.common import (
    BadInput,
    claims_folder,
    inert,
)
from factcmp.commands.options import (
    claims_dir_option,
    format_option,
)

if TYPE_CHECKING:
    from pathlib import Path

    from factcmp.edit.exact import Change

TOPICS_EPILOG = """\b
Examples:
  factcmp topics list                         # every topic key in use
  factcmp topics suggest armenia azerbaijan   # one-sided topics that may be the same
  factcmp topics rename deaths casualties.military --side azerbaijan --dry-run

Exit codes: 0 fine; 2 bad input (a claim file with problems) or usage, or a rename
refused. Docs: docs/topics.md.
"""


@click.group(
    epilog=TOPICS_EPILOG, short_help="List topic keys, find one topic under two keys, rename."
)
def topics() -> None:
    """The topic keys in use; topics that may be the same under two keys; renaming."""


@topics.command("list", epilog=TOPICS_EPILOG)
@click.argument("sides", nargs=-1, metavar="[SIDE]...")
@claims_dir_option()
@format_option("topics list")
@click.option("--no-cache", is_flag=True, help="Read every file afresh, without the cache.")
def list_topics(sides: tuple[str, ...], claims_dir: str | None, fmt: str, no_cache: bool) -> None:
    """Every topic key the SIDEs use: its label (or that topics.yaml lacks it), how
    many claims each side has on it, and its verdict."""
    from factcmp.load.files import collector_paused
    from factcmp.pipeline import compare_all  # its only notice is --as-of's: none here
    from factcmp.render.formats import Output, write

    with collector_paused():
        loaded = compare_all(sides, claims_dir, no_cache)
        write("topics list", fmt, Output(loaded.comparison))


@topics.command("suggest", epilog=TOPICS_EPILOG)
@click.argument("sides", nargs=-1, metavar="[SIDE]...")
@claims_dir_option()
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    metavar="N",
    help="At most N candidates per topic.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=None,
    metavar="S",
    help="Leave out candidates scoring below S, in [0, 1] (default: 0.3).",
)
@format_option("topics suggest")
def suggest_topics(
    sides: tuple[str, ...], claims_dir: str | None, top: int, min_score: float | None, fmt: str
) -> None:
    """For every topic that some SIDEs speak to and others do not, the other sides'
    topics it may be the same as, best first, with a score and the reasons.

    factcmp suggests; the curator decides, then renames one key to the other with
    `factcmp topics rename`. Same files, same output.
    """
    from factcmp.compare.suggest import DEFAULT_MIN_SCORE, suggest
    from factcmp.load.files import collector_paused
    from factcmp.pipeline import load_all
    from factcmp.render.formats import Output, write

    with collector_paused():
        loaded, topic_list = load_all(sides, claims_dir)
        found = suggest(
            loaded,
            topic_list,
            top=top,
            min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
        )
    write("topics suggest", fmt, Output((loaded, topic_list, found)))


@topics.command("rename", epilog=TOPICS_EPILOG)
@click.argument("old")
@click.argument("new")
@claims_dir_option()
@click.option(
    "--side",
    "only",
    multiple=True,
    metavar="SIDE",
    help="Rename only in this side's claims (repeatable; default: every side).",
)
@click.option("--dry-run", is_flag=True, help="Print the change as a unified diff; write nothing.")
@click.option(
    "--merge",
    is_flag=True,
    help="NEW is already in topics.yaml with another label: keep NEW's entry, drop OLD's.",
)
def rename_topic(
    old: str, new: str, claims_dir: str | None, only: tuple[str, ...], dry_run: bool, merge: bool
) -> None:
    """Rename topic OLD to NEW in the claim files and topics.yaml, in place.

    Only the key's characters change: comments, order, quoting and every other byte
    stay. Every file is written, or none: nothing is written when a file has problems
    or the rename is refused (exit 2).
    """
    from factcmp.edit.guard import folder_lock

    folder = claims_folder(claims_dir, "name the folder of the claim files")
    with folder_lock(folder):  # one rename (or source --write) at a time
        changes = _rename(folder, old, new, only, merge, write=not dry_run)
    if dry_run:
        from factcmp.edit.exact import unified_diff

        click.echo(unified_diff(changes), nl=False)
        return
    from factcmp.plain import display_path

    names = ", ".join(display_path(c.path) for c in changes)
    click.echo(inert(f"renamed {old!r} to {new!r} in {len(changes)} file(s): {names}"))


def _rename(
    folder: Path, old: str, new: str, only: tuple[str, ...], merge: bool, *, write: bool
) -> list[Change]:
    """The rename's changes, written when `write`; BadInput for what is refused."""
    from factcmp.edit.exact import ChangedMeanwhile, PartialWrite, write_all
    from factcmp.edit.rename import plan_rename
    from factcmp.load.discover import available_sides, shared_file, topics_file

    files = available_sides(folder)
    changes = plan_rename(
        [(f.id, f.path) for f in files],
        topics_file(folder, files),
        old,
        new,
        only=only,
        merge=merge,
        shared_path=shared_file(folder, files),
    )
    if not write:
        return changes
    try:
        write_all(changes)
    except ChangedMeanwhile as exc:
        raise BadInput(inert(f"{exc}; {_left(exc.done, exc.total)}")) from None
    except PartialWrite as exc:
        raise BadInput(f"cannot write: {exc.strerror}; {_left(exc.done, exc.total)}") from None
    except OSError as exc:
        raise BadInput(f"cannot write: {exc.strerror or exc}; nothing was changed") from None
    return changes


def _left(done: int, total: int) -> str:
    """What a write stopped at file `done` of `total` left, and what to do."""
    if done == 0:
        return "nothing was renamed: run the rename again"
    return f"{done} of {total} files were renamed before: run the same rename again to finish"
