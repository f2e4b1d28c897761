"""From claim files to a `Comparison`: load, match, compare, with the caches.

Two levels of cache, both keyed by the content of every input (see factcmp.cache):
each validated file, and the whole comparison of a set of files. When nothing
changed, `diff` reads neither YAML nor compares again: it checks the files'
hashes and decodes the result.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec

from factcmp.cache import ParseCache
from factcmp.compare import compare
from factcmp.load import load_side_data, load_topics_data, read_input
from factcmp.model import Side
from factcmp.problems import InputError, Problem
from factcmp.result import CachedComparison, Comparison, TopicList
from factcmp.select import as_of as select_as_of


class Result(msgspec.Struct):
    """A comparison, how many undated claims `as_of` left out, and how many one-sided
    topics may be another side's under another key (see factcmp.suggest:
    `likely_renames`; -1 when there were too many to look through)."""

    comparison: Comparison
    undated: int = 0
    maybe_same: int = 0


def comparison_key(
    data: list[tuple[str, Path, bytes]],
    topics_path: Path | None,
    topics_data: bytes,
    as_of: dt.date | None,
) -> str:
    """The cache key of the comparison of these sides (id, path, bytes, in order)."""
    parts = [f"{i}\0{p}\0{ParseCache.key(d)}" for i, p, d in data]
    parts.append(f"topics\0{topics_path}\0{ParseCache.key(topics_data)}")
    return ParseCache.key(b"", "comparison", str(as_of), *parts)


def compare_files(
    sides: list[tuple[str, Path]],
    topics_path: Path | None = None,
    *,
    as_of: dt.date | None = None,
    cache: ParseCache | None = None,
) -> Result:
    """Load the sides' claim files (and topics.yaml), and compare them. Raises
    `InputError` with every problem of every file."""
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
    if problems:
        raise InputError(problems)

    key = ""
    if cache is not None:
        key = comparison_key(data, topics_path, topics_data, as_of)
        entry = cache.get(key, CachedComparison)
        if entry is not None:
            lazy = TopicList(entry.index, entry.topics)
            return Result(Comparison(entry.sides, lazy), entry.undated, entry.maybe_same)

    loaded: list[Side] = []
    for side_id, path, raw in data:
        try:
            loaded.append(load_side_data(raw, path, side_id, cache))
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
        loaded, undated = select_as_of(loaded, as_of)
    from factcmp.suggest import likely_renames

    result = Result(compare(loaded, topics), undated, likely_renames(loaded, topics))
    if cache is not None:
        comparison = result.comparison
        encode = msgspec.msgpack.Encoder().encode
        try:
            blobs = [encode(topic) for topic in comparison.topics]
        except (OverflowError, TypeError, ValueError):  # a count past 2**64: not cached
            return result
        entry = CachedComparison(
            comparison.sides, undated, result.maybe_same, comparison.index(), blobs
        )
        cache.put(key, entry)
    return result
