"""Narrow what is compared, and record how: claims made by a date, topics by key or
pattern, verdicts. Every output says how it was narrowed (`Comparison.selection`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from fnmatch import fnmatchcase

import msgspec

from factcmp.model import Side
from factcmp.result import Comparison, Verdict


def as_of(sides: list[Side], date: dt.date) -> tuple[list[Side], int]:
    """Each side as it stood on `date`: claims said after it, and undated claims
    (which cannot be placed in time), are left out. Returns the sides and how many
    undated claims were left out."""
    undated = sum(1 for side in sides for c in side.claims if c.dated is None)
    kept = [
        msgspec.structs.replace(
            side, claims=[c for c in side.claims if c.dated and c.dated <= date]
        )
        for side in sides
    ]
    return kept, undated


def topic_matches(key: str, patterns: Collection[str]) -> bool:
    """A topic matches a pattern that equals it, is a glob for it (`casualties.*`),
    or names a parent of it (`casualties` matches `casualties.military`)."""
    return not patterns or any(
        key == p or key.startswith(p + ".") or fnmatchcase(key, p) for p in patterns
    )


def narrow(
    comparison: Comparison,
    *,
    only: Collection[Verdict] | None = None,
    topics: Collection[str] | None = None,
) -> Comparison:
    """The topics of `comparison` with one of the `only` verdicts and matching one of
    the `topics` patterns (None or all verdicts, None or no patterns: every topic),
    with a `selection` that says so, and keeps what it says of `as_of` (stamped where
    the claims were compared: factcmp.pipeline)."""
    wanted = None if only is None or set(only) >= set(Verdict) else set(only)
    patterns = tuple(topics) if topics else None
    index = comparison.index()
    selection = msgspec.structs.replace(
        comparison.selection,
        only=tuple(v for v in Verdict if v in wanted) if wanted is not None else None,
        topics=patterns,
        all_topics=len(index),
    )
    keep = [
        i
        for i, entry in enumerate(index)
        if (wanted is None or entry.verdict in wanted) and topic_matches(entry.key, patterns or ())
    ]
    return comparison.select(keep, selection)
