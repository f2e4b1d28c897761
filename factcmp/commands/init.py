"""`init`: a new claims repository, ready to fill in."""

from __future__ import annotations

import re

import click

from factcmp.commands.common import EXIT_BAD_INPUT, BadInput

INIT_EPILOG = """\\b
Examples:
  factcmp init galwan --sides india,china,tass
  factcmp init . --sides armenia,azerbaijan

Exit codes: 0 written; 2 a file exists already (nothing written; --force replaces
it), or bad usage.
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
@click.option("--force", is_flag=True, help="Replace files that exist already.")
def init(folder: str, sides: str, force: bool) -> None:
    """Start a claims repository in DIR: a claim file per side, topics.yaml and the
    shared sources.yaml, commented and valid as they stand, a GitHub Actions
    workflow, a pre-commit hook, JSON Schemas with editor settings, and a README for
    curators."""
    from pathlib import Path

    from factcmp.atomic import write_atomic
    from factcmp.plain import display_path, escaped
    from factcmp.scaffold import files
    from factcmp.schema import ClaimFileSpec, SharedFileSpec, TopicsFileSpec, json_schema

    ids = [s.strip() for s in sides.split(",") if s.strip()]
    bad = [s for s in ids if not _SIDE.match(s)]
    if bad or len(ids) < 2 or len(set(ids)) != len(ids):
        raise click.BadParameter(
            "name two sides or more, once each, in lower-case letters, digits, - and _ "
            "(e.g. india,china)",
            param_hint="'--sides'",
        )
    root = Path(folder)
    schemas = (json_schema(k) for k in (ClaimFileSpec, TopicsFileSpec, SharedFileSpec))
    planned = files(ids, *schemas)
    existing = [name for name in planned if (root / name).exists()]
    if existing and not force:
        for name in existing:
            click.echo(f"factcmp: {escaped(display_path(root / name))} exists", err=True)
        click.echo(
            f"factcmp: {len(existing)} file(s) exist already: nothing written "
            "(--force replaces them)",
            err=True,
        )
        raise SystemExit(EXIT_BAD_INPUT)
    try:
        for name, text in planned.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
    except OSError as exc:
        raise BadInput(f"cannot write in {display_path(root)}: {exc.strerror or exc}") from None
    click.echo(f"wrote {len(planned)} files in {escaped(display_path(root))}:")
    for name in planned:
        click.echo(f"  {name}")
    click.echo("next: fill in claims/*.yaml, then run factcmp check")
