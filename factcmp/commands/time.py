"""`changes` and `timeline`: what changed since a git revision, and how the figures moved."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click

from factcmp.commands.common import (
    EXIT_FINDINGS,
    BadInput,
    report_problems,
)
from factcmp.commands.options import (
    Asked,
    claims_dir_option,
    format_option,
    output_options,
    selection_options,
)

if TYPE_CHECKING:
    from factcmp.compare.changes import Changes
    from factcmp.load.discover import SideFile
    from factcmp.load.history import Revision
    from factcmp.model import Side
    from factcmp.pipeline import SharedData

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
@format_option("changes")
@click.option("--exit-code", is_flag=True, help="Exit 1 when any topic's verdict changed.")
def changes(args: tuple[str, ...], claims_dir: str | None, fmt: str, exit_code: bool) -> None:
    """What changed since REV (default HEAD) in the claim files: claims added, removed
    and changed, and topics whose verdict changed (new contradictions first).

    REV is a commit, branch or tag; REV1..REV2 compares two revisions instead of REV
    and the working tree, and REV1...REV2 compares REV2 with where the two forked.
    With no SIDE, every side whose file is in the claims folder now or was at a
    revision is compared: a side file deleted since has its claims removed. SIDEs
    are named as for `diff`.
    """
    from factcmp.load.discover import available_sides, find_claims_dir
    from factcmp.load.files import collector_paused
    from factcmp.load.history import HistoryError
    from factcmp.render.formats import Output, write

    folder = find_claims_dir(claims_dir)
    known = {side.id for side in available_sides(folder)} if folder else set()
    rev, sides = "HEAD", args
    if args and args[0] not in known and not args[0].endswith((".yaml", ".yml")):
        rev, sides = args[0], args[1:]
    try:
        with collector_paused():
            found, since, until = _changes(rev, sides, folder)
    except HistoryError as exc:
        raise BadInput(str(exc)) from None
    write("changes", fmt, Output((found, since, until)))
    if exit_code and found.verdicts_changed:
        sys.exit(EXIT_FINDINGS)


def changes_since(
    rev: str, sides: tuple[str, ...], claims_dir: str | None
) -> tuple[Changes, Revision, Revision | None]:
    """What changed since `rev` (or between REV1..REV2), for `diff --since` and
    `brief --since`; bad input is a click exception (exit 2)."""
    from factcmp.load.discover import find_claims_dir
    from factcmp.load.history import HistoryError

    folder = find_claims_dir(claims_dir)
    try:
        return _changes(rev, sides, folder)
    except HistoryError as exc:
        raise BadInput(f"--since {exc}") from None


def _changes(
    rev: str, sides: tuple[str, ...], folder: Path | None
) -> tuple[Changes, Revision, Revision | None]:
    from factcmp.load.discover import (
        SHARED_FILES,
        TOPICS_FILES,
        places,
        refuse_outside,
    )
    from factcmp.load.files import read_input
    from factcmp.load.history import files_at, merge_base, resolve, split_range, toplevel

    first, second, symmetric = split_range(rev)
    named = [Path(s) for s in sides if s.endswith((".yaml", ".yml")) or "/" in s]
    top = toplevel(folder if folder is not None else named[0].parent if named else Path.cwd())
    since = resolve(top, first)
    until = resolve(top, second) if second else None
    if symmetric and until is not None:
        since = merge_base(top, since, until)  # A...B: what B changed since they forked
    files = _side_files(list(sides), folder, top, [since, until])
    # topics.yaml and sources.yaml as each revision has them, looked for where
    # discovery looks, whether or not the working tree has them
    common = (places(folder, files, TOPICS_FILES), places(folder, files, SHARED_FILES))
    wanted = [file.path for file in files] + [p for paths in common for p in paths]

    def at(revision: Revision) -> dict[Path, bytes | None]:
        return files_at(top, revision.commit, wanted)

    def working() -> dict[Path, bytes | None]:
        return {
            path: read_input(refuse_outside(path)) if path.exists() else None for path in wanted
        }

    then = at(since)
    now = working() if until is None else at(until)
    renamed = _renames(files, then, now)
    before = _read_state(files, common, then, f"@{since.short}", renamed)
    after = _read_state(files, common, now, f"@{until.short}" if until else "", {})
    found = _diff(before, after)
    return _with_files(found, files, then, now, renamed), since, until


def _side_files(
    names: list[str], folder: Path | None, top: Path, revisions: list[Revision | None]
) -> list[SideFile]:
    """The sides compared: those named, or every side whose file is in the claims
    folder now or was at either revision (a side file deleted since REV is compared
    as a side with no claims now; one renamed, as the file it became)."""
    from factcmp.load.discover import (
        SideFile,
        available_sides,
        is_side_name,
        resolve_sides,
        side_id,
    )
    from factcmp.load.history import names_at

    if folder is None:
        return resolve_sides(names, None)
    found = {side.id: side for side in available_sides(folder)}
    for revision in revisions:
        if revision is not None:
            for name in names_at(top, revision.commit, folder):
                if is_side_name(name):
                    found.setdefault(side_id(name), SideFile(side_id(name), folder / name))
    if not names:
        if len(found) < 2:
            resolve_sides([], folder)  # says why there is nothing to compare
        return [found[key] for key in sorted(found)]
    out = [found[name] for name in names if name in found]
    if len(out) < len(names):  # a path, an unknown side, one named twice: as diff says it
        return resolve_sides(names, folder)
    return out


def _renames(
    files: list[SideFile], then: dict[Path, bytes | None], now: dict[Path, bytes | None]
) -> dict[str, SideFile]:
    """Side files renamed from `then` to `now`, as git finds renames: a file gone
    and a file new whose lines are at least half the same. Keyed by the new side's
    id, the old file as the value."""
    from collections import Counter

    gone = [f for f in files if then.get(f.path) is not None and now.get(f.path) is None]
    new = [f for f in files if then.get(f.path) is None and now.get(f.path) is not None]
    if not gone or not new:
        return {}
    lines = {f.path: Counter((then[f.path] or now[f.path] or b"").splitlines()) for f in gone + new}

    def alike(a: SideFile, b: SideFile) -> float:
        common = sum((lines[a.path] & lines[b.path]).values())
        return common / max(sum(lines[a.path].values()), sum(lines[b.path].values()), 1)

    pairs = sorted(
        ((alike(a, b), a.id, b.id, a, b) for a in gone for b in new), key=lambda p: -p[0]
    )
    renamed: dict[str, SideFile] = {}
    taken: set[str] = set()
    for score, _, _, old, later in pairs:
        if score >= 0.5 and old.id not in taken and later.id not in renamed:
            renamed[later.id] = old
            taken.add(old.id)
    return renamed


def _with_files(
    found: Changes,
    files: list[SideFile],
    then: dict[Path, bytes | None],
    now: dict[Path, bytes | None],
    renamed: dict[str, SideFile],
) -> Changes:
    """`found`, with the side files added, removed and renamed between the states."""
    import msgspec

    from factcmp.compare.changes import FileRename
    from factcmp.plain import display_path

    was = {old.id for old in renamed.values()}
    added = [f for f in files if then.get(f.path) is None and now.get(f.path) is not None]
    removed = [f for f in files if then.get(f.path) is not None and now.get(f.path) is None]
    return msgspec.structs.replace(
        found,
        files_added=tuple(display_path(f.path) for f in added if f.id not in renamed),
        files_removed=tuple(display_path(f.path) for f in removed if f.id not in was),
        files_renamed=tuple(
            FileRename(display_path(old.path), display_path(f.path), old.id, f.id)
            for f in files
            if (old := renamed.get(f.id)) is not None
        ),
    )


class _State(NamedTuple):
    data: list[tuple[str, Path, bytes]]  # the side files there were
    missing: list[SideFile]  # the side files there were not
    topics_path: Path | None
    topics_data: bytes
    shared: SharedData | None  # the shared sources.yaml there was


def _read_state(
    files: list[SideFile],
    common: tuple[list[Path], ...],
    read: dict[Path, bytes | None],
    where: str,
    renamed: dict[str, SideFile],
) -> _State:
    """The files as `read` holds them (a revision's, or the working tree's); `common`
    lists where topics.yaml and the shared sources.yaml may be, in order. A side
    renamed since is read from its old file, under its new id."""

    def first(paths: list[Path]) -> tuple[Path | None, bytes | None]:
        for path in paths:
            data = read.get(path)
            if data is not None:
                return path, data
        return None, None

    (topics_path, topics_data), (shared_path, shared_data) = map(first, common)
    data: list[tuple[str, Path, bytes]] = []
    missing: list[SideFile] = []
    was = {old.id for old in renamed.values()}
    for file in files:
        if file.id in was:
            continue  # read under the id it has now
        path = renamed[file.id].path if file.id in renamed else file.path
        raw = read.get(path)
        if raw is None:
            missing.append(file)
        else:
            data.append((file.id, Path(f"{path}{where}"), raw))
    shared = None
    if shared_path is not None and shared_data is not None:
        shared = (Path(f"{shared_path}{where}"), shared_data)
    return _State(data, missing, topics_path if topics_data is not None else None,
                  topics_data or b"", shared)  # fmt: skip


def _diff(before: _State, after: _State) -> Changes:
    """What changed from `before` to `after`: from the cache when both states were
    compared before (keyed by every file's content), else compared, through the
    caches of files and comparisons, and kept."""
    from factcmp.cache import ParseCache, default_dir
    from factcmp.compare.changes import Changes, diff_states
    from factcmp.load.files import load_shared_data, load_side_data
    from factcmp.model import Side
    from factcmp.pipeline import compare_data, comparison_key
    from factcmp.problems import InputError, Problem

    cache = ParseCache(default_dir())
    keys = [
        comparison_key(state.data, state.topics_path, state.topics_data, None, state.shared)
        + "|".join(f.id for f in state.missing)
        for state in (before, after)
    ]
    key = ParseCache.key(b"", "changes", *keys)
    found = cache.get(key, Changes)
    if found is not None:
        return found
    problems: list[Problem] = []
    states = []
    for state in (before, after):
        sides: list[Side] = []
        try:
            shared = None
            if state.shared is not None:
                shared = load_shared_data(state.shared[1], state.shared[0], cache)
            for side_id, path, raw in state.data:
                sides.append(load_side_data(raw, path, side_id, cache, shared))
            sides += [Side(f.id, f.id, str(f.path)) for f in state.missing]  # no claims then
            # a side with no file then has no claims: it changes no verdict
            comparison = compare_data(
                state.data, state.topics_path, state.topics_data, cache=cache, shared=state.shared
            ).comparison
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        states.append((sides, comparison))
    if problems:
        report_problems(problems)
    (old_sides, old), (new_sides, new) = states
    found = diff_states(old_sides, new_sides, old, new)
    cache.put(key, found)
    return found


TIMELINE_EPILOG = """\b
Examples:
  factcmp timeline                                # every side, every topic with counts
  factcmp timeline armenia azerbaijan --topic casualties
  factcmp timeline --format csv > figures.csv

Exit codes: 0 fine; 2 bad input or usage. Docs: docs/json.md (timeline).
"""


@click.command(epilog=TIMELINE_EPILOG)
@selection_options
@output_options(
    "timeline",
    "Show at most N topics in the table (0: all). JSON and CSV hold every topic.",
)
def timeline(asked: Asked, fmt: str, limit: int) -> None:
    """How each side's figures moved: every count claim of every SIDE, in force or
    in history, in series by side, subject and period, ordered by when it was said.
    Undated counts are listed apart."""
    from factcmp.commands.common import (
        compare_asked,
    )
    from factcmp.compare.timeline import timeline as series
    from factcmp.load.files import collector_paused
    from factcmp.render.formats import Output, write

    with collector_paused():
        comparison = compare_asked(asked).comparison
        topics = series(comparison)
        write("timeline", fmt, Output((topics, comparison), limit=limit))
