"""Revision 3 of the decision, step 3 (issue 22, points 1 to 3): a claim may leave the
question undetermined; a denial of a figure meets only that figure; a topic's stated
claim makes affirmations comparable. On the stances fixture (tests/fixtures/stances:
an invented dispute with two parties and four observers) through the installed
command's JSON, and rule by rule on claims built in the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factcmp.compare.judge import judge_pair
from factcmp.model import Names, Tolerance, Topic
from tests.helpers import claim, run, side

STANCES = Path(__file__).resolve().parents[1] / "fixtures" / "stances" / "claims"
CAUSE = "a misfired Southland rocket caused the blast at the hospital"


def as_json() -> dict[str, Any]:
    done = run("diff", "--no-cache", "--claims-dir", str(STANCES), "--format", "json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


@pytest.fixture(scope="module")
def topics() -> dict[str, Any]:
    return {t["topic"]: t for t in as_json()["topics"]}


def pairs(topic: dict[str, Any]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    return {
        tuple(p["sides"]): (p["verdict"], [r["text"] for r in p["reasons"]]) for p in topic["pairs"]
    }


def test_undetermined_claims_keep_their_stance_in_json(topics: dict[str, Any]) -> None:
    claims = topics["blast.cause"]["claims"]
    assert claims["rights-watch"][0]["stance"] == "undetermined"
    assert claims["rights-watch"][0]["stance_given"] is True
    assert claims["eastland"][0]["stance"] == "affirms"
    assert claims["eastland"][0]["stance_given"] is False


def test_both_undetermined_agree(topics: dict[str, Any]) -> None:
    assert pairs(topics["blast.cause"])[("rights-watch", "westland")] == (
        "agreement",
        [f"both leave it undetermined: {CAUSE}"],
    )


def test_undetermined_against_a_denial_or_an_affirmation_is_a_discrepancy(
    topics: dict[str, Any],
) -> None:
    found = pairs(topics["blast.cause"])
    assert found[("rights-watch", "southland")] == (
        "discrepancy",
        [f"Rights Watch leaves it undetermined; Southland denies: {CAUSE}"],
    )
    # the side that cannot tell comes first, whatever the order of the sides
    assert found[("eastland", "rights-watch")] == (
        "discrepancy",
        [f"Rights Watch leaves it undetermined; Eastland affirms: {CAUSE}"],
    )


def test_observers_that_affirm_without_a_stance_agree_on_a_stated_claim(
    topics: dict[str, Any],
) -> None:
    found = pairs(topics["blast.cause"])
    assert found[("eastland", "wire-desk")] == (
        "agreement",
        [f"both affirm: {CAUSE}", "places: only Wire Desk gives any (Southland)"],
    )
    # an explicit affirmation and an implicit one agree too
    assert found[("eastland", "northland")][0] == "agreement"
    # and an implicit affirmation still contradicts a denial
    assert found[("southland", "wire-desk")] == (
        "contradiction",
        [f"Wire Desk affirms / Southland denies: {CAUSE}"],
    )
    assert topics["rocket.type"]["verdict"] == "agreement"


def test_a_denial_of_a_figure_meets_only_that_figure(topics: dict[str, Any]) -> None:
    found = pairs(topics["casualties.blast"])
    assert found[("eastland", "northland")] == (
        "unjudged",
        ["a denial of something else: 10–50 vs 500"],
    )
    assert found[("northland", "southland")] == (
        "contradiction",
        ["stance: Southland affirms 500, Northland denies 500"],
    )
    assert found[("eastland", "southland")][0] == "contradiction"


def test_every_claim_of_the_fixture_is_in_the_json_once(topics: dict[str, Any]) -> None:
    import yaml

    seen = sorted(
        (side_id, c["id"])
        for t in topics.values()
        for part in ("claims", "history")
        for side_id, cs in t[part].items()
        for c in cs
    )
    written = sorted(
        (path.stem, c["id"])
        for path in STANCES.glob("*.yaml")
        if path.name != "topics.yaml"
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]
    )
    assert seen == written


# Rule by rule, on claims built in the test --------------------------------------------

STATED = Topic("t", "T", claim="The rocket misfired")
PLAIN = Topic("t", "T")


def judged(a: Any, b: Any, topic: Topic = PLAIN) -> tuple[str, list[str]]:
    names = Names([side(a.side, a), side(b.side, b)])
    forward = judge_pair(a, b, topic, names)
    backward = judge_pair(b, a, topic, names)
    assert forward.verdict == backward.verdict  # symmetric, pair by pair
    return forward.verdict.value, [r.text for r in forward.reasons]


def test_undetermined_claims_about_different_subjects_are_unjudged() -> None:
    a = claim("north", stance="undetermined", subject="hospital")
    b = claim("south", stance="denies", subject="school")
    assert judged(a, b) == (
        "unjudged",
        ["about different things: subjects differ: hospital vs school"],
    )


def test_a_figure_left_undetermined_names_both_figures() -> None:
    a = claim("north", stance="undetermined", count=500)
    b = claim("south", count=(400, 600))
    assert judged(a, b) == (
        "discrepancy",
        ["stance: North leaves 500 undetermined; South affirms 400–600"],
    )
    # step 3 meets only a denial's figure to its own: a figure left undetermined
    # meets any figure of the same scope, and the reader sees both
    far = claim("south", count=(10, 50))
    assert judged(a, far) == (
        "discrepancy",
        ["stance: North leaves 500 undetermined; South affirms 10–50"],
    )
    # but a denial of 10–50 meets only 10–50
    denied = claim("south", stance="denies", count=(10, 50))
    assert judged(a, denied) == ("unjudged", ["about different things: 500 vs 10–50"])


def test_a_denial_of_a_figure_within_the_tolerance_meets_it() -> None:
    a = claim("north", stance="denies", count=500)
    b = claim("south", count=480)
    tolerant = Topic("t", "T", Tolerance(5, True))
    assert judged(a, b, tolerant)[0] == "contradiction"
    assert judged(a, b)[0] == "unjudged"


def test_a_denial_without_a_count_denies_the_claim_as_a_whole() -> None:
    a = claim("north", stance="denies")
    b = claim("south", count=10)
    assert judged(a, b)[0] == "contradiction"


def test_affirmations_without_a_stated_claim_stay_unjudged() -> None:
    a = claim("north", text="it misfired")
    b = claim("south", text="it misfired")
    assert judged(a, b) == ("unjudged", ["no comparable facet"])
    assert judged(a, b, STATED) == ("agreement", ["both affirm: the rocket misfired"])


def test_affirmations_of_a_stated_claim_about_different_things_are_unjudged() -> None:
    a = claim("north", subject="hospital")
    b = claim("south", subject="school", stance="affirms")
    assert judged(a, b, STATED) == (
        "unjudged",
        ["affirmations of different things: subjects differ: hospital vs school"],
    )
    # a facet that differs and is judged decides as before
    c = claim("north", actor="north")
    d = claim("south", actor="south")
    assert judged(c, d, STATED)[0] == "contradiction"


def test_on_a_stated_claim_implicit_affirmations_of_different_things_are_unjudged() -> None:
    stated = Topic("t", "T", claim=CAUSE)
    a = claim("north", subject="hospital")
    b = claim("south", subject="school")
    assert judged(a, b, stated) == (
        "unjudged",
        ["affirmations of different things: subjects differ: hospital vs school"],
    )


def test_two_claims_that_both_state_affirms_agree_as_step_3_says() -> None:
    # "an agreement ... if both claims set `stance` explicitly": on a stated claim too,
    # whatever facets only they set
    stated = Topic("t", "T", claim=CAUSE)
    a = claim("north", stance="affirms", subject="hospital")
    b = claim("south", stance="affirms", subject="school")
    for topic in (stated, PLAIN):
        assert judged(a, b, topic)[0] == "agreement"
