"""The properties of the comparison (tests/compare/test_properties.py) extended to
revision 3's counts (issue 22, points 5 and 6): generated claims now carry units
(none, `kg`, `KG`, `rockets`) and the speaker's words, beside open bounds and
ranges. Symmetric in every order of the sides, nothing lost, a topic's verdict the
strongest of its pairs; and two counts of one scope agree only when both are
bounded, and counts in different units never contradict as figures."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from factcmp.compare.judge import compare, judge_pair
from factcmp.model import Claim, Count, Names, Side, Tolerance, Topic, unit_key
from factcmp.render.jsonout import render_json
from factcmp.result import Verdict
from tests.compare.test_properties import claims_of
from tests.helpers import claim, side

UNITS = [None, None, "kg", "KG", "rockets"]
WORDS = [None, None, "hundreds", "dozens"]


@st.composite
def with_units(draw: st.DrawFn, side_id: str) -> list[Claim]:
    """The claims of test_properties, each given a unit and its count words at random."""
    out = []
    for one in draw(claims_of(side_id)):
        unit = draw(st.sampled_from(UNITS))
        count = one.count
        if count is not None:
            count = msgspec.structs.replace(count, words=draw(st.sampled_from(WORDS)))
        out.append(msgspec.structs.replace(one, unit=unit, count=count))
    return out


@st.composite
def claim_sets(draw: st.DrawFn, n_sides: int) -> tuple[list[Side], dict[str, Topic]]:
    ids = ["armenia", "azerbaijan", "russia"][:n_sides]
    aliases = {"armenia": ("Armenian",), "azerbaijan": ("x",), "russia": ("x", "Armenian")}
    sides = [side(i, *draw(with_units(i)), aliases=aliases[i]) for i in ids]
    tolerance = draw(
        st.sampled_from([Tolerance(0, False), Tolerance(5, True), Tolerance(10, False)])
    )
    return sides, {"t1": Topic("t1", "T1", tolerance)}


def _verdicts(sides: list[Side], topics: dict[str, Topic]) -> dict[object, str]:
    result = compare(sides, topics)
    out: dict[object, str] = {t.topic.key: t.verdict.value for t in result.topics}
    for t in result.topics:
        for p in t.pairs:
            out[t.topic.key, frozenset(p.sides)] = p.verdict.value
    return out


@settings(max_examples=150, deadline=None)
@given(claim_sets(3))
def test_any_order_of_three_sides_gives_the_same_verdicts_with_units(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    expected = _verdicts(sides, topics)
    for order in itertools.permutations(sides):
        assert _verdicts(list(order), topics) == expected


@settings(max_examples=150, deadline=None)
@given(claim_sets(3))
def test_every_claim_appears_exactly_once_with_units(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    result = compare(sides, topics)
    seen = Counter(
        (s, c.id)
        for t in result.topics
        for part in (t.claims, t.history)
        for s, cs in part.items()
        for c in cs
    )
    assert seen == Counter((s.id, c.id) for s in sides for c in s.claims)
    data_json = json.loads(render_json(result))
    in_json = Counter(
        (s, c["id"])
        for t in data_json["topics"]
        for part in ("claims", "history")
        for s, cs in t[part].items()
        for c in cs
    )
    assert in_json == seen


@settings(max_examples=150, deadline=None)
@given(claim_sets(3))
def test_a_topic_takes_the_strongest_of_its_pairs_with_units(
    data: tuple[list[Side], dict[str, Topic]],
) -> None:
    sides, topics = data
    for topic in compare(sides, topics).topics:
        if topic.pairs:
            assert topic.verdict == min((p.verdict for p in topic.pairs), key=lambda v: v.rank)


counts = st.one_of(
    st.integers(0, 120).map(lambda n: Count.given(best=n)),
    st.tuples(st.none() | st.integers(0, 60), st.none() | st.integers(60, 120))
    .filter(lambda t: t != (None, None))
    .map(lambda t: Count.given(min=t[0], max=t[1])),
)


@settings(max_examples=300, deadline=None)
@given(counts, counts, st.sampled_from(UNITS), st.sampled_from(UNITS))
def test_counts_agree_only_when_bounded_and_never_across_units(
    ca: Count, cb: Count, unit_a: str | None, unit_b: str | None
) -> None:
    a, b = claim("a", count=ca, unit=unit_a), claim("b", count=cb, unit=unit_b)
    topic = Topic("t", "T")
    names = Names([])
    verdict = judge_pair(a, b, topic, names).verdict
    assert verdict == judge_pair(b, a, topic, names).verdict  # symmetric
    if ca.open or cb.open:
        assert verdict is not Verdict.AGREEMENT  # an open bound confirms no figure
    if unit_key(a) != unit_key(b):
        assert verdict is Verdict.DISCREPANCY  # units differ: never compared as figures
