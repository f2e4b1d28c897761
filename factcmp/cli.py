"""The `factcmp` command line: parses options, calls the library, picks a renderer.

Kept thin and import-light: each command imports what it needs when it runs, so
`factcmp --version` and `factcmp --help` pay only for click.

Exit codes: 0 fine; 1 findings (with `diff --exit-code`: a contradiction shown);
2 bad input (a claim file with problems) or bad usage.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import click

from factcmp import __version__

if TYPE_CHECKING:
    from factcmp.problems import Problem
    from factcmp.result import Comparison, TopicIndex

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
VERDICT_WORDS = ("contradiction", "discrepancy", "agreement", "unjudged", "one-sided")
EPILOG = """\b
Examples:
  factcmp diff armenia azerbaijan
  factcmp diff armenia azerbaijan russia --only contradiction,discrepancy
  factcmp diff armenia azerbaijan --format json > result.json
  factcmp diff --topic casualties --as-of 2022-09-14
  factcmp diff claims/armenia.yaml claims/azerbaijan.yaml
  factcmp brief armenia azerbaijan -o brief.md
  factcmp check

Exit codes: 0 fine, 1 findings (diff --exit-code: a contradiction shown),
2 bad input or usage. Docs: docs/format.md (claim files), docs/json.md.
"""


BRIEF_EPILOG = """\b
Examples:
  factcmp brief armenia azerbaijan > brief.md
  factcmp brief armenia azerbaijan -o brief.md --date 2022-09-15
  factcmp brief armenia azerbaijan --only contradiction --title "Where they clash"
"""


CHECK_EPILOG = """\b
Examples:
  factcmp check                       # the whole claims folder
  factcmp check claims/armenia.yaml   # one file
  factcmp check --strict --format github

Exit codes: 0 clean, 1 errors (or warnings, with --strict), 2 nothing to check.
Rules: docs/check.md.
"""


class BadInput(click.ClickException):
    """A problem with the user's files: exit 2, like a usage error."""

    exit_code = EXIT_BAD_INPUT


def _report_problems(problems: list[Problem]) -> NoReturn:
    from factcmp.render.safe import inert

    for problem in problems:
        click.echo(inert(str(problem)), err=True)
    files = len({p.file for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    click.echo(
        f"factcmp: {len(problems)} {noun} in {files} file{'s' if files != 1 else ''}; "
        f"fix {'it' if len(problems) == 1 else 'them'} and run again",
        err=True,
    )
    sys.exit(EXIT_BAD_INPUT)


def _inert(text: str) -> str:
    from factcmp.render.safe import inert

    return inert(text)


def _parse_only(_ctx: click.Context, _param: click.Parameter, value: str | None) -> set[str]:
    if not value:
        return set(VERDICT_WORDS)
    plurals = {"contradictions": "contradiction", "discrepancies": "discrepancy",
               "agreements": "agreement"}  # fmt: skip
    words = {plurals.get(w, w) for w in (w.strip().lower() for w in value.split(",")) if w}
    if not words:
        raise click.BadParameter(f"name at least one verdict: {', '.join(VERDICT_WORDS)}")
    unknown = sorted(words - set(VERDICT_WORDS))
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: choose from {', '.join(VERDICT_WORDS)} (comma-separated)"
        )
    return words


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD") from None


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(__version__, "-V", "--version", prog_name="factcmp")
def main() -> None:
    """Compare what the sides of a dispute claim.

    Reads hand-curated YAML claim files, one per side (claims/armenia.yaml,
    claims/azerbaijan.yaml), matches claims on the same topic across sides and
    shows where the sides contradict each other, where they agree, and what only
    one side says.
    """


F = TypeVar("F", bound=Callable[..., Any])


def selection_options(command: F) -> F:
    """The options every comparing command shares: which sides, topics, verdicts."""
    decorators = [
        click.argument("sides", nargs=-1, metavar="[SIDE]..."),
        click.option(
            "--claims-dir",
            envvar="FACTCMP_CLAIMS",
            metavar="DIR",
            help="Folder of claim files (default: ./claims, or the nearest parent's claims/). "
            "Env: FACTCMP_CLAIMS.",
        ),
        click.option(
            "--only",
            callback=_parse_only,
            metavar="VERDICTS",
            help="Show only these verdicts, comma-separated: " + ",".join(VERDICT_WORDS) + ".",
        ),
        click.option(
            "--topic",
            "topics",
            multiple=True,
            metavar="TOPIC",
            help="Show only this topic; a parent (casualties) or a glob (casualties.*) works. "
            "Repeatable.",
        ),
        click.option(
            "--as-of",
            callback=_parse_date,
            metavar="DATE",
            help="Compare what each side had claimed by this date (YYYY-MM-DD); "
            "undated claims are left out.",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Read every file afresh, without the parse cache (FACTCMP_CACHE_DIR).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


class Selected(NamedTuple):
    comparison: Comparison
    files: list[str]


def _compare_selected(
    sides: tuple[str, ...],
    claims_dir: str | None,
    only: set[str],
    topics: tuple[str, ...],
    as_of: dt.date | None,
    no_cache: bool,
) -> Selected:
    """Find, load and compare the sides; keep the verdicts and topics asked for."""
    from factcmp.cache import ParseCache, default_dir
    from factcmp.discover import DiscoveryError, find_claims_dir, resolve_sides, topics_file
    from factcmp.pipeline import compare_files
    from factcmp.problems import InputError
    from factcmp.result import Verdict
    from factcmp.select import narrow, topic_matches

    try:
        folder = find_claims_dir(claims_dir)
        side_files = resolve_sides(list(sides), folder)
    except DiscoveryError as exc:
        raise click.UsageError(_inert(str(exc))) from None

    cache = None if no_cache else ParseCache(default_dir())
    topics_path = topics_file(folder, side_files)
    try:
        result = compare_files(
            [(s.id, s.path) for s in side_files], topics_path, as_of=as_of, cache=cache
        )
    except InputError as exc:
        _report_problems(exc.problems)
    if result.undated:
        click.echo(
            f"factcmp: --as-of {as_of}: {result.undated} undated claim(s) left out", err=True
        )

    comparison = result.comparison
    index = comparison.index()
    if topics_path:
        _warn_unlisted_topics(index, topics_path)
    comparison = narrow(
        comparison,
        only={Verdict(word) for word in only},
        topics=topics,
        as_of=as_of,
        undated=result.undated,
    )
    every_topic = [entry.key for entry in index]
    if topics and not any(topic_matches(key, topics) for key in every_topic):
        click.echo(
            _inert(
                f"factcmp: no topic matches --topic {' '.join(topics)}; the topics are: "
                + ", ".join(sorted(every_topic))
            ),
            err=True,
        )
    elif not comparison.topics and every_topic:
        click.echo(
            f"factcmp: the selection (--only, --topic) leaves none of the {len(every_topic)} "
            "topics",
            err=True,
        )
    files = [str(s.path) for s in side_files]
    if topics_path:
        files.append(str(topics_path))
    return Selected(comparison, files)


def _warn_unlisted_topics(index: list[TopicIndex], path: Any) -> None:
    """A misspelt topic silently splits one comparison in two: say so on stderr."""
    listed = [entry.key for entry in index if entry.listed]
    for entry in index:
        key = entry.key
        if not entry.listed:
            import difflib

            from factcmp.render.safe import inert

            close = difflib.get_close_matches(key, listed, n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            click.echo(inert(f"factcmp: warning: topic {key!r} is not in {path}{hint}"), err=True)


@main.command(epilog=EPILOG, short_help="Show where the sides contradict or agree.")
@selection_options
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 1 when a contradiction is shown (as `git diff --exit-code` does).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format: a table for people, JSON (docs/json.md) or CSV for scripts.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="Show at most N topics in the table (strongest verdicts first; 0: all). "
    "JSON and CSV always hold every topic.",
)
def diff(
    sides: tuple[str, ...],
    claims_dir: str | None,
    only: set[str],
    topics: tuple[str, ...],
    as_of: dt.date | None,
    no_cache: bool,
    exit_code: bool,
    fmt: str,
    limit: int,
) -> None:
    """Show where the SIDEs contradict each other, agree, or speak alone.

    A SIDE is the name of a claim file in the claims folder (armenia for
    claims/armenia.yaml) or a path to a .yaml file. With no SIDE, every side in
    the claims folder is compared.
    """
    from factcmp.load import collector_paused
    from factcmp.result import Verdict

    with collector_paused():
        comparison = _compare_selected(sides, claims_dir, only, topics, as_of, no_cache).comparison
        if fmt == "json":
            from factcmp.render.jsonout import render_json

            click.echo(render_json(comparison), nl=False)
        elif fmt == "csv":
            from factcmp.render.csvout import render_csv
            from factcmp.render.safe import one_line
            from factcmp.render.words import selection_words

            click.echo(render_csv(comparison), nl=False)
            narrowed = selection_words(comparison)
            if narrowed:  # a CSV file has no place for it: say it beside
                click.echo(f"factcmp: narrowed: {one_line(narrowed)}", err=True)
        else:
            from factcmp.render.table import make_console, render_table

            render_table(comparison, make_console(), limit=limit or None)

    if exit_code and any(t.verdict is Verdict.CONTRADICTION for t in comparison.topics):
        sys.exit(EXIT_FINDINGS)


@main.command(epilog=BRIEF_EPILOG)
@selection_options
@click.option(
    "-o",
    "--output",
    default="-",
    metavar="FILE",
    help="Write the brief to FILE (atomically: the old file or the new, never half); "
    "- is standard output (the default).",
)
@click.option(
    "--title", metavar="TEXT", help="The brief's title (default: 'A vs B: what each side claims')."
)
@click.option(
    "--date",
    "date",
    callback=_parse_date,
    metavar="DATE",
    help="The generation date to print (YYYY-MM-DD; default: today), for reproducible briefs.",
)
@click.option("--caveat", metavar="TEXT", help="The closing caveat, instead of the default one.")
@click.option("--no-caveat", is_flag=True, help="Leave the closing caveat out.")
def brief(
    sides: tuple[str, ...],
    claims_dir: str | None,
    only: set[str],
    topics: tuple[str, ...],
    as_of: dt.date | None,
    no_cache: bool,
    output: str,
    title: str | None,
    date: dt.date | None,
    caveat: str | None,
    no_caveat: bool,
) -> None:
    """Write a markdown brief of what the SIDEs claim, for editors.

    The same comparison as `diff`, as GitHub-flavoured markdown: a summary, a
    section per verdict with every claim attributed and referenced, the sources,
    and a caveat that the claims are attributed, not verified.
    """
    from pathlib import Path

    from factcmp.load import collector_paused
    from factcmp.provenance import provenance
    from factcmp.render.brief import DEFAULT_CAVEAT, render_brief

    with collector_paused():
        selection = _compare_selected(sides, claims_dir, only, topics, as_of, no_cache)
        text = render_brief(
            selection.comparison,
            date=date or dt.date.today(),
            title=title,
            provenance=provenance(selection.files),
            caveat=None if no_caveat else (caveat if caveat is not None else DEFAULT_CAVEAT),
        )
    if output == "-":
        click.echo(text, nl=False)
        return
    from factcmp.atomic import write_atomic

    try:
        write_atomic(Path(output), text)
    except OSError as exc:
        raise BadInput(f"cannot write {output}: {exc.strerror or exc}") from None


@main.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--claims-dir",
    envvar="FACTCMP_CLAIMS",
    metavar="DIR",
    help="Folder to check when no PATH is given (default: found as `diff` finds it).",
)
@click.option("--strict", is_flag=True, help="Warnings fail too; every topic must be listed.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="text for people (the default), json for scripts, github for GitHub Actions "
    "annotations (the default when GITHUB_ACTIONS=true).",
)
def check(paths: tuple[str, ...], claims_dir: str | None, strict: bool, fmt: str | None) -> None:
    """Check claim files: every problem in every file, at file:line:col.

    PATHs are claim files, topics.yaml files or folders of them; with none, the
    claims folder. Exits 0 when clean, 1 when errors are found (warnings too with
    --strict), 2 when there is nothing to check.
    """
    import os
    from pathlib import Path

    from factcmp.check import NothingToCheck
    from factcmp.check import check as run_check
    from factcmp.discover import DiscoveryError, find_claims_dir

    if not paths:
        try:
            folder = find_claims_dir(claims_dir)
        except DiscoveryError as exc:
            raise click.UsageError(str(exc)) from None
        if folder is None:
            raise click.UsageError(
                "no claims directory found: name files or folders to check, or run in a "
                "folder that has claims/ (or set --claims-dir / FACTCMP_CLAIMS)"
            )
        targets = [folder]
    else:
        targets = [Path(p) for p in paths]
    try:
        report = run_check(targets, strict=strict)
    except NothingToCheck as exc:
        raise click.UsageError(str(exc)) from None

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt == "json":
        from factcmp.render.findings import render_json

        click.echo(render_json(report), nl=False)
    elif fmt == "github":
        from factcmp.render.findings import render_github

        click.echo(render_github(report), nl=False)
    else:
        from factcmp.render.findings import render_text
        from factcmp.render.table import make_console

        render_text(report, make_console())
    if report.failed(strict=strict):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.option("--topics", "topics_file", is_flag=True, help="The schema of topics.yaml instead.")
def schema(topics_file: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of a claim file.

    For editors: point the YAML language server at it, and claim files complete
    and validate as you type. Made from the same types the loader validates with;
    `factcmp check` checks more (see docs/check.md).
    """
    import json

    from factcmp.schema import ClaimFileSpec, TopicsFileSpec, json_schema

    kind = TopicsFileSpec if topics_file else ClaimFileSpec
    click.echo(json.dumps(json_schema(kind), indent=2))


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


@main.group()
def sources() -> None:
    """Check the sources the claims cite: links and quotes."""


@sources.command("check", epilog=SOURCES_EPILOG)
@click.argument("sides", nargs=-1, metavar="[SIDE]...")
@click.option(
    "--claims-dir",
    envvar="FACTCMP_CLAIMS",
    metavar="DIR",
    help="Folder of claim files (default: found as `diff` finds it). Env: FACTCMP_CLAIMS.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="text for people (the default), json for scripts, github for GitHub Actions "
    "annotations (the default when GITHUB_ACTIONS=true).",
)
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
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a URL after this long, redirects, retries and waits included.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on one connect or read that gets nothing for this long.",
)
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
    import os
    from pathlib import Path

    from factcmp.discover import DiscoveryError, find_claims_dir
    from factcmp.load import load_sides
    from factcmp.problems import InputError
    from factcmp.render.safe import inert
    from factcmp.sources.cache import ResultsCache, default_folder
    from factcmp.sources.check import check_sources
    from factcmp.sources.collect import side_files
    from factcmp.sources.limits import Limits, parse_duration, parse_size

    try:
        max_bytes = parse_size(max_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-size'") from None
    try:
        age = parse_duration(max_age)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-age'") from None
    try:
        files = side_files(sides, find_claims_dir(claims_dir))
    except DiscoveryError as exc:
        raise click.UsageError(inert(str(exc))) from None
    try:
        loaded = load_sides([(s.id, s.path) for s in files])
    except InputError as exc:
        _report_problems(exc.problems)

    limits = Limits(
        workers=workers,
        per_host=per_host,
        deadline=deadline,
        timeout=timeout,
        retries=retries,
        max_redirects=max_redirects,
        max_bytes=max_bytes,
    )
    cache = (
        None if no_cache else ResultsCache(Path(cache_dir) if cache_dir else default_folder(), age)
    )
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"

    from factcmp.render.table import make_console

    console = make_console()
    err_console = make_console(sys.stderr)
    if fmt == "text" and console.is_terminal and err_console.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        progress = Progress(
            "checking links",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        )
        task = progress.add_task("links", total=None)
        with progress:
            report = check_sources(
                loaded,
                limits,
                cache=cache,
                on_start=lambda total, done: progress.update(task, total=total, completed=done),
                on_done=lambda _fetch: progress.advance(task),
            )
    else:
        report = check_sources(loaded, limits, cache=cache)

    if fmt == "json":
        from factcmp.render.sources import render_json

        click.echo(render_json(report), nl=False)
    elif fmt == "github":
        from factcmp.render.sources import render_github

        click.echo(render_github(report, fail_on), nl=False)
    else:
        from factcmp.render.sources import render_text

        render_text(report, console)
    if report.failed(fail_on):
        sys.exit(EXIT_FINDINGS)
