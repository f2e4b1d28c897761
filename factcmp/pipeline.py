"""From claim files to a `Comparison`: load, match, compare, with the caches.

Three levels of cache, all keyed by the content of every input (see factcmp.cache):
each validated file, the whole comparison of a set of files, and what was rendered
of that comparison (`Comparison.memo`). When nothing changed, `diff` reads neither
YAML nor compares again (nor imports what would): it checks the files' hashes and
decodes the result, or reads its JSON, CSV or brief as they were written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import msgspec

from factcmp.cache import Outputs, ParseCache
from factcmp.load.files import load_shared_data, load_side_data, load_topics_data, read_input
from factcmp.model import Side
from factcmp.problems import InputError, Problem
from factcmp.result import CachedComparison, Comparison, TopicList


class Result(msgspec.Struct):
    """A comparison, how many undated claims `as_of` left out, and how many one-sided
    topics may be another side's under another key (see factcmp.compare.suggest:
    `likely_renames`; -1 when there were too many to look through)."""

    comparison: Comparison
    undated: int = 0
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
    comparison = Comparison(entry.sides, lazy, memo=Outputs(cache, key))
    return Result(comparison, entry.undated, entry.maybe_same)


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

    result = Result(compare(loaded, topics), undated, likely_renames(loaded, topics))
    if cache is None:
        return result, None
    comparison = result.comparison
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
