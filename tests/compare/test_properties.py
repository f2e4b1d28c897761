"""Properties of the comparison over generated claim sets (hypothesis):

- symmetric: any order of the sides gives the same verdict on every topic, and
  each side's claims stay with that side;
- loses nothing: every claim of every side appears exactly once, in force or in
  its topic's history, in the result and in the JSON output.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcmp.compare.judge import compare
from factcmp.model import Claim, Side, Tolerance, Topic
from factcmp.render.jsonout import render_json
from tests.helpers import claim, side

TOPICS = ["t1", "t2", "t3"]
NAMES = ["armenia", "azerbaijan", "russia", "Armenian", "x"]
PLACES = ["Jermuk", "Lachin", "jermuk", "Kalbajar"]
DATES = ["2022-09-12", "2022-09-13", "2022-09-14"]

counts = st.one_of(
    st.integers(0, 120),
    st.tuples(st.none() | st.integers(0, 60), st.none() | st.integers(60, 120)).filter(
        lambda t: t != (None, None)
    ),
)


@st.composite
def claims_of(draw: st.DrawFn, side_id: str) -> list[Claim]:
    out = []
    for _ in range(draw(st.integers(0, 6))):
        facets: dict[str, object] = {
            "topic": draw(st.sampled_from(TOPICS)),
            "said": draw(st.sampled_from(DATES)),
        }
        if draw(st.booleans()):
            facets["count"] = draw(counts)
        for key in ("subject", "actor"):
            if draw(st.booleans()):
                facets[key] = draw(st.sampled_from(NAMES))
        if draw(st.booleans()):
            facets["places"] = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2))
        if draw(st.booleans()):
            facets["stance"] = draw(st.sampled_from(["affirms", "denies"]))
        if draw(st.booleans()):
            facets["period"] = draw(
                st.sampled_from([("2022-09-13", "2022-09-14"), (DATES[0],) * 2])
            )
        facets["status"] = draw(st.sampled_from(["current", "current", "superseded", "retracted"]))
        topic = facets.pop("topic")
        assert isinstance(topic, str)
        out.append(claim(side_id, topic, **facets))
    return out


@st.composite
def claim_sets(draw: st.DrawFn, n_sides: int) -> tuple[list[Side], dict[str, Topic]]:
    ids = ["armenia", "azerbaijan", "russia"][:n_sides]
    aliases = {"armenia": ("Armenian",), "azerbaijan": ("x",), "russia": ("x", "Armenian")}
    sides = [side(i, *draw(claims_of(i)), aliases=aliases[i]) for i in ids]
    tolerance = draw(
        st.sampled_from([Tolerance(0, False), Tolerance(5, True), Tolerance(10, False)])
    )
    return sides, {"t1": Topic("t1", "T1", tolerance)}


def verdicts(sides: list[Side], topics: dict[str, Topic]) -> dict[str, str]:
    return {t.topic.key: t.verdict.value for t in compare(sides, topics).topics}


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(claim_sets(2))
def test_swapping_two_sides_changes_no_verdict(data: tuple[list[Side], dict[str, Topic]]) -> None:
    sides, topics = data
    forward = compare(sides, topics)
    backward = compare(sides[::-1], topics)
    assert {t.topic.key: t.verdict for t in forward.topics} == {
        t.topic.key: t.verdict for t in backward.topics
    }
    by_key = {t.topic.key: t for t in backward.topics}
    for topic in forward.topics:
        assert topic.claims == by_key[topic.topic.key].claims
        assert topic.history == by_key[topic.topic.key].history


@settings(max_examples=150, deadline=None)
@given(claim_sets(3))
def test_any_order_of_three_sides_gives_the_same_verdicts(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    expected = verdicts(sides, topics)
    for order in itertools.permutations(sides):
        assert verdicts(list(order), topics) == expected


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(claim_sets(3))
def test_every_claim_appears_exactly_once(data: tuple[list[Side], dict[str, Topic]]) -> None:
    sides, topics = data
    comparison = compare(sides, topics)
    seen: Counter[int] = Counter()
    for topic in comparison.topics:
        for side_id in topic.claims:
            for c in topic.claims[side_id] + topic.history[side_id]:
                assert c.side == side_id
                assert c.topic == topic.topic.key
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


@settings(max_examples=200, deadline=None)
@given(claim_sets(2))
def test_a_topic_with_claims_in_force_on_two_sides_is_never_one_sided(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    for topic in compare(sides, topics).topics:
        speaking = [s for s, cs in topic.claims.items() if cs]
        assert (topic.verdict.value == "one-sided") == (len(speaking) < 2)


def _pairs(sides: list[Side], topics: dict[str, Topic]) -> dict[tuple[str, frozenset[str]], str]:
    return {
        (t.topic.key, frozenset(p.sides)): p.verdict.value
        for t in compare(sides, topics).topics
        for p in t.pairs
    }


@settings(max_examples=150, deadline=None)
@given(claim_sets(3))
def test_every_pair_of_sides_gets_the_same_verdict_in_any_order(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    expected = _pairs(sides, topics)
    for order in itertools.permutations(sides):
        assert _pairs(list(order), topics) == expected


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(claim_sets(3))
def test_a_topic_takes_the_strongest_of_its_pairs_and_they_cite_claims_in_force(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    for topic in compare(sides, topics).topics:
        speaking = [s.id for s in sides if topic.claims[s.id]]
        assert [p.sides for p in topic.pairs] == list(itertools.combinations(speaking, 2))
        if topic.pairs:
            assert topic.verdict == min((p.verdict for p in topic.pairs), key=lambda v: v.rank)
        for pair in topic.pairs:
            in_force = [{c.id for c in topic.claims[side]} for side in pair.sides]
            for reason in (*pair.reasons, *pair.agreeing):
                assert reason.claims
                for id_a, id_b in reason.claims:
                    assert id_a in in_force[0]
                    assert id_b in in_force[1]
