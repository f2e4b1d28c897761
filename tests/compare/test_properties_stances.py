"""The properties of tests/compare/test_properties.py over claim sets that use
revision 3's stances (issue 22, points 1 to 3): `stance: undetermined`, denials of
figures and topics that state their claim. Symmetric in every order of the sides,
pair by pair and topic by topic; nothing lost; a topic's verdict the strongest of
its pairs; and two affirmations on a stated topic never unjudged for want of a
facet."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcmp.compare.judge import compare, judge_pair
from factcmp.model import Claim, Names, Side, Tolerance, Topic
from factcmp.render.jsonout import render_json
from tests.helpers import claim, side

TOPICS = ["t1", "t2", "t3"]
NAMES = ["armenia", "azerbaijan", "russia", "Armenian", "x"]
PLACES = ["Jermuk", "Lachin", "jermuk"]
DATES = ["2022-09-12", "2022-09-13", "2022-09-14"]
STANCES = [None, "affirms", "denies", "undetermined"]

counts = st.one_of(
    st.integers(0, 120),
    st.tuples(st.none() | st.integers(0, 60), st.none() | st.integers(60, 120)).filter(
        lambda t: t != (None, None)
    ),
)


@st.composite
def claims_of(draw: st.DrawFn, side_id: str) -> list[Claim]:
    out = []
    for _ in range(draw(st.integers(0, 5))):
        facets: dict[str, object] = {"said": draw(st.sampled_from(DATES))}
        stance = draw(st.sampled_from(STANCES))
        if stance is not None:
            facets["stance"] = stance
        if draw(st.booleans()):
            facets["count"] = draw(counts)
        for key in ("subject", "actor"):
            if draw(st.integers(0, 3)) == 0:
                facets[key] = draw(st.sampled_from(NAMES))
        if draw(st.integers(0, 3)) == 0:
            facets["places"] = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2))
        if draw(st.integers(0, 4)) == 0:
            facets["period"] = ("2022-09-13", "2022-09-14")
        facets["status"] = draw(st.sampled_from(["current", "current", "current", "retracted"]))
        out.append(claim(side_id, draw(st.sampled_from(TOPICS)), **facets))
    return out


@st.composite
def claim_sets(draw: st.DrawFn, n_sides: int) -> tuple[list[Side], dict[str, Topic]]:
    ids = ["armenia", "azerbaijan", "russia"][:n_sides]
    aliases = {"armenia": ("Armenian",), "azerbaijan": ("x",), "russia": ()}
    sides = [side(i, *draw(claims_of(i)), aliases=aliases[i]) for i in ids]
    tolerance = draw(st.sampled_from([Tolerance(0, False), Tolerance(10, True)]))
    return sides, {
        "t1": Topic("t1", "T1", tolerance, claim="Azerbaijani troops fired first"),
        "t2": Topic("t2", "T2", tolerance),
    }


def verdicts(sides: list[Side], topics: dict[str, Topic]) -> dict[str, str]:
    return {t.topic.key: t.verdict.value for t in compare(sides, topics).topics}


def pairs(sides: list[Side], topics: dict[str, Topic]) -> dict[tuple[str, frozenset[str]], str]:
    return {
        (t.topic.key, frozenset(p.sides)): p.verdict.value
        for t in compare(sides, topics).topics
        for p in t.pairs
    }


@settings(max_examples=150, deadline=None)
@given(claim_sets(3))
def test_any_order_of_three_sides_gives_the_same_verdicts_and_pairs(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    expected, expected_pairs = verdicts(sides, topics), pairs(sides, topics)
    for order in itertools.permutations(sides):
        assert verdicts(list(order), topics) == expected
        assert pairs(list(order), topics) == expected_pairs


@settings(max_examples=300, deadline=None)
@given(claim_sets(2), st.sampled_from(["t1", "t2"]))
def test_a_pair_of_claims_judges_alike_both_ways_with_the_same_reasons(
    data: tuple[list[Side], dict[str, Topic]], key: str
) -> None:
    sides, topics = data
    names = Names(sides)
    for a in sides[0].claims:
        for b in sides[1].claims:
            forward = judge_pair(a, b, topics[key], names)
            backward = judge_pair(b, a, topics[key], names)
            assert forward.verdict == backward.verdict
            # a reason names both sides' values; swapped, the same words or the mirror
            assert len(forward.reasons) == len(backward.reasons)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(claim_sets(3))
def test_nothing_is_lost_and_a_topic_takes_the_strongest_of_its_pairs(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    comparison = compare(sides, topics)
    seen: Counter[int] = Counter()
    for topic in comparison.topics:
        for side_id in topic.claims:
            for c in topic.claims[side_id] + topic.history[side_id]:
                assert c.side == side_id
                seen[id(c)] += 1
        if topic.pairs:
            assert topic.verdict == min((p.verdict for p in topic.pairs), key=lambda v: v.rank)
        speaking = [s.id for s in sides if topic.claims[s.id]]
        assert [p.sides for p in topic.pairs] == list(itertools.combinations(speaking, 2))
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
    stances = {c["stance"] for t in out["topics"] for cs in t["claims"].values() for c in cs}
    assert stances <= {"affirms", "denies", "undetermined"}


@settings(max_examples=300, deadline=None)
@given(claim_sets(2))
def test_two_affirmations_on_a_stated_topic_are_never_unjudged_for_want_of_a_facet(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    names = Names(sides)
    for a in sides[0].claims:
        for b in sides[1].claims:
            verdict = judge_pair(a, b, topics["t1"], names)
            if a.affirms and b.affirms:
                assert [r.text for r in verdict.reasons] != ["no comparable facet"]
            if a.undetermined and b.undetermined and verdict.verdict.value != "unjudged":
                assert verdict.verdict.value == "agreement"
            if a.undetermined != b.undetermined and verdict.verdict.value != "unjudged":
                assert verdict.verdict.value == "discrepancy"
