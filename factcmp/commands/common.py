"""What the commands share: exit codes, the error for bad input, the claims folder,
and loading plus narrowing a comparison (the options are in factcmp.commands.options).

Import-light, as cli.py is: whatever a command needs is imported when it runs.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import click

from factcmp.exits import ExitStatus

if TYPE_CHECKING:
    from pathlib import Path

    from factcmp.commands.options import Asked
    from factcmp.load.discover import SideFile
    from factcmp.model import Side, Topic
    from factcmp.pipeline import Result
    from factcmp.problems import Problem
    from factcmp.result import Comparison, TopicIndex

# The exit statuses (factcmp.exits.ExitStatus). Ended by a signal (Ctrl-C: SIGINT,
# kill: SIGTERM, a closed terminal: SIGHUP): 128 + its number, as a shell reports it. A
# reader that closed standard output early (`factcmp diff | head`) ends the run as
# SIGPIPE ends cat or grep: 141, silently.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = ExitStatus.OK, ExitStatus.FINDINGS, ExitStatus.BAD_INPUT
EXIT_SIGNAL_BASE, EXIT_CLOSED_PIPE = ExitStatus.SIGNAL_BASE, ExitStatus.CLOSED_PIPE
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
