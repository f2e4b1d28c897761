"""Counts confirm or they do not agree, and units (issue 22, points 5 and 6; revision
3 of the decision, docs/format.md steps 1, 3 and 4), claim by claim and on the
fixture dispute tests/fixtures/counts (an open bound against figures, ranges, the
speaker's words, two units on one topic)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factcmp.compare.judge import compare
from factcmp.compare.match import split_in_force
from factcmp.model import Count, Names, Tolerance, Topic
from factcmp.result import Verdict
from tests.helpers import claim, run, side

COUNTS = Path(__file__).resolve().parents[1] / "fixtures" / "counts"
SIDES = ("northland", "southland", "eastland")


def pair_of(a: dict[str, Any], b: dict[str, Any], tolerance: Tolerance | None = None) -> Any:
    topic = Topic("t", "T", tolerance or Tolerance(0))
    sides = [side("north", claim("north", **a)), side("south", claim("south", **b))]
    (result,) = compare(sides, {"t": topic}).topics
    (pair,) = result.pairs
    return pair


@pytest.mark.parametrize(
    ("a", "b", "verdict", "reason"),
    [
        # both bounded: a figure, or a range with both ends
        (64, (60, 70), Verdict.AGREEMENT, "count 64 vs 60–70"),
        (20, 20, Verdict.AGREEMENT, "count 20 vs 20"),
        # an open bound is consistent with a figure but does not confirm it
        (20, (20, None), Verdict.DISCREPANCY,
         "count 20 vs at least 20: consistent, not confirming"),
        ((None, 400), (10, 50), Verdict.DISCREPANCY,
         "count up to 400 vs 10–50: consistent, not confirming"),
        ((100, None), (200, None), Verdict.DISCREPANCY,
         "count at least 100 vs at least 200: consistent, not confirming"),
        # disjoint stays a contradiction, open or not
        ((None, 400), 480, Verdict.CONTRADICTION, "count up to 400 vs 480"),
        ((500, None), 471, Verdict.CONTRADICTION, "count at least 500 vs 471"),
    ],
)  # fmt: skip
def test_counts_agree_only_when_both_are_bounded(
    a: Any, b: Any, verdict: Verdict, reason: str
) -> None:
    pair = pair_of({"count": a}, {"count": b})
    assert pair.verdict is verdict
    assert [r.text for r in pair.reasons] == [reason]


def test_an_open_bound_within_the_tolerance_is_consistent_not_confirming() -> None:
    pair = pair_of({"count": (60, 70)}, {"count": (75, None)}, Tolerance(10, percent=True))
    assert pair.verdict is Verdict.DISCREPANCY
    assert [r.text for r in pair.reasons] == [
        "count 60–70 vs at least 75 (within the tolerance of 10%): consistent, not confirming"
    ]


def test_a_best_with_one_bound_is_open() -> None:
    assert not Count.given(best=105).open
    assert not Count.given(best=105, min=100, max=110).open
    assert Count.given(best=105, min=100).open
    pair = pair_of({"count": Count.given(best=105)}, {"count": Count.given(best=105, min=100)})
    assert pair.verdict is Verdict.DISCREPANCY
    assert [r.text for r in pair.reasons] == [
        "count 105 vs 105 (at least 100): consistent, not confirming"
    ]


def test_units_differ_is_a_discrepancy_whatever_the_numbers() -> None:
    pair = pair_of({"count": 5, "unit": "kg"}, {"count": 5})
    assert pair.verdict is Verdict.DISCREPANCY
    assert [r.text for r in pair.reasons] == ["count 5 kg vs 5, units differ: kg vs people"]
    pair = pair_of({"count": 5, "unit": "kg"}, {"count": 480, "unit": "rockets"})
    assert [r.text for r in pair.reasons] == [
        "count 5 kg vs 480 rockets, units differ: kg vs rockets"
    ]


def test_one_unit_written_two_ways_is_one_unit() -> None:
    pair = pair_of({"count": 2, "unit": "Rockets"}, {"count": 1, "unit": "rockets"})
    assert pair.verdict is Verdict.CONTRADICTION
    assert [r.text for r in pair.reasons] == ["count 2 Rockets vs 1 rockets"]
    assert pair_of({"count": 3, "unit": "people"}, {"count": 3}).verdict is Verdict.AGREEMENT


def test_in_the_stance_test_units_that_differ_make_the_pair_unjudged() -> None:
    pair = pair_of({"count": 2, "unit": "rockets", "stance": "denies"}, {"count": 2})
    assert pair.verdict is Verdict.UNJUDGED
    assert [r.text for r in pair.reasons] == [
        "a denial of something else: units differ: rockets vs people"
    ]
    # a unit on a claim without a count is no difference
    pair = pair_of({"unit": "rockets", "stance": "denies"}, {"count": 2})
    assert pair.verdict is Verdict.CONTRADICTION


def test_the_latest_count_is_chosen_per_unit() -> None:
    older = claim("s", count=500, said="2023-10-17", id="toll-1017")
    rockets = claim("s", count=2, unit="rockets", said="2023-10-17", id="rockets-1017")
    latest = claim("s", count=471, said="2023-10-18", id="toll-1018")
    split = split_in_force([older, rockets, latest], Names([]))
    assert [c.id for c in split.in_force] == ["rockets-1017", "toll-1018"]
    assert [c.id for c in split.history] == ["toll-1017"]


def test_the_speakers_words_are_never_compared() -> None:
    a = claim("north", count=Count.given(min=100, words="hundreds"))
    b = claim("south", count=Count.given(min=100, words="a few hundred"))
    (result,) = compare([side("north", a), side("south", b)]).topics
    assert result.verdict is Verdict.DISCREPANCY  # open bounds: not confirming
    assert result.reasons == [
        "count hundreds (at least 100) vs a few hundred (at least 100): consistent, not confirming"
    ]
    c = claim("north", count=Count.given(min=100, max=300, words="hundreds"))
    d = claim("south", count=Count.given(best=200))
    (result,) = compare([side("north", c), side("south", d)]).topics
    assert result.verdict is Verdict.AGREEMENT


# --- the fixture dispute, through the installed command --------------------------------


def diff_json(*args: str) -> dict[str, Any]:
    done = run("diff", *SIDES, "--format", "json", *args, cwd=COUNTS)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_the_fixture_dispute_topic_by_topic_and_pair_by_pair() -> None:
    topics = {t["topic"]: t for t in diff_json()["topics"]}
    pairs = {
        key: {"–".join(p["sides"]): (p["verdict"], [r["text"] for r in p["reasons"]])
              for p in t["pairs"]}
        for key, t in topics.items()
    }  # fmt: skip
    assert {k: t["verdict"] for k, t in topics.items()} == {
        "casualties.killed": "contradiction",
        "blast.size": "contradiction",
        "casualties.injured": "discrepancy",
        "arrests": "discrepancy",
        "displaced": "agreement",
    }
    assert pairs["casualties.killed"] == {
        "northland–southland": ("contradiction", ["count up to 400 vs 471"]),
        "northland–eastland": (
            "discrepancy",
            ["count up to 400 vs 10–50: consistent, not confirming"],
        ),
        "southland–eastland": ("contradiction", ["count 471 vs 10–50"]),
    }
    assert pairs["blast.size"] == {
        "northland–southland": (
            "discrepancy",
            ["count 5 kg vs 2 rockets, units differ: kg vs rockets"],
        ),
        "northland–eastland": (
            "discrepancy",
            ["count 5 kg vs 1 rockets, units differ: kg vs rockets"],
        ),
        "southland–eastland": ("contradiction", ["count 2 rockets vs 1 rockets"]),
    }
    assert topics["casualties.injured"]["reasons"] == [
        "count 300 vs hundreds (at least 100): consistent, not confirming"
    ]
    assert topics["arrests"]["reasons"] == ["count 20 vs at least 20: consistent, not confirming"]
    assert topics["displaced"]["reasons"] == ["count 1,000–2,000 vs 1,500"]


def test_the_fixture_json_gives_units_and_words_and_keeps_every_claim() -> None:
    data = diff_json()
    claims = {
        (s, c["id"]): c
        for t in data["topics"]
        for part in ("claims", "history")
        for s, cs in t[part].items()
        for c in cs
    }
    assert claims["northland", "explosive-1018"]["unit"] == "kg"
    assert claims["northland", "explosive-1018"]["count"] == 5
    assert claims["northland", "toll-below-1019"]["unit"] is None
    assert claims["eastland", "injured-1019"]["count"] == {"min": 100, "words": "hundreds"}
    # every claim of every file, once: Southland's 500 is history, its rockets in force
    assert len(claims) == 4 + 6 + 3
    killed = next(t for t in data["topics"] if t["topic"] == "casualties.killed")
    assert [c["id"] for c in killed["history"]["southland"]] == ["toll-1017"]
