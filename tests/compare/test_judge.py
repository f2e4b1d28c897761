"""The comparison rules of docs/format.md, one by one ("the decision, step by step")."""

from __future__ import annotations

from typing import Any

import pytest

from factcmp.compare.judge import compare, disjoint_beyond
from factcmp.model import Clock, Count, Speaker, Tolerance, Topic
from factcmp.result import Comparison, TopicResult, Verdict
from tests.helpers import claim, count, side

PCT5 = Tolerance(5, percent=True)


def only_topic(comparison: Comparison) -> TopicResult:
    assert len(comparison.topics) == 1
    return comparison.topics[0]


def verdict_of(
    a: dict[str, Any], b: dict[str, Any], tolerance: Tolerance | None = None
) -> TopicResult:
    topics = {"t": Topic("t", "T", tolerance)} if tolerance else {}
    return only_topic(compare([side("a", claim("a", **a)), side("b", claim("b", **b))], topics))


# Step 3: one pair ----------------------------------------------------------------


def test_stances_differ_is_a_contradiction() -> None:
    result = verdict_of({"actor": "x"}, {"actor": "x", "stance": "denies"})
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["stance: A affirms, B denies"]


def test_explicit_affirms_against_denies_is_a_contradiction() -> None:
    result = verdict_of({"stance": "affirms"}, {"stance": "denies"})
    assert result.verdict is Verdict.CONTRADICTION


def test_both_deny_is_an_agreement_that_names_what_it_did_not_compare() -> None:
    result = verdict_of({"stance": "denies"}, {"stance": "denies", "actor": "z"})
    assert result.verdict is Verdict.AGREEMENT
    assert result.reasons == ["both deny", "actor: only B gives one (z)"]


# Step 3, revision 2: a stance speaks to one proposition ----------------------------


def test_a_denial_of_something_else_is_unjudged() -> None:
    # India: 20 Indian soldiers died; China denies that 40 Chinese soldiers died
    result = verdict_of(
        {"count": 20, "subject": "india"},
        {"stance": "denies", "count": 40, "subject": "china"},
    )
    assert result.verdict is Verdict.UNJUDGED
    assert result.reasons == ["a denial of something else: subjects differ: india vs china"]


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ({"actor": "x"}, {"actor": "y"}, "actors differ: x vs y"),
        (
            {"period": ("2022-09-13", "2022-09-13")},
            {"period": ("2022-09-14", "2022-09-14")},
            "periods differ: 2022-09-13 to 2022-09-13 vs 2022-09-14 to 2022-09-14",
        ),
        ({"places": ["Lorn"]}, {"places": ["Kessel"]}, "places differ: Lorn vs Kessel"),
    ],
)
def test_every_facet_both_set_can_make_a_denial_miss(
    a: dict[str, Any], b: dict[str, Any], reason: str
) -> None:
    result = verdict_of(a, {**b, "stance": "denies"})
    assert result.verdict is Verdict.UNJUDGED
    assert result.reasons == [f"a denial of something else: {reason}"]
    both = verdict_of({**a, "stance": "denies"}, {**b, "stance": "denies"})
    assert both.verdict is Verdict.UNJUDGED
    assert both.reasons == [f"denials of different things: {reason}"]


def test_a_denial_meets_a_claim_when_no_shared_facet_differs() -> None:
    # a place in common, and facets only one claim gives, do not make them miss
    result = verdict_of(
        {"places": ["Lorn", "Kessel"], "actor": "x"},
        {"stance": "denies", "places": ["lorn"], "subject": "y"},
    )
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["stance: A affirms, B denies"]


def test_a_denied_figure_is_named_in_the_reason() -> None:
    result = verdict_of(
        {"stance": "denies", "count": 40, "subject": "china"},
        {"count": (40, None), "subject": "china"},
    )
    assert result.verdict is Verdict.CONTRADICTION
    # the side that affirms comes first, whatever the order of the sides
    assert result.reasons == ["stance: B affirms at least 40, A denies 40, subject china"]


def test_a_stance_is_shown_against_the_topics_claim() -> None:
    topic = Topic("t", "Sovereignty over the valley", claim="The valley is B's territory")
    a = side("a", claim("a", stance="denies", said="2020-06-18"))
    b = side("b", claim("b", stance="affirms", said="2020-06-17"))
    result = only_topic(compare([a, b], {"t": topic}))
    assert result.reasons == ["B affirms / A denies: the valley is B's territory"]
    (pair,) = result.pairs
    assert pair.reasons[0].cited == (
        "B affirms (17 Jun 2020) / A denies (18 Jun 2020): the valley is B's territory"
    )


# Step 3, revision 2: reasons name their claims; agreements what they did not check --


def test_reasons_cite_who_and_when_and_json_the_claim_ids() -> None:
    singh = Speaker("singh", "V. K. Singh", "Minister of State")
    mod = Speaker("mod", "Ministry of Defence")
    a = claim("a", count=(40, None), subject="china", speaker=singh, said="2020-06-21", id="vk")
    b = claim("b", count=4, subject="china", speaker=mod, said="2021-02-19", id="mod-4")
    result = only_topic(compare([side("a", a), side("b", b)]))
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["count at least 40 vs 4, subject china"]
    (pair,) = result.pairs
    assert pair.sides == ("a", "b")
    assert pair.verdict is Verdict.CONTRADICTION
    (reason,) = pair.reasons
    assert reason.cited == (
        "count at least 40 (V. K. Singh, 21 Jun 2020) vs 4 (Ministry of Defence, "
        "19 Feb 2021), subject china"
    )
    assert reason.claims == (("vk", "mod-4"),)


def test_a_claim_without_speaker_is_cited_by_its_side_and_undated_as_such() -> None:
    result = verdict_of({"count": 5}, {"count": 6, "said": "2022-09-14"})
    assert result.pairs[0].reasons[0].cited == "count 5 (A, undated) vs 6 (B, 14 Sep 2022)"


def test_one_wording_names_every_claim_pair_behind_it() -> None:
    a1 = claim("a", stance="affirms", said="2020-06-17", id="a1")
    a2 = claim("a", stance="affirms", said="2020-06-19", id="a2")
    b1 = claim("b", stance="denies", said="2020-06-18", id="b1")
    result = only_topic(compare([side("a", a1, a2), side("b", b1)]))
    (reason,) = result.pairs[0].reasons
    assert reason.claims == (("a1", "b1"), ("a2", "b1"))
    assert reason.cited == "stance: A affirms (17 Jun 2020; 19 Jun 2020), B denies (18 Jun 2020)"


def test_an_agreement_names_the_facets_only_one_claim_gives() -> None:
    # India: "everything we built is on our side"; China: "India built at the LAC"
    result = verdict_of({"actor": "india"}, {"actor": "india", "places": ["LAC"]})
    assert result.verdict is Verdict.AGREEMENT
    assert result.reasons == ["same actor: india", "places: only B gives any (LAC)"]
    counts = verdict_of(
        {"count": 20, "subject": "x"}, {"count": 20, "period": ("2020-06-15", "2020-06-16")}
    )
    assert counts.reasons == [
        "count 20 vs 20, subject x",
        "subject: only A gives one (x)",
        "period: only B gives one (2020-06-15 to 2020-06-16)",
    ]


def test_contradictions_and_discrepancies_list_no_unchecked_facets() -> None:
    result = verdict_of({"actor": "x"}, {"actor": "y", "places": ["LAC"]})
    assert result.reasons == ["actor: x vs y"]


def test_different_actors_contradict() -> None:
    result = verdict_of({"actor": "azerbaijan"}, {"actor": "armenia"})
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["actor: azerbaijan vs armenia"]


def test_same_actor_agrees_case_insensitively() -> None:
    result = verdict_of({"actor": "Azerbaijan"}, {"actor": "azerbaijan "})
    assert result.verdict is Verdict.AGREEMENT
    assert result.reasons == ["same actor: Azerbaijan"]


def test_actor_named_by_a_side_alias_is_that_side() -> None:
    a = side("armenia", claim("armenia", actor="Azerbaijani"))
    b = side("azerbaijan", claim("azerbaijan", actor="azerbaijan"), aliases=("Azerbaijani", "Baku"))
    result = only_topic(compare([a, b]))
    assert result.verdict is Verdict.AGREEMENT


def test_counts_same_subject_disjoint_contradict() -> None:
    result = verdict_of(
        {"count": 430, "subject": "azerbaijan"}, {"count": 80, "subject": "azerbaijan"}
    )
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["count 430 vs 80, subject azerbaijan"]


def test_counts_different_subjects_are_a_discrepancy_whatever_the_numbers() -> None:
    result = verdict_of(
        {"count": 105, "subject": "armenia"}, {"count": 50, "subject": "azerbaijan"}
    )
    assert result.verdict is Verdict.DISCREPANCY
    assert result.reasons == ["count 105 vs 50, subjects differ: armenia vs azerbaijan"]
    same = verdict_of({"count": 50, "subject": "armenia"}, {"count": 50, "subject": "azerbaijan"})
    assert same.verdict is Verdict.DISCREPANCY


def test_counts_different_periods_are_a_discrepancy() -> None:
    result = verdict_of(
        {"count": 10, "period": ("2022-09-13", "2022-09-13")},
        {"count": 20, "period": ("2022-09-13", "2022-09-14")},
    )
    assert result.verdict is Verdict.DISCREPANCY
    assert result.reasons == [
        "count 10 vs 20, periods differ: 2022-09-13 to 2022-09-13 vs 2022-09-13 to 2022-09-14"
    ]


def test_a_subject_only_one_claim_sets_does_not_differ() -> None:
    result = verdict_of({"count": 105, "subject": "armenia"}, {"count": 50})
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["count 105 vs 50, subject armenia"]


def test_overlapping_counts_agree() -> None:
    result = verdict_of({"count": (100, 110)}, {"count": 105})
    assert result.verdict is Verdict.AGREEMENT
    assert result.reasons == ["count 100–110 vs 105"]


def test_tolerance_percent_of_the_larger_nearer_end() -> None:
    # 105 vs 100 at 5%: gap 5, allowed 5.25: they agree
    agree = verdict_of({"count": 105}, {"count": 100}, PCT5)
    assert agree.verdict is Verdict.AGREEMENT
    assert agree.reasons == ["count 105 vs 100 (within the tolerance of 5%)"]
    overlap = verdict_of({"count": (100, 110)}, {"count": 105}, PCT5)
    assert overlap.reasons == ["count 100–110 vs 105"]
    # 106 vs 100 at 5%: gap 6, allowed 5.3: they contradict
    assert verdict_of({"count": 106}, {"count": 100}, PCT5).verdict is Verdict.CONTRADICTION


def test_tolerance_absolute() -> None:
    three = Tolerance(3, percent=False)
    assert verdict_of({"count": 13}, {"count": 10}, three).verdict is Verdict.AGREEMENT
    assert verdict_of({"count": 14}, {"count": 10}, three).verdict is Verdict.CONTRADICTION


def test_default_tolerance_is_zero() -> None:
    assert verdict_of({"count": 11}, {"count": 10}).verdict is Verdict.CONTRADICTION
    assert verdict_of({"count": 10}, {"count": 10}).verdict is Verdict.AGREEMENT


@pytest.mark.parametrize(
    ("a", "b", "disjoint"),
    [
        (count(105), count(105), False),
        (count((100, None)), count(5000), False),  # at least 100: open above
        (count((None, 100)), count(101), True),  # up to 100 is [0, 100]
        (count((None, 100)), count(0), False),
        (Count.given(best=105, min=100, max=110), count(111), True),
        (Count.given(best=105), count(105), False),
    ],
)
def test_counts_as_intervals(a: Count, b: Count, disjoint: bool) -> None:
    no_tolerance = Tolerance(0, percent=False)
    assert disjoint_beyond(a, b, no_tolerance) is disjoint
    assert disjoint_beyond(b, a, no_tolerance) is disjoint


def test_places_without_one_in_common_are_a_discrepancy() -> None:
    result = verdict_of({"places": ["Jermuk"]}, {"places": ["Kalbajar", "Lachin"]})
    assert result.verdict is Verdict.DISCREPANCY
    assert result.reasons == ["places differ: Jermuk vs Kalbajar, Lachin"]


def test_places_with_one_in_common_agree() -> None:
    result = verdict_of({"places": ["Jermuk", "Verin Shorzha"]}, {"places": ["jermuk"]})
    assert result.verdict is Verdict.AGREEMENT
    assert result.reasons == ["places in common: Jermuk"]


def test_contradiction_outweighs_discrepancy_in_a_pair() -> None:
    result = verdict_of(
        {"actor": "azerbaijan", "places": ["Jermuk"]}, {"actor": "armenia", "places": ["Lachin"]}
    )
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["actor: azerbaijan vs armenia", "places differ: Jermuk vs Lachin"]


def test_discrepancy_outweighs_agreement_in_a_pair() -> None:
    result = verdict_of({"actor": "x", "places": ["P"]}, {"actor": "x", "places": ["Q"]})
    assert result.verdict is Verdict.DISCREPANCY


def test_no_comparable_facet_is_unjudged() -> None:
    result = verdict_of({"subject": "x"}, {"places": ["P"]})
    assert result.verdict is Verdict.UNJUDGED
    assert result.reasons == ["no comparable facet"]


def test_both_stating_their_stance_is_an_agreement() -> None:
    result = verdict_of({"stance": "affirms"}, {"stance": "affirms"})
    assert result.verdict is Verdict.AGREEMENT
    assert verdict_of({"stance": "affirms"}, {}).verdict is Verdict.UNJUDGED


# Step 1: what is in force ---------------------------------------------------------


def test_latest_count_per_subject_is_in_force_older_is_history() -> None:
    old = claim("a", count=80, subject="x", said="2022-09-13")
    new = claim("a", count=100, subject="x", said="2022-09-14")
    other_subject = claim("a", count=5, subject="y", said="2022-09-12")
    b = claim("b", count=100, subject="x")
    result = only_topic(compare([side("a", old, new, other_subject), side("b", b)]))
    assert result.claims["a"] == [new, other_subject]
    assert result.history["a"] == [old]
    # the old 80 is not compared: 100 vs 100 agrees
    assert result.verdict is Verdict.DISCREPANCY  # y vs x differs in subject


def test_on_one_day_the_later_time_is_in_force() -> None:
    # the Indian Army raised its toll from 3 to 20 on the evening of 16 June 2020
    morning = claim("a", count=3, subject="x", said="2020-06-16", said_time=Clock(13, 0))
    evening = claim("a", count=20, subject="x", said="2020-06-16", said_time=Clock(21, 30))
    result = only_topic(compare([side("a", evening, morning), side("b", claim("b"))]))
    assert result.claims["a"] == [evening]
    assert result.history["a"] == [morning]


def test_on_one_day_without_both_times_both_counts_stay_in_force() -> None:
    timed = claim("a", count=3, subject="x", said="2020-06-16", said_time=Clock(13, 0))
    untimed = claim("a", count=20, subject="x", said="2020-06-16")
    result = only_topic(compare([side("a", timed, untimed), side("b", claim("b"))]))
    assert result.claims["a"] == [timed, untimed]


def test_times_with_zones_are_compared_as_instants() -> None:
    # 21:30 in Delhi (16:00 UTC) is before 17:00 UTC
    delhi = claim("a", count=3, subject="x", said="2020-06-16", said_time=Clock(21, 30, 0, 330))
    utc = claim("a", count=20, subject="x", said="2020-06-16", said_time=Clock(17, 0, 0, 0))
    result = only_topic(compare([side("a", delhi, utc), side("b", claim("b"))]))
    assert result.claims["a"] == [utc]
    # without a zone on any, the clocks are compared as they read
    early = claim("a", count=3, subject="x", said="2020-06-16", said_time=Clock(21, 30))
    late = claim("a", count=20, subject="x", said="2020-06-16", said_time=Clock(22, 0))
    result = only_topic(compare([side("a", late, early), side("b", claim("b"))]))
    assert result.claims["a"] == [late]


def test_times_with_and_without_a_zone_cannot_be_ordered() -> None:
    # 21:30 in an unnamed zone is neither before nor after 17:00 UTC: both stay in
    # force, whatever other claims of the day say (check reports the pair)
    delhi = claim("a", count=3, subject="x", said="2020-06-16", said_time=Clock(21, 30, 0, 330))
    utc = claim("a", count=20, subject="x", said="2020-06-16", said_time=Clock(17, 0, 0, 0))
    clock = claim("a", count=1, subject="x", said="2020-06-16", said_time=Clock(10, 0))
    result = only_topic(compare([side("a", delhi, utc, clock), side("b", claim("b"))]))
    assert result.claims["a"] == [delhi, utc, clock]


def test_superseded_and_retracted_claims_are_history_never_compared() -> None:
    retracted = claim("a", actor="z", status="retracted")
    superseded = claim("a", actor="z", status="superseded")
    current = claim("a", actor="x")
    b = claim("b", actor="x")
    result = only_topic(compare([side("a", retracted, superseded, current), side("b", b)]))
    assert result.verdict is Verdict.AGREEMENT
    assert result.history["a"] == [retracted, superseded]


# Steps 2 and 5: topics and sides ---------------------------------------------------


def test_one_side_only_is_one_sided() -> None:
    a = side("a", claim("a", topic="only-a"))
    b = side("b", claim("b", topic="only-b"))
    comparison = compare([a, b])
    assert [t.verdict for t in comparison.topics] == [Verdict.ONE_SIDED] * 2
    reasons = {t.topic.key: t.reasons for t in comparison.topics}
    assert reasons["only-a"] == ["only A has a claim in force on this topic"]


def test_a_side_with_only_history_leaves_the_topic_one_sided_showing_it() -> None:
    a = side("a", claim("a", actor="x"))
    retracted = claim("b", actor="y", status="retracted")
    result = only_topic(compare([a, side("b", retracted)]))
    assert result.verdict is Verdict.ONE_SIDED
    assert result.history["b"] == [retracted]
    assert "B only in the history" in result.reasons[0]


def test_topic_takes_the_strongest_verdict_over_all_pairs() -> None:
    a = side("a", claim("a", actor="x"), claim("a", places=["P"]))
    b = side("b", claim("b", actor="x"), claim("b", places=["Q"]))
    assert only_topic(compare([a, b])).verdict is Verdict.DISCREPANCY


def test_three_sides_strongest_pair_wins_and_reasons_name_the_sides() -> None:
    a = side("a", claim("a", actor="x"))
    b = side("b", claim("b", actor="x"))
    c = side("c", claim("c", actor="y"))
    result = only_topic(compare([a, b, c]))
    assert result.verdict is Verdict.CONTRADICTION
    assert result.reasons == ["A vs C: actor: x vs y", "B vs C: actor: x vs y"]


# Step 6: every pair of sides keeps its verdict -------------------------------------


def test_every_pair_of_sides_keeps_its_own_verdict() -> None:
    # a third party corroborates one side: the topic's contradiction must not hide it
    india = side("india", claim("india", count=20, subject="india", id="army-20"))
    china = side("china", claim("china", count=3, subject="india", id="claim-3"))
    russia = side("russia", claim("russia", count=20, subject="india", id="tass-20"))
    result = only_topic(compare([india, china, russia]))
    assert result.verdict is Verdict.CONTRADICTION
    assert [(p.sides, p.verdict) for p in result.pairs] == [
        (("india", "china"), Verdict.CONTRADICTION),
        (("india", "russia"), Verdict.AGREEMENT),
        (("china", "russia"), Verdict.CONTRADICTION),
    ]
    assert result.pairs[1].reasons[0].text == "count 20 vs 20, subject India"
    assert result.pairs[1].reasons[0].claims == (("army-20", "tass-20"),)


def test_sides_with_nothing_in_force_make_no_pair() -> None:
    a = side("a", claim("a", actor="x"))
    b = side("b", claim("b", actor="x"))
    c = side("c", claim("c", actor="y", status="retracted"), claim("c", topic="other"))
    result = next(t for t in compare([a, b, c]).topics if t.topic.key == "t")
    assert [p.sides for p in result.pairs] == [("a", "b")]
    assert result.reasons == ["same actor: x"]  # one pair: no side names before reasons


def test_a_pair_keeps_what_agrees_under_a_stronger_verdict() -> None:
    # India gives Indian and Chinese dead, TASS both too: figures on different
    # subjects are a discrepancy, and the figures that match are kept beside it
    india = side(
        "india",
        claim("india", count=20, subject="india", id="army-20"),
        claim("india", count=(40, None), subject="china", id="singh-40"),
    )
    russia = side(
        "russia",
        claim("russia", count=(20, 20), subject="india", id="tass-20"),
        claim("russia", count=(45, None), subject="china", id="tass-45"),
    )
    (pair,) = only_topic(compare([india, russia])).pairs
    assert pair.verdict is Verdict.DISCREPANCY
    # revision 3: open bounds (at least 40, at least 45) are consistent, not confirming
    assert [r.text for r in pair.agreeing] == ["count 20 vs 20, subject India"]
    assert pair.agreeing[0].claims == (("army-20", "tass-20"),)


def test_an_agreement_has_nothing_more_agreeing() -> None:
    (pair,) = verdict_of({"actor": "x"}, {"actor": "x"}).pairs
    assert pair.agreeing == ()


def test_topics_sorted_by_verdict_then_topics_yaml_order() -> None:
    a = side(
        "a",
        claim("a", topic="one", actor="x"),
        claim("a", topic="two"),
        claim("a", topic="three", actor="x"),
    )
    b = side("b", claim("b", topic="one", actor="x"), claim("b", topic="three", actor="y"))
    topics = {"two": Topic("two", "Two", order=0), "one": Topic("one", "One", order=1)}
    comparison = compare([a, b], topics)
    assert [t.topic.key for t in comparison.topics] == ["three", "one", "two"]
    assert comparison.topics[1].topic.label == "One"
    assert comparison.topics[0].topic.label == "Three"  # made from the key


def test_summary_counts_every_verdict() -> None:
    a = side("a", claim("a", topic="p", actor="x"), claim("a", topic="q"))
    b = side("b", claim("b", topic="p", actor="y"))
    summary = compare([a, b]).summary()
    assert summary[Verdict.CONTRADICTION] == 1
    assert summary[Verdict.ONE_SIDED] == 1
    assert sum(summary.values()) == 2


# The sample ------------------------------------------------------------------------


def test_sample_verdicts(in_repo: object) -> None:
    from pathlib import Path

    from factcmp.load.files import load_side, load_topics

    sides = [load_side(Path("claims") / f"{s}.yaml") for s in ("armenia", "azerbaijan")]
    comparison = compare(sides, load_topics(Path("claims/topics.yaml")))
    verdicts = {t.topic.key: t.verdict for t in comparison.topics}
    assert verdicts["russian-outpost"] is Verdict.CONTRADICTION
    assert verdicts["shelling"] is Verdict.CONTRADICTION
    assert verdicts["ceasefire.violations"] is Verdict.CONTRADICTION
    assert verdicts["casualties.military"] is Verdict.DISCREPANCY
    for one_sided in ("bodies.handover", "casualties.civilian", "appeal.allies"):
        assert verdicts[one_sided] is Verdict.ONE_SIDED
    reasons = {t.topic.key: t.reasons for t in comparison.topics}
    assert reasons["casualties.military"] == [
        "count 105 vs 50, subjects differ: Armenia vs Azerbaijan"
    ]
    assert reasons["shelling"][0] == "actor: Azerbaijan vs Armenia"
    assert reasons["russian-outpost"] == [
        "Armenia affirms / Azerbaijan denies: Azerbaijani troops fired on a Russian military "
        "outpost in Armenia"
    ]


def test_alias_resolution_applies_to_what_is_in_force() -> None:
    # "Alpha" is an alias of side a: the two counts are on the same subject, so only
    # the later one is in force and the older one cannot contradict b.
    a = side(
        "a",
        claim("a", count=10, subject="a", said="2022-09-14"),
        claim("a", count=99, subject="Alpha", said="2022-09-13"),
        aliases=("Alpha",),
    )
    b = side("b", claim("b", count=10, subject="a"))
    result = only_topic(compare([a, b]))
    assert result.verdict is Verdict.AGREEMENT
    assert len(result.history["a"]) == 1


def test_an_alias_two_sides_share_resolves_to_neither_in_any_order() -> None:
    a = side("a", claim("a", actor="west"), aliases=("west",))
    b = side("b", claim("b", actor="a"), aliases=("west",))
    forward = only_topic(compare([a, b])).verdict
    backward = only_topic(compare([b, a])).verdict
    assert forward is backward is Verdict.CONTRADICTION


def test_a_side_id_wins_over_another_sides_alias() -> None:
    a = side("a", claim("a", actor="b"))
    b = side("b", claim("b", actor="b"), aliases=("a",))
    assert only_topic(compare([a, b])).verdict is Verdict.AGREEMENT
    assert only_topic(compare([b, a])).verdict is Verdict.AGREEMENT
