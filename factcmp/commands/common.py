"""What the commands share: exit codes, the error for bad input, option parsers, the
options every comparing command takes, and loading plus narrowing a comparison.

Import-light, as cli.py is: whatever a command needs is imported when it runs.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import click

from factcmp.exits import ExitStatus

if TYPE_CHECKING:
    from pathlib import Path

    from factcmp.load.discover import SideFile
    from factcmp.model import Side, Topic
    from factcmp.pipeline import Result
    from factcmp.problems import Problem
    from factcmp.result import Comparison, TopicIndex

# The exit statuses (factcmp.problems.ExitStatus). Ended by a signal (Ctrl-C: SIGINT,
# kill: SIGTERM, a closed terminal: SIGHUP): 128 + its number, as a shell reports it. A
# reader that closed standard output early (`factcmp diff | head`) ends the run as
# SIGPIPE ends cat or grep: 141, silently.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = ExitStatus.OK, ExitStatus.FINDINGS, ExitStatus.BAD_INPUT
EXIT_SIGNAL_BASE, EXIT_CLOSED_PIPE = ExitStatus.SIGNAL_BASE, ExitStatus.CLOSED_PIPE
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
2 bad input or usage, 130 Ctrl-C, 141 output closed early (docs/cli.md).
Docs: docs/format.md (claim files), docs/json.md.
"""


class BadInput(click.ClickException):
    """A problem with the user's files: exit 2, like a usage error."""

    exit_code = EXIT_BAD_INPUT


def report_problems(problems: list[Problem]) -> NoReturn:
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


def inert(text: str) -> str:
    from factcmp.render.safe import inert

    return inert(text)


def parse_only(_ctx: click.Context, _param: click.Parameter, value: str | None) -> set[str]:
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


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD") from None


F = TypeVar("F", bound=Callable[..., Any])


def claims_dir_option(
    help: str = "Folder of claim files (default: ./claims, or the nearest parent's claims/). "
    "Env: FACTCMP_CLAIMS.",
) -> Callable[[F], F]:
    """--claims-dir: where the claim files are, for every command that reads them."""
    return click.option("--claims-dir", envvar="FACTCMP_CLAIMS", metavar="DIR", help=help)


def claims_folder(claims_dir: str | None, what: str) -> Path:
    """The claims folder (as `find_claims_dir` finds it), or a usage error (exit 2)
    that says what else the command takes: `what`, e.g. "name files or folders to
    check"."""
    from factcmp.load.discover import find_claims_dir

    folder = find_claims_dir(claims_dir)
    if folder is None:
        raise click.UsageError(
            f"no claims directory found: {what}, or run in a folder that has claims/ "
            "(or below one), or set --claims-dir / FACTCMP_CLAIMS"
        )
    return folder


def deadline_options(what: str) -> Callable[[F], F]:
    """--deadline and --timeout, for the commands that fetch pages; `what` is what
    the deadline is for ("a URL", "the page")."""

    def decorate(function: F) -> F:
        function = click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=10.0,
            show_default=True,
            metavar="SECONDS",
            help="Give up on one connect or read that gets nothing for this long.",
        )(function)
        return click.option(
            "--deadline",
            type=click.FloatRange(min=0, min_open=True),
            default=30.0,
            show_default=True,
            metavar="SECONDS",
            help=f"Give up on {what} after this long, redirects, retries and waits included.",
        )(function)

    return decorate


def format_option(choices: list[str], help: str, default: str | None = "table") -> Callable[[F], F]:
    """--format, as every command spells it (the value reaches the command as `fmt`);
    with no default (None), the command picks one (pick_format)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help=help,
    )


def annotations_format_option() -> Callable[[F], F]:
    """--format text|json|github, for the commands that report findings (check, sources)."""
    return format_option(
        ["text", "json", "github"],
        "text for people (the default), json for scripts, github for GitHub Actions "
        "annotations (the default when GITHUB_ACTIONS=true).",
        default=None,
    )


def output_options(table_help: str, limit_help: str) -> Callable[[F], F]:
    """--format table|json|csv and --limit N, for the commands that print a table of
    topics (diff, timeline)."""

    def decorate(command: F) -> F:
        command = click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=50,
            show_default=True,
            metavar="N",
            help=limit_help,
        )(command)
        return format_option(["table", "json", "csv"], table_help)(command)

    return decorate


def since_option() -> Callable[[F], F]:
    """--since REV, for the commands that can say what changed since a revision."""
    return click.option(
        "--since",
        metavar="REV",
        help="Also say what changed since REV, a git revision (or REV1..REV2): claims "
        "added, removed, changed, and verdicts that changed (docs/changes.md).",
    )


def pick_format(fmt: str | None) -> str:
    """The format asked for, else github annotations under GitHub Actions, else text."""
    import os

    if fmt is not None:
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


class Asked(NamedTuple):
    """What a comparing command was asked to compare and show (selection_options)."""

    sides: tuple[str, ...]
    claims_dir: str | None
    only: set[str]
    topics: tuple[str, ...]
    as_of: dt.date | None
    no_cache: bool


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every comparing command shares: which sides, topics, verdicts. The
    command receives them as one `asked` (an Asked), before its own options."""

    @functools.wraps(command)
    def gathered(**options: Any) -> Any:
        asked = Asked(*(options.pop(name) for name in Asked._fields))
        return command(asked, **options)

    decorators = [
        click.argument("sides", nargs=-1, metavar="[SIDE]..."),
        claims_dir_option(),
        click.option(
            "--only",
            callback=parse_only,
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
            callback=parse_date,
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
    wrapped: Callable[..., Any] = gathered
    for decorator in reversed(decorators):
        wrapped = decorator(wrapped)
    return wrapped


class Selected(NamedTuple):
    comparison: Comparison
    files: list[str]
    hint: str | None = None  # one-sided topics that may be another side's


def rename_hint(maybe_same: int, sides: tuple[str, ...], claims_dir: str | None) -> str | None:
    """The line `diff` and `brief` print when one-sided topics may be another side's
    under another key (factcmp.compare.suggest.likely_renames); None when none may be."""
    import shlex

    if not maybe_same:
        return None
    words = ["factcmp", "topics", "suggest", *sides]
    if claims_dir:
        words += ["--claims-dir", claims_dir]
    command = shlex.join(words)
    if maybe_same < 0:
        return (
            "too many one-sided topics to look through here for another side's topic under "
            f"another key: {command} lists them"
        )
    many = maybe_same != 1
    return (
        f"{maybe_same} one-sided topic{'s' if many else ''} may be the same as another "
        f"side's: {command}"
    )


class Compared(NamedTuple):
    result: Result
    side_files: list[SideFile]
    topics_path: Path | None
    shared_path: Path | None = None

    @property
    def comparison(self) -> Comparison:
        return self.result.comparison


def _find_sides(
    sides: tuple[str, ...], claims_dir: str | None
) -> tuple[Path | None, list[SideFile]]:
    from factcmp.load.discover import find_claims_dir, resolve_sides

    folder = find_claims_dir(claims_dir)
    return folder, resolve_sides(list(sides), folder)


def compare_all(
    sides: tuple[str, ...], claims_dir: str | None, no_cache: bool, *, as_of: dt.date | None = None
) -> Compared:
    """Find, load and compare the sides, every topic (with the caches)."""
    from factcmp.cache import ParseCache, default_dir
    from factcmp.load.discover import shared_file, topics_file
    from factcmp.pipeline import compare_files

    folder, side_files = _find_sides(sides, claims_dir)
    cache = None if no_cache else ParseCache(default_dir())
    topics_path = topics_file(folder, side_files)
    shared_path = shared_file(folder, side_files)
    result = compare_files(
        [(s.id, s.path) for s in side_files],
        topics_path,
        as_of=as_of,
        cache=cache,
        shared_path=shared_path,
    )
    if result.undated:
        click.echo(
            f"factcmp: --as-of {as_of}: {result.undated} undated claim(s) left out", err=True
        )
    return Compared(result, side_files, topics_path, shared_path)


def load_all(sides: tuple[str, ...], claims_dir: str | None) -> tuple[list[Side], dict[str, Topic]]:
    """Find and load the sides, with every claim, and topics.yaml (with the parse cache)."""
    from factcmp.cache import ParseCache, default_dir
    from factcmp.load.discover import shared_file, topics_file
    from factcmp.load.files import load_sides, load_topics_data, read_input

    folder, side_files = _find_sides(sides, claims_dir)
    cache = ParseCache(default_dir())
    topics_path = topics_file(folder, side_files)
    shared = shared_file(folder, side_files)
    loaded = load_sides([(s.id, s.path) for s in side_files], cache, shared)
    topics = load_topics_data(read_input(topics_path), topics_path, cache) if topics_path else {}
    return loaded, topics


def compare_selected(asked: Asked) -> Selected:
    """Find, load and compare the sides; keep the verdicts and topics asked for."""
    from factcmp.compare.select import narrow, topic_matches
    from factcmp.result import Verdict

    sides, claims_dir, only, topics, as_of, no_cache = asked

    loaded = compare_all(sides, claims_dir, no_cache, as_of=as_of)
    result, topics_path, side_files = loaded.result, loaded.topics_path, loaded.side_files
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
            inert(
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
    files += [str(path) for path in (topics_path, loaded.shared_path) if path]
    return Selected(comparison, files, rename_hint(result.maybe_same, sides, claims_dir))


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
