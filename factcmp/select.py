"""Narrow what is compared: claims made by a date, topics by key or pattern."""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatchcase

import msgspec

from factcmp.model import Side


def as_of(sides: list[Side], date: dt.date) -> tuple[list[Side], int]:
    """Each side as it stood on `date`: claims said after it, and undated claims
    (which cannot be placed in time), are left out. Returns the sides and how many
    undated claims were left out."""
    undated = sum(1 for side in sides for c in side.claims if c.said is None)
    kept = [
        msgspec.structs.replace(side, claims=[c for c in side.claims if c.said and c.said <= date])
        for side in sides
    ]
    return kept, undated


def topic_matches(key: str, patterns: tuple[str, ...]) -> bool:
    """A topic matches a pattern that equals it, is a glob for it (`casualties.*`),
    or names a parent of it (`casualties` matches `casualties.military`)."""
    return not patterns or any(
        key == p or key.startswith(p + ".") or fnmatchcase(key, p) for p in patterns
    )
