"""Small builders for tests: claims and sides without YAML, for the comparison rules."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from factcmp.model import Claim, Count, Period, Side

_ids = itertools.count()


def count(value: float | tuple[float | None, float | None]) -> Count:
    if isinstance(value, tuple):
        return Count.given(min=value[0], max=value[1])
    return Count.given(best=value)


def claim(side: str, topic: str = "t", **facets: Any) -> Claim:
    """A claim of `side` on `topic`; facets as in a claim file (count may be a number
    or a (min, max) tuple, period a (from, to) tuple of ISO dates)."""
    if "count" in facets and facets["count"] is not None:
        facets["count"] = count(facets["count"])
    if "period" in facets and facets["period"] is not None:
        start, end = facets["period"]
        facets["period"] = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    if isinstance(facets.get("said"), str):
        facets["said"] = dt.date.fromisoformat(facets["said"])
    if "places" in facets and facets["places"] is not None:
        facets["places"] = tuple(facets["places"])
    n = next(_ids)
    facets.setdefault("id", f"c{n}")
    facets.setdefault("text", f"claim {n} of {side} on {topic}")
    return Claim(side=side, topic=topic, file=f"claims/{side}.yaml", line=n + 1, **facets)


def side(side_id: str, *claims: Claim, aliases: tuple[str, ...] = ()) -> Side:
    return Side(side_id, side_id.capitalize(), f"claims/{side_id}.yaml", aliases, list(claims))
