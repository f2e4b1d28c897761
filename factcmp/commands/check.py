"""`check` and `schema`: keeping claim files valid."""

from __future__ import annotations

import sys

import click

from factcmp.commands.common import (
    EXIT_FINDINGS,
    claims_folder,
)
from factcmp.commands.options import (
    claims_dir_option,
    format_option,
    pick_format,
)

CHECK_EPILOG = """\b
Examples:
  factcmp check                       # the whole claims folder
  factcmp check claims/armenia.yaml   # one file
  factcmp check --strict --format github

Exit codes: 0 clean, 1 errors (or warnings, with --strict), 2 nothing to check.
Rules: docs/check.md.
"""


@click.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@claims_dir_option("Folder to check when no PATH is given (default: found as `diff` finds it).")
@click.option("--strict", is_flag=True, help="Warnings fail too; every topic must be listed.")
@format_option("check")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read topics.yaml afresh, without the parse cache (FACTCMP_CACHE_DIR).",
)
def check(
    paths: tuple[str, ...], claims_dir: str | None, strict: bool, fmt: str | None, no_cache: bool
) -> None:
    """Check claim files: every problem in every file, at file:line:col.

    PATHs are claim files, topics.yaml files or folders of them; with none, the
    claims folder. Exits 0 when clean, 1 when errors are found (warnings too with
    --strict), 2 when there is nothing to check.
    """
    from pathlib import Path

    from factcmp.cache import ParseCache, default_dir
    from factcmp.check.files import check as run_check
    from factcmp.render.formats import Output, write

    if not paths:
        targets = [claims_folder(claims_dir, "name files or folders to check")]
    else:
        targets = [Path(p) for p in paths]
    cache = None if no_cache else ParseCache(default_dir())
    report = run_check(targets, strict=strict, cache=cache)

    write("check", pick_format(fmt), Output(report))
    if report.failed(strict=strict):
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.option("--topics", "topics_file", is_flag=True, help="The schema of topics.yaml instead.")
@click.option(
    "--sources",
    "shared_file",
    is_flag=True,
    help="The schema of the shared sources.yaml instead.",
)
def schema(topics_file: bool, shared_file: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of a claim file.

    For editors: point the YAML language server at it, and claim files complete
    and validate as you type. Made from the same types the loader validates with;
    `factcmp check` checks more (see docs/check.md).
    """
    import json

    from factcmp.load.schema import ClaimFileSpec, SharedFileSpec, TopicsFileSpec, json_schema

    if topics_file and shared_file:
        raise click.UsageError("give --topics or --sources, not both")
    kind = TopicsFileSpec if topics_file else SharedFileSpec if shared_file else ClaimFileSpec
    click.echo(json.dumps(json_schema(kind), indent=2))
