"""`sources check`: are the cited links alive and the quotes still on their pages?"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from factcmp.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
)
from factcmp.commands.options import (
    claims_dir_option,
    deadline_options,
    format_option,
    pick_format,
)

if TYPE_CHECKING:
    from factcmp.model import Side
    from factcmp.sources.cache import ResultsCache
    from factcmp.sources.limits import Limits
    from factcmp.sources.result import SourcesReport

SOURCES_EPILOG = """\b
Examples:
  factcmp sources check                    # the sources of every side
  factcmp sources check armenia            # one side, or a path to a .yaml file
  factcmp sources check --format github --fail-on unverifiable
  factcmp sources check --per-host 2 --deadline 60 --max-age 6h

Exit codes: 0 no link broken and no quote missing; 1 findings (a broken link, a
quote missing from its page, a link that is not a web address; with --fail-on
unverifiable, an unverifiable link too); 2 bad input or usage. Docs:
docs/sources.md.
"""


@click.group()
def sources() -> None:
    """Check the sources the claims cite: links and quotes."""


@sources.command("check", epilog=SOURCES_EPILOG)
@click.argument("sides", nargs=-1, metavar="[SIDE]...")
@claims_dir_option()
@format_option("sources check")
@click.option(
    "--fail-on",
    type=click.Choice(["broken", "unverifiable"]),
    default="broken",
    show_default=True,
    help="Exit 1 on broken links (and missing quotes), or on unverifiable links too.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    metavar="N",
    help="Requests in flight at once, over all sites.",
)
@click.option(
    "--per-host",
    type=click.IntRange(1, 1000),
    default=4,
    show_default=True,
    metavar="N",
    help="Requests in flight at once to one host name.",
)
@deadline_options("a URL")
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    metavar="N",
    help="Retries after a 429, 5xx, timeout or cut connection (backoff; Retry-After "
    "honoured up to 30 s).",
)
@click.option(
    "--max-redirects",
    type=click.IntRange(0, 50),
    default=10,
    show_default=True,
    metavar="N",
    help="Redirects followed per URL.",
)
@click.option(
    "--max-size",
    default="5MB",
    show_default=True,
    metavar="SIZE",
    help="Read at most this much of a page to look for quotes (512KB, 5MB, 1MiB).",
)
@click.option(
    "--max-age",
    default="1h",
    show_default=True,
    metavar="AGE",
    help="Reuse cached results younger than this (90s, 30m, 6h, 2d; 0: fetch all again).",
)
@click.option(
    "--cache-dir",
    metavar="DIR",
    help="Where results are cached (default: sources/ in factcmp's cache folder, "
    "FACTCMP_CACHE_DIR).",
)
@click.option("--no-cache", is_flag=True, help="Fetch every URL; read and keep no results.")
def sources_check(
    sides: tuple[str, ...],
    claims_dir: str | None,
    fmt: str | None,
    fail_on: str,
    workers: int,
    per_host: int,
    deadline: float,
    timeout: float,
    retries: int,
    max_redirects: int,
    max_size: str,
    max_age: str,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """Check that cited links are alive and quotes still on their pages.

    Every distinct `url` and `archived` link of the SIDEs' sources is fetched once
    (concurrently, politely) and found ok, broken or unverifiable (bot walls, rate
    limits, timeouts); every quote is looked for on its page, and on the archive
    copy to tell content drift. A SIDE is named as for `diff`; with none, every
    side in the claims folder.
    """
    from factcmp.load.discover import find_claims_dir, shared_file
    from factcmp.load.files import load_sides
    from factcmp.render.formats import Output, for_people, write
    from factcmp.sources.collect import side_files

    limits, age = _limits(
        workers, per_host, deadline, timeout, retries, max_redirects, max_size, max_age
    )
    folder = find_claims_dir(claims_dir)
    files = side_files(sides, folder)
    loaded = load_sides([(s.id, s.path) for s in files], None, shared_file(folder, files))
    cache = None if no_cache else _results_cache(cache_dir, age)
    fmt = pick_format(fmt)

    from factcmp.render.table import make_console

    console = make_console()
    progress = for_people("sources check", fmt) and console.is_terminal
    report = _checked(loaded, limits, cache, progress=progress)
    write("sources check", fmt, Output(report, console=console, fail_on=fail_on))
    if report.offline:
        click.echo("factcmp: no network: no link could be checked", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if report.failed(fail_on):
        sys.exit(EXIT_FINDINGS)


def _limits(
    workers: int,
    per_host: int,
    deadline: float,
    timeout: float,
    retries: int,
    max_redirects: int,
    max_size: str,
    max_age: str,
) -> tuple[Limits, float]:
    """The fetch limits and the results' maximum age, from the options as written."""
    from factcmp.sources.limits import Limits, parse_duration, parse_size

    try:
        max_bytes = parse_size(max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-size'") from None
    try:
        age = parse_duration(max_age)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-age'") from None
    limits = Limits(
        workers=workers,
        per_host=per_host,
        deadline=deadline,
        timeout=timeout,
        retries=retries,
        max_redirects=max_redirects,
        max_bytes=max_bytes,
    )
    return limits, age


def _results_cache(cache_dir: str | None, age: float) -> ResultsCache:
    from pathlib import Path

    from factcmp.sources.cache import ResultsCache, default_folder

    return ResultsCache(Path(cache_dir) if cache_dir else default_folder(), age)


def _checked(
    loaded: list[Side], limits: Limits, cache: ResultsCache | None, *, progress: bool
) -> SourcesReport:
    """Every link checked; with a bar on standard error when both it and standard
    output are terminals (`progress`: a format for people, to a terminal)."""
    from factcmp.render.table import make_console
    from factcmp.sources.check import check_sources

    err_console = make_console(sys.stderr)
    if not (progress and err_console.is_terminal):
        return check_sources(loaded, limits, cache=cache)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "checking links",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    task = bar.add_task("links", total=None)
    with bar:
        return check_sources(
            loaded,
            limits,
            cache=cache,
            on_start=lambda total, done: bar.update(task, total=total, completed=done),
            on_done=lambda _fetch: bar.advance(task),
        )
