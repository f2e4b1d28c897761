"""The properties of the comparison (tests/compare/test_properties.py) with
revision 3's parties and observers and reported dates (issue 22, points 7 and 8):

- any order of the sides gives the same verdict on every topic and every pair of
  sides, whatever their roles, and whether a claim's date is said or reported;
- every claim appears exactly once, in force or in its topic's history, in the
  result and in the JSON output;
- the parties come first, then the observers, each in the order given; a topic's
  pairs go party–party, then party–observer, then observer–observer, and its
  verdict is the strongest of them;
- a count is in force by its date, said or reported, as if the report's date had
  been written in `said`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from factcmp.compare.judge import compare
from factcmp.model import Claim, Side, Source
from factcmp.render.jsonout import render_json
from tests.helpers import claim

TOPICS = ["t1", "t2"]
NAMES = ["north", "south", "Southern", "east"]
DATES = [dt.date(2023, 10, 17), dt.date(2023, 10, 18), dt.date(2023, 10, 19)]
SOURCES = [Source("undated")] + [Source(f"s{d.day}", published=d) for d in DATES]

counts = st.one_of(
    st.integers(0, 120),
    st.tuples(st.integers(0, 60), st.integers(60, 120)),
)


@st.composite
def claims_of(draw: st.DrawFn, side_id: str) -> list[Claim]:
    out = []
    for _ in range(draw(st.integers(0, 5))):
        facets: dict[str, object] = {"source": draw(st.sampled_from(SOURCES))}
        if draw(st.booleans()):
            facets["said"] = draw(st.sampled_from(DATES))
        if draw(st.booleans()):
            facets["count"] = draw(counts)
        for key in ("subject", "actor"):
            if draw(st.booleans()):
                facets[key] = draw(st.sampled_from(NAMES))
        if draw(st.booleans()):
            facets["stance"] = draw(st.sampled_from(["affirms", "denies"]))
        facets["status"] = draw(st.sampled_from(["current", "current", "superseded"]))
        out.append(claim(side_id, draw(st.sampled_from(TOPICS)), **facets))
    return out


@st.composite
def claim_sets(draw: st.DrawFn) -> list[Side]:
    ids = ["north", "south", "east", "watch"]
    aliases = {"north": (), "south": ("Southern",), "east": (), "watch": ("Southern",)}
    sides = []
    for side_id in ids[: draw(st.integers(2, 4))]:
        role = draw(st.sampled_from(["party", "observer"]))
        claims = draw(claims_of(side_id))
        sides.append(Side(side_id, side_id.title(), f"claims/{side_id}.yaml", aliases[side_id],
                          claims, role))  # fmt: skip
    return sides


def _verdicts(sides: list[Side]) -> dict[tuple[str, frozenset[str]], str]:
    found: dict[tuple[str, frozenset[str]], str] = {}
    for topic in compare(sides).topics:
        found[topic.topic.key, frozenset()] = topic.verdict.value
        for pair in topic.pairs:
            found[topic.topic.key, frozenset(pair.sides)] = pair.verdict.value
    return found


@settings(max_examples=120, deadline=None)
@given(claim_sets())
def test_any_order_of_parties_and_observers_gives_the_same_verdicts(sides: list[Side]) -> None:
    expected = _verdicts(sides)
    for order in itertools.permutations(sides):
        assert _verdicts(list(order)) == expected


@settings(max_examples=150, deadline=None)
@given(claim_sets())
def test_every_claim_appears_exactly_once_with_observers_and_reported_dates(
    sides: list[Side],
) -> None:
    comparison = compare(sides)
    seen: Counter[int] = Counter()
    for topic in comparison.topics:
        for side_id in topic.claims:
            for c in topic.claims[side_id] + topic.history[side_id]:
                assert c.side == side_id
                seen[id(c)] += 1
    every = [c for s in sides for c in s.claims]
    assert seen == Counter(id(c) for c in every)
    out = json.loads(render_json(comparison))
    ids = Counter(
        (side_id, c["id"])
        for t in out["topics"]
        for part in ("claims", "history")
        for side_id, cs in t[part].items()
        for c in cs
    )
    assert ids == Counter((c.side, c.id) for c in every)
    for t in out["topics"]:
        for part in ("claims", "history"):
            for cs in t[part].values():
                for c in cs:
                    assert c["said"] is None or c["reported"] is None


@settings(max_examples=150, deadline=None)
@given(claim_sets())
def test_parties_come_first_and_pairs_go_party_party_then_with_observers(
    sides: list[Side],
) -> None:
    comparison = compare(sides)
    given_order = [s.id for s in sides]
    parties = [s.id for s in sides if s.role == "party"]
    observers = [s.id for s in sides if s.role == "observer"]
    assert [s.id for s in comparison.sides] == parties + observers
    assert json.loads(render_json(comparison))["side_roles"] == {
        s.id: s.role for s in comparison.sides
    }
    kind = {s.id: s.role == "observer" for s in sides}
    for topic in comparison.topics:
        weights = [kind[a] + kind[b] for a, b in (p.sides for p in topic.pairs)]
        assert weights == sorted(weights)
        for a, b in (p.sides for p in topic.pairs):  # each pair in the order given
            assert (kind[a], given_order.index(a)) < (kind[b], given_order.index(b))
        if topic.pairs:
            assert topic.verdict == min((p.verdict for p in topic.pairs), key=lambda v: v.rank)


@settings(max_examples=150, deadline=None)
@given(claim_sets())
def test_a_reported_date_orders_as_a_said_date_would(sides: list[Side]) -> None:
    """Writing each reported claim's report date into `said` changes nothing in force."""

    def in_force(sides: list[Side]) -> dict[str, dict[str, list[str]]]:
        return {
            t.topic.key: {s: [c.id for c in cs] for s, cs in t.claims.items()}
            for t in compare(sides).topics
        }

    written = [
        msgspec.structs.replace(
            s, claims=[msgspec.structs.replace(c, said=c.dated) for c in s.claims]
        )
        for s in sides
    ]
    assert in_force(sides) == in_force(written)
    assert _verdicts(sides) == _verdicts(written)
