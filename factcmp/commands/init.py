"""`init`: a new claims repository, ready to fill in."""

from __future__ import annotations

import re
import shlex

import click

from factcmp.commands.common import (
    EXIT_BAD_INPUT,
    BadInput,
)

INIT_EPILOG = """\b
Examples:
  factcmp init galwan --sides india,china,tass
  factcmp init . --sides hrw,un
  factcmp init blast --sides north,south --observers eastland,rights-watch
  factcmp init . --factcmp-requirement 'factcmp @ git+https://host/you/factcmp@v0.1.0'

Each side's name is guessed from its id (hrw: HRW, south-ossetia: South Ossetia):
check `side: name:` in each file. Exit codes: 0 written; 2 a file exists already
(nothing written; --force replaces a regular file, never a symbolic link), or bad
usage.
"""

_SIDE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@click.command(epilog=INIT_EPILOG)
@click.argument("folder", default=".", metavar="[DIR]")
@click.option(
    "--sides",
    default="north,south",
    show_default=True,
    metavar="A,B,...",
    help="The sides' ids, comma-separated: one claims/<side>.yaml each.",
)
@click.option(
    "--observers",
    default="",
    metavar="C,D,...",
    help="Sides that assess the dispute without being party to it (governments, rights "
    "groups, newsrooms' own analyses), comma-separated: their files say `role: observer`.",
)
@click.option(
    "--factcmp-requirement",
    "requirement",
    metavar="REQ",
    help="What the CI workflow gives pip to install factcmp, e.g. 'factcmp @ "
    "git+https://host/you/factcmp@v0.1.0' (default: the git URL and commit this "
    "factcmp was installed from, else factcmp==VERSION from PyPI).",
)
@click.option("--force", is_flag=True, help="Replace regular files that exist already.")
def init(folder: str, sides: str, observers: str, requirement: str | None, force: bool) -> None:
    """Start a claims repository in DIR: a claim file per side, topics.yaml and the
    shared sources.yaml, commented and valid as they stand, a GitHub Actions
    workflow, a pre-commit hook, JSON Schemas with editor settings, and a README for
    curators."""
    from pathlib import Path

    from factcmp.edit.scaffold import (
        Refused,
        check_requirement,
        default_requirement,
        files,
        side_name,
        write_new,
    )
    from factcmp.load.schema import ClaimFileSpec, SharedFileSpec, TopicsFileSpec, json_schema
    from factcmp.plain import display_path, escaped

    ids = _side_ids(sides)
    watching = _observer_ids(observers, ids)
    if requirement is not None and (why := check_requirement(requirement)) is not None:
        raise click.BadParameter(why, param_hint="'--factcmp-requirement'")
    requirement = requirement.strip() if requirement else default_requirement()
    root = Path(folder)
    claim_file, topics_file, shared_file = (
        json_schema(k) for k in (ClaimFileSpec, TopicsFileSpec, SharedFileSpec)
    )
    planned = files(ids, requirement, claim_file, topics_file, shared_file, observers=watching)
    try:
        write_new(root, planned, force=force)
    except Refused as exc:
        for name, why in exc.refused:
            click.echo(f"factcmp: {escaped(f'{display_path(root / name)} {why}')}", err=True)
        click.echo(f"factcmp: {exc}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except OSError as exc:
        raise BadInput(f"cannot write in {display_path(root)}: {exc.strerror or exc}") from None
    click.echo(f"wrote {len(planned)} files in {escaped(display_path(root))}:")
    for name in planned:
        click.echo(f"  {name}")
    guessed = ", ".join(f"{side}: {side_name(side)}" for side in (*ids, *watching))
    click.echo(f"the sides' names are guessed from their ids ({guessed}): check them")
    click.echo(f"CI installs factcmp with: pip install {escaped(shlex.quote(requirement))}")
    if requirement.startswith("factcmp=="):
        click.echo(
            "  (pip finds it only once factcmp is published on PyPI: until then, write "
            "where your factcmp comes from in the workflow's two `pip install` lines, "
            "'factcmp @ git+URL@TAG', or give init --factcmp-requirement)"
        )
    click.echo("next: fill in claims/*.yaml, then run factcmp check")


def _observer_ids(observers: str, parties: list[str]) -> tuple[str, ...]:
    """The ids of --observers: as --sides's, none of them a party too."""
    ids = [s.strip() for s in observers.split(",") if s.strip()]
    if not ids:
        return ()
    bad = [s for s in ids if not _SIDE.match(s)]
    if bad or len(set(ids)) != len(ids) or set(ids) & set(parties):
        raise click.BadParameter(
            "name each observer once, in lower-case letters, digits, - and _, and not as "
            "one of --sides too (e.g. --sides north,south --observers rights-watch)",
            param_hint="'--observers'",
        )
    _side_ids(",".join([*ids, *parties]))  # the names --sides refuses (topics, sources)
    return tuple(ids)


def _side_ids(sides: str) -> list[str]:
    """The ids of --sides, each fit to be a side's file name (usage error otherwise)."""
    from factcmp.load.discover import NOT_SIDES

    ids = [s.strip() for s in sides.split(",") if s.strip()]
    bad = [s for s in ids if not _SIDE.match(s)]
    if bad or len(ids) < 2 or len(set(ids)) != len(ids):
        raise click.BadParameter(
            "name two sides or more, once each, in lower-case letters, digits, - and _ "
            "(e.g. india,china)",
            param_hint="'--sides'",
        )
    reserved = [s for s in ids if any(s == name.rsplit(".", 1)[0] for name in NOT_SIDES)]
    if reserved:
        raise click.BadParameter(
            f"{', '.join(reserved)}: claims/topics.yaml holds the topics' labels and "
            "claims/sources.yaml the sources every side shares, so no side's file can "
            "have that name; name the side otherwise (e.g. topics-side)",
            param_hint="'--sides'",
        )
    return ids
