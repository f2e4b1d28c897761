"""From claim files to a `Comparison`: load, match, compare, with the caches.

Three levels of cache, all keyed by the content of every input (see factcmp.cache):
each validated file, the whole comparison of a set of files, and what was rendered
of that comparison (`Comparison.memo`). When nothing changed, `diff` reads neither
YAML nor compares again (nor imports what would): it checks the files' hashes and
decodes the result, or reads its JSON, CSV or brief as they were written.

`compare_selected`, `compare_all` and `load_all` go from what a command was asked (the
sides' names, the claims folder, --only, --topic, --as-of) to what it shows. They print
nothing: what the person should be told on standard error comes back as `notices`,
lines already made inert, for the command to print before its output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import msgspec

from factcmp.cache import Outputs, ParseCache
from factcmp.load.files import load_shared_data, load_side_data, load_topics_data, read_input
from factcmp.model import Side
from factcmp.plain import inert
from factcmp.problems import InputError, Problem
from factcmp.result import CachedComparison, Comparison, Selection, TopicList, Verdict

if TYPE_CHECKING:
    from factcmp.load.discover import SideFile
    from factcmp.model import Topic
    from factcmp.result import TopicIndex


class Result(msgspec.Struct):
    """A comparison, and how many one-sided topics may be another side's under another
    key (see factcmp.compare.suggest: `likely_renames`; -1 when there were too many to
    look through). The comparison's `selection` says what `as_of` was and how many
    undated claims it left out: it is stamped here, where `as_of` is applied."""

    comparison: Comparison
    maybe_same: int = 0


# the shared sources.yaml, as read: its path and bytes
SharedData = tuple[Path, bytes]


def comparison_key(
    data: list[tuple[str, Path, bytes]],
    topics_path: Path | None,
    topics_data: bytes,
    as_of: dt.date | None,
    shared: SharedData | None = None,
) -> str:
    """The cache key of the comparison of these sides (id, path, bytes, in order)."""
    parts = [f"{i}\0{p}\0{ParseCache.key(d)}" for i, p, d in data]
    parts.append(f"topics\0{topics_path}\0{ParseCache.key(topics_data)}")
    if shared is not None:
        parts.append(f"shared\0{shared[0]}\0{ParseCache.key(shared[1])}")
    return ParseCache.key(b"", "comparison", str(as_of), *parts)


def compare_files(
    sides: list[tuple[str, Path]],
    topics_path: Path | None = None,
    *,
    as_of: dt.date | None = None,
    cache: ParseCache | None = None,
    shared_path: Path | None = None,
) -> Result:
    """Load the sides' claim files (and topics.yaml, and the shared sources.yaml at
    `shared_path`), and compare them. Raises `InputError` with every problem of
    every file."""
    data: list[tuple[str, Path, bytes]] = []
    problems: list[Problem] = []
    for side_id, path in sides:
        try:
            data.append((side_id, path, read_input(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    topics_data = b""
    if topics_path is not None:
        try:
            topics_data = read_input(topics_path)
        except InputError as exc:
            problems.extend(exc.problems)
    shared = None
    if shared_path is not None:
        try:
            shared = (shared_path, read_input(shared_path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return compare_data(data, topics_path, topics_data, as_of=as_of, cache=cache, shared=shared)


def compare_data(
    data: list[tuple[str, Path, bytes]],
    topics_path: Path | None,
    topics_data: bytes,
    *,
    as_of: dt.date | None = None,
    cache: ParseCache | None = None,
    shared: SharedData | None = None,
) -> Result:
    """Compare the sides whose files hold `data` (id, path, bytes: read from disk, or
    from a git revision), with the caches. Raises `InputError` as compare_files."""
    inputs = _Inputs(data, topics_path, topics_data, as_of, shared)
    if cache is None:
        return _compare(inputs, None, "")[0]
    key = comparison_key(data, topics_path, topics_data, as_of, shared)
    entry = cache.get(key, CachedComparison)
    if entry is None:
        return _compare(inputs, cache, key)[0]

    def blobs() -> list[bytes]:
        found = cache.get(_topics_key(key), list[bytes])
        if found is not None and len(found) == len(entry.index):
            return found
        # gone or damaged since the index was read: compare again (and cache it again)
        again = _compare(inputs, cache, key)[1]
        return again if again is not None else []  # never: what was cached encodes

    lazy = TopicList(entry.index, blobs)
    selection = Selection(as_of=as_of, undated=entry.undated)  # as_of is in the key
    comparison = Comparison(entry.sides, lazy, selection, memo=Outputs(cache, key))
    return Result(comparison, entry.maybe_same)


def _topics_key(key: str) -> str:
    """The key of the topics of the comparison cached under `key`."""
    return ParseCache.key(b"", "topics", key)


class _Inputs(NamedTuple):
    data: list[tuple[str, Path, bytes]]
    topics_path: Path | None
    topics_data: bytes
    as_of: dt.date | None
    shared: SharedData | None


def _compare(
    inputs: _Inputs, cache: ParseCache | None, key: str
) -> tuple[Result, list[bytes] | None]:
    """Load (through the parse cache) and compare; cache the comparison under `key`.
    Returns the result and its topics encoded (None when not cached)."""
    data, topics_path, topics_data, as_of, shared_data = inputs
    shared = None
    if shared_data is not None:  # its problems alone first: every side refers to it
        shared = load_shared_data(shared_data[1], shared_data[0], cache)
    problems: list[Problem] = []
    loaded: list[Side] = []
    for side_id, path, raw in data:
        try:
            loaded.append(load_side_data(raw, path, side_id, cache, shared))
        except InputError as exc:
            problems.extend(exc.problems)
    topics = {}
    if topics_path is not None:
        try:
            topics = load_topics_data(topics_data, topics_path, cache)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)

    undated = 0
    if as_of is not None:
        from factcmp.compare.select import as_of as select_as_of

        loaded, undated = select_as_of(loaded, as_of)
    from factcmp.compare.judge import compare
    from factcmp.compare.suggest import likely_renames

    result = Result(compare(loaded, topics), likely_renames(loaded, topics))
    comparison = result.comparison
    comparison.selection = Selection(as_of=as_of, undated=undated)
    if cache is None:
        return result, None
    comparison.memo = Outputs(cache, key)
    encode = msgspec.msgpack.Encoder().encode
    try:
        blobs = [encode(topic) for topic in comparison.topics]
    except (OverflowError, TypeError, ValueError):  # a count past 2**64: not cached
        return result, None
    cache.put(_topics_key(key), blobs)  # the topics first: an index never lacks them
    cache.put(
        key, CachedComparison(comparison.sides, undated, result.maybe_same, comparison.index())
    )
    return result, blobs


# --- from what a command was asked to what it shows ------------------------------------


class Compared(NamedTuple):
    """The comparison of every topic of the sides found, the files it was made from,
    and the lines to tell the person on standard error (inert)."""

    result: Result
    side_files: list[SideFile]
    topics_path: Path | None
    shared_path: Path | None = None
    notices: tuple[str, ...] = ()

    @property
    def comparison(self) -> Comparison:
        return self.result.comparison


class Selected(NamedTuple):
    """The comparison narrowed as asked, every file it was made from (for the brief's
    provenance), the line on one-sided topics that may be another side's (None when
    none may be), and the lines to tell the person on standard error (inert)."""

    comparison: Comparison
    files: list[str]
    hint: str | None = None
    notices: tuple[str, ...] = ()


def _find_files(
    sides: tuple[str, ...], claims_dir: str | None
) -> tuple[list[SideFile], Path | None, Path | None]:
    """The files of the sides named, and the topics.yaml and sources.yaml beside them."""
    from factcmp.load.discover import find_claims_dir, resolve_sides, shared_file, topics_file

    folder = find_claims_dir(claims_dir)
    side_files = resolve_sides(list(sides), folder)
    return side_files, topics_file(folder, side_files), shared_file(folder, side_files)


def compare_all(
    sides: tuple[str, ...],
    claims_dir: str | None,
    no_cache: bool = False,
    *,
    as_of: dt.date | None = None,
) -> Compared:
    """Find, load and compare the sides named (every side in the claims folder when
    none is), every topic, with the caches. Raises DiscoveryError or InputError."""
    from factcmp.cache import default_dir

    side_files, topics_path, shared_path = _find_files(sides, claims_dir)
    cache = None if no_cache else ParseCache(default_dir())
    result = compare_files(
        [(s.id, s.path) for s in side_files],
        topics_path,
        as_of=as_of,
        cache=cache,
        shared_path=shared_path,
    )
    undated = result.comparison.selection.undated
    notices = (f"factcmp: --as-of {as_of}: {undated} undated claim(s) left out",) if undated else ()
    return Compared(result, side_files, topics_path, shared_path, notices)


def load_all(sides: tuple[str, ...], claims_dir: str | None) -> tuple[list[Side], dict[str, Topic]]:
    """Find and load the sides, with every claim, and topics.yaml (with the parse cache)."""
    from factcmp.cache import default_dir
    from factcmp.load.files import load_sides

    side_files, topics_path, shared = _find_files(sides, claims_dir)
    cache = ParseCache(default_dir())
    loaded = load_sides([(s.id, s.path) for s in side_files], cache, shared)
    topics = load_topics_data(read_input(topics_path), topics_path, cache) if topics_path else {}
    return loaded, topics


def compare_selected(
    sides: tuple[str, ...],
    claims_dir: str | None,
    *,
    only: Collection[str] | None = None,
    topics: Collection[str] = (),
    as_of: dt.date | None = None,
    no_cache: bool = False,
) -> Selected:
    """Find, load and compare the sides; keep the verdicts (`only`, their words) and
    the topics (patterns, see factcmp.compare.select.topic_matches) asked for."""
    from factcmp.compare.select import narrow, topic_matches

    compared = compare_all(sides, claims_dir, no_cache, as_of=as_of)
    index = compared.comparison.index()
    notices = list(compared.notices)
    if compared.topics_path:
        notices += _unlisted_topics(index, compared.topics_path)
    comparison = narrow(
        compared.comparison,
        only=None if only is None else {Verdict(word) for word in only},
        topics=topics,
    )
    every_topic = [entry.key for entry in index]
    if topics and not any(topic_matches(key, topics) for key in every_topic):
        notices.append(
            inert(
                f"factcmp: no topic matches --topic {' '.join(topics)}; the topics are: "
                + ", ".join(sorted(every_topic))
            )
        )
    elif not comparison.topics and every_topic:
        notices.append(
            f"factcmp: the selection (--only, --topic) leaves none of the {len(every_topic)} topics"
        )
    files = [str(s.path) for s in compared.side_files]
    files += [str(path) for path in (compared.topics_path, compared.shared_path) if path]
    hint = rename_hint(compared.result.maybe_same, sides, claims_dir)
    return Selected(comparison, files, hint, tuple(notices))


def _unlisted_topics(index: list[TopicIndex], path: Path) -> list[str]:
    """A misspelt topic silently splits one comparison in two: the warnings that say
    so, one for each topic not in topics.yaml (at `path`), with the listed key it may
    be a misspelling of."""
    listed = [entry.key for entry in index if entry.listed]
    warnings = []
    for entry in index:
        key = entry.key
        if not entry.listed:
            import difflib

            close = difflib.get_close_matches(key, listed, n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            warnings.append(inert(f"factcmp: warning: topic {key!r} is not in {path}{hint}"))
    return warnings


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
