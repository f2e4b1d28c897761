"""`changes`: what changed in the claims, and in the verdicts, since a git revision."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from factcmp.commands.common import (
    EXIT_FINDINGS,
    BadInput,
    claims_dir_option,
    inert,
    report_problems,
)

if TYPE_CHECKING:
    from factcmp.changes import Changes
    from factcmp.discover import SideFile
    from factcmp.history import Revision
    from factcmp.model import Side, Topic
    from factcmp.result import Comparison

CHANGES_EPILOG = """\b
Examples:
  factcmp changes                       # since the last commit (HEAD), every side
  factcmp changes HEAD~3 armenia azerbaijan
  factcmp changes v1.0..v1.1 --format json
  factcmp changes origin/main --exit-code   # exit 1 when a verdict changed (CI)

Exit codes: 0 fine (with --exit-code: no verdict changed); 1 with --exit-code, a
verdict changed; 2 bad input: no repository, an unknown revision, a file with
problems. Docs: docs/changes.md.
"""


@click.command(epilog=CHANGES_EPILOG)
@click.argument("args", nargs=-1, metavar="[REV] [SIDE]...")
@claims_dir_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts (docs/changes.md).",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when any topic's verdict changed.")
def changes(args: tuple[str, ...], claims_dir: str | None, fmt: str, exit_code: bool) -> None:
    """What changed since REV (default HEAD) in the claim files: claims added, removed
    and changed, and topics whose verdict changed (new contradictions first).

    REV is a commit, branch or tag; REV1..REV2 compares two revisions instead of REV
    and the working tree. SIDEs are named as for `diff`.
    """
    from factcmp.discover import DiscoveryError, available_sides, find_claims_dir
    from factcmp.history import HistoryError
    from factcmp.load import collector_paused

    try:
        folder = find_claims_dir(claims_dir)
        known = {side.id for side in available_sides(folder)} if folder else set()
    except DiscoveryError as exc:
        raise click.UsageError(str(exc)) from None
    rev, sides = "HEAD", args
    if args and args[0] not in known and not args[0].endswith((".yaml", ".yml")):
        rev, sides = args[0], args[1:]
    try:
        with collector_paused():
            found, since, until = _changes(rev, sides, folder)
    except HistoryError as exc:
        raise BadInput(str(exc)) from None
    if fmt == "json":
        from factcmp.render.changes import changes_json

        click.echo(changes_json(found, since, until), nl=False)
    else:
        from factcmp.render.changes import changes_table
        from factcmp.render.table import make_console

        changes_table(found, since, until, make_console())
    if exit_code and found.verdicts_changed:
        sys.exit(EXIT_FINDINGS)


def changes_since(
    rev: str, sides: tuple[str, ...], claims_dir: str | None
) -> tuple[Changes, Revision, Revision | None]:
    """What changed since `rev` (or between REV1..REV2), for `diff --since` and
    `brief --since`; bad input is a click exception (exit 2)."""
    from factcmp.discover import DiscoveryError, find_claims_dir
    from factcmp.history import HistoryError

    try:
        folder = find_claims_dir(claims_dir)
    except DiscoveryError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        return _changes(rev, sides, folder)
    except HistoryError as exc:
        raise BadInput(f"--since {exc}") from None


def _changes(
    rev: str, sides: tuple[str, ...], folder: Path | None
) -> tuple[Changes, Revision, Revision | None]:
    from factcmp.changes import diff_states
    from factcmp.discover import DiscoveryError, resolve_sides, topics_file
    from factcmp.history import file_at, resolve, toplevel
    from factcmp.load import read_input

    try:
        files = resolve_sides(list(sides), folder)
    except DiscoveryError as exc:
        raise click.UsageError(inert(str(exc))) from None
    topics_path = topics_file(folder, files)
    top = toplevel(files[0].path.parent)
    first, _, second = rev.partition("..")
    since = resolve(top, first)
    until = resolve(top, second) if second else None

    def at(commit: str) -> Callable[[Path], bytes | None]:
        return lambda path: file_at(top, commit, path)

    def working(path: Path) -> bytes | None:
        return read_input(path) if path.exists() else None

    before = _state(files, topics_path, at(since.commit), f"@{since.short}")
    if until is None:
        after = _state(files, topics_path, working, "")
    else:
        after = _state(files, topics_path, at(until.commit), f"@{until.short}")
    return diff_states(before[0], after[0], before[1], after[1]), since, until


def _state(
    files: list[SideFile],
    topics_path: Path | None,
    read: Callable[[Path], bytes | None],
    where: str,
) -> tuple[list[Side], Comparison]:
    """The sides and their comparison as `read` gives the files (a revision's, or the
    working tree's); a file that did not exist is a side with no claims."""
    from factcmp.cache import ParseCache, default_dir
    from factcmp.compare import compare
    from factcmp.load import load_side_data, load_topics_data
    from factcmp.model import Side
    from factcmp.problems import InputError, Problem

    cache = ParseCache(default_dir())
    sides: list[Side] = []
    problems: list[Problem] = []
    for file in files:
        data = read(file.path)
        if data is None:
            sides.append(Side(file.id, file.id, str(file.path)))  # no file then: no claims
            continue
        try:
            sides.append(load_side_data(data, Path(f"{file.path}{where}"), file.id, cache))
        except InputError as exc:
            problems.extend(exc.problems)
    topics: dict[str, Topic] = {}
    if topics_path is not None:
        data = read(topics_path)
        if data is not None:
            try:
                topics = load_topics_data(data, Path(f"{topics_path}{where}"), cache)
            except InputError as exc:
                problems.extend(exc.problems)
    if problems:
        report_problems(problems)
    return sides, compare(sides, topics)
