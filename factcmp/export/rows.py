"""A comparison as the rows of the tables `factcmp export sqlite` writes.

Plain data, no database: `Tables` holds, per table, a list of dicts whose keys are its
columns. Keys are made to be unique and readable in Datasette's URLs:

- a side is its id (`armenia`);
- a claim is `side/id` (`armenia/troops-killed-0914`), in force or not;
- a speaker or source is `side/key`, or `shared/key` when the shared sources.yaml
  defines it (one row however many sides cite it); a source written inline in a
  claim is `side/claim-id`. Two different entries that would get one key (rare: an
  inline source whose claim id is also a source key) get `#2`, `#3` after it;
- a topic is its key; a pair of sides on a topic is a number.

Lists (places, aliases, reasons) are JSON text, as Datasette shows and filters them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import msgspec

from factcmp.facets import SQLITE_LAYOUT, SqlColumn, resolve, sqlite_columns
from factcmp.model import Claim, Side, Source, Speaker
from factcmp.result import Comparison, Reason, TopicResult

Row = dict[str, Any]


class Tables:
    """The rows of every table, in the order the tables are written (those a table
    refers to first)."""

    def __init__(self) -> None:
        self.sides: list[Row] = []
        self.speakers: dict[str, Row] = {}
        self.sources: dict[str, Row] = {}
        self.topics: list[Row] = []
        self.claims: list[Row] = []
        self.pairs: list[Row] = []
        self._speaker_ids: dict[tuple[str, Speaker], str] = {}
        self._source_ids: dict[tuple[str, Source], str] = {}

    def speaker(self, side: str, speaker: Speaker) -> str:
        found = self._speaker_ids.get((side, speaker))
        if found is not None:
            return found
        owner = None if speaker.file else side
        row: Row = {"id": "", "side": owner, "key": speaker.key, "name": speaker.name,
               "role": speaker.role, "shared": bool(speaker.file)}  # fmt: skip
        row["id"] = _unique(f"{owner or 'shared'}/{speaker.key}", row, self.speakers)
        self._speaker_ids[(side, speaker)] = row["id"]
        return str(row["id"])

    def source(self, side: str, source: Source) -> str:
        found = self._source_ids.get((side, source))
        if found is not None:
            return found
        owner = None if source.file else side
        row: Row = {
            "id": "",
            "side": owner,
            "key": source.key,
            "outlet": source.outlet,
            "title": source.title,
            "author": source.author,
            "url": source.url,
            "published": source.published.isoformat() if source.published else None,
            "archived": source.archived,
            "shared": bool(source.file),
        }
        row["id"] = _unique(f"{owner or 'shared'}/{source.key}", row, self.sources)
        self._source_ids[(side, source)] = row["id"]
        return str(row["id"])


def _unique(wanted: str, row: Row, rows: dict[str, Row]) -> str:
    """`wanted`, or `wanted#2`, ... when another entry holds it already; the row is
    added under the key returned (or found there, when equal)."""
    key, number = wanted, 1
    while key in rows:
        if {k: v for k, v in rows[key].items() if k != "id"} == {
            k: v for k, v in row.items() if k != "id"
        }:
            return key
        number += 1
        key = f"{wanted}#{number}"
    row["id"] = key
    rows[key] = row
    return key


def claim_key(side: str, claim_id: str) -> str:
    return f"{side}/{claim_id}"


def tables(comparison: Comparison) -> Tables:
    """Every row, from the comparison (its topics as narrowed by --only and --topic)."""
    out = Tables()
    counts: dict[str, list[int]] = {side.id: [0, 0] for side in comparison.sides}
    for topic in comparison.topics:
        out.topics.append(_topic(topic))
        for in_force, claims in ((True, topic.claims), (False, topic.history)):
            for side, listed in claims.items():
                for claim in listed:
                    out.claims.append(_claim(out, topic, claim, in_force))
                    counts[side][0] += in_force
                    counts[side][1] += 1
        for pair in topic.pairs:
            out.pairs.append(
                {
                    "id": len(out.pairs) + 1,
                    "topic": topic.topic.key,
                    "side_a": pair.sides[0],
                    "side_b": pair.sides[1],
                    "verdict": pair.verdict.value,
                    "why": "; ".join(reason.cited for reason in pair.reasons),
                    "reasons": _reasons(pair.reasons, pair.sides),
                    "agreeing": _reasons(pair.agreeing, pair.sides),
                }
            )
    out.sides = [_side(side, *counts[side.id]) for side in comparison.sides]
    return out


def _side(side: Side, in_force: int, total: int) -> Row:
    return {
        "id": side.id,
        "name": side.name,
        "file": side.file,
        "aliases": _json(list(side.aliases)),
        "claims_in_force": in_force,
        "claims": total,
        "role": side.role,
    }


def _topic(result: TopicResult) -> Row:
    topic = result.topic
    return {
        "key": topic.key,
        "label": topic.label,
        "proposition": topic.claim,
        "description": topic.description,
        "verdict": result.verdict.value,
        "reasons": _json(list(result.reasons)),
        "in_topics_yaml": topic.order != topic.UNLISTED,
    }


def _claim(out: Tables, topic: TopicResult, claim: Claim, in_force: bool) -> Row:
    own = {
        "id": claim_key(claim.side, claim.id),
        "side": claim.side,
        "topic_label": topic.topic.label,
        "verdict": topic.verdict.value,
        "in_force": in_force,
        "file": claim.file,
        "line": claim.line,
    }
    refer: dict[str, Callable[[str, Any], str]] = {"speakers": out.speaker, "sources": out.source}
    row: Row = {}
    for name, column, value in _columns():
        if column is None:
            row[name] = own[name]
            continue
        found = value(claim)
        if found is not None and column.refers is not None:
            found = refer[column.refers](claim.side, found)
        elif found is not None and column.listed:
            found = _json(found)
        row[name] = found
    return row


@functools.cache
def _columns() -> tuple[tuple[str, SqlColumn | None, Callable[[Claim], Any]], ...]:
    """Each column of the claims table, in order, with the facet's column that gives it
    (None: the row's own) and its value."""
    given = sqlite_columns()
    return tuple(
        (name, given.get(name), resolve(given[name].value) if name in given else _none)
        for name in SQLITE_LAYOUT
    )


def _none(_claim: Claim) -> None:
    return None


def _reasons(reasons: tuple[Reason, ...], sides: tuple[str, str]) -> str:
    """Each reason with the claims behind it, as `side/id` keys of the claims table."""
    rows = [
        {"text": reason.text, "claims": [claim_key(sides[0], a), claim_key(sides[1], b)]}
        for reason in reasons
        for a, b in reason.claims
    ]
    return _json(rows)


def _json(value: Any) -> str:
    """JSON text, UTF-8 as it is (msgspec: several times the standard library's speed)."""
    return msgspec.json.encode(value).decode("utf-8")
