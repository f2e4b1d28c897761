"""Revision 3 of the decision on a real dispute with ten sides: the explosion at
al-Ahli Arab Hospital, Gaza City, 17 October 2023 (tests/fixtures/ahli), curated
from public reporting. Two parties and an armed group blame each other; four
governments' intelligence assessments, a rights group's investigation and two news
organisations' analyses of the footage weigh in, most of them affirming without
writing `stance`, some leaving the question undetermined, one denying a figure.

Every expected verdict below was worked out by hand from docs/format.md's decision,
step by step, before the code was run on these files."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from typing import Any

import pytest

from tests.conftest import REPO

AHLI = REPO / "tests" / "fixtures" / "ahli" / "claims"
FACTCMP = shutil.which("factcmp")
PARTIES = ["israel", "hamas", "pij"]
OBSERVERS = ["us", "france", "uk", "canada", "hrw", "ap", "nyt"]
SIDES = PARTIES + OBSERVERS

C, D, A, U = "contradiction", "discrepancy", "agreement", "unjudged"


def _diff(*sides: str) -> dict[str, Any]:
    assert FACTCMP is not None
    done = subprocess.run(
        [FACTCMP, "diff", *sides, "--claims-dir", str(AHLI), "--format", "json"],
        capture_output=True, check=False, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.fixture(scope="module")
def compared() -> dict[str, Any]:
    return _diff(*SIDES)


def _topic(compared: dict[str, Any], key: str) -> dict[str, Any]:
    (topic,) = [t for t in compared["topics"] if t["topic"] == key]
    found: dict[str, Any] = topic
    return found


def _pairs(topic: dict[str, Any]) -> dict[frozenset[str], str]:
    return {frozenset(p["sides"]): p["verdict"] for p in topic["pairs"]}


# blast.israeli-strike, which states a claim: Israel, the United States, France and
# Canada deny it; Hamas (twice) and Islamic Jihad affirm it, in so many words; the
# New York Times leaves it undetermined.
STRIKE = {"israel": "denies", "hamas": "affirms", "pij": "affirms", "us": "denies",
          "france": "denies", "canada": "denies", "nyt": "undetermined"}  # fmt: skip


def _stance_verdict(a: str, b: str) -> str:
    if "undetermined" in (a, b):
        return A if a == b else D
    return A if a == b else C


def test_an_israeli_strike_affirmed_denied_and_left_undetermined(compared: dict[str, Any]) -> None:
    topic = _topic(compared, "blast.israeli-strike")
    assert topic["verdict"] == C
    pairs = _pairs(topic)
    for a, b in itertools.combinations(STRIKE, 2):
        assert pairs[frozenset((a, b))] == _stance_verdict(STRIKE[a], STRIKE[b]), (a, b)
    assert set(pairs) == {frozenset(p) for p in itertools.combinations(STRIKE, 2)}


def test_who_launched_it_the_rights_group_cannot_tell(compared: dict[str, Any]) -> None:
    topic = _topic(compared, "blast.launched-by")
    assert topic["verdict"] == C
    assert _pairs(topic) == {
        frozenset(("israel", "pij")): C,  # Islamic Jihad did it / it did not
        frozenset(("israel", "hrw")): D,  # leaves it undetermined: backs neither
        frozenset(("pij", "hrw")): D,
    }


def test_observers_who_affirm_without_a_stance_agree_on_a_stated_claim(
    compared: dict[str, Any],
) -> None:
    topic = _topic(compared, "blast.launched-from-gaza")
    assert topic["verdict"] == D
    pairs = _pairs(topic)
    affirming = ["france", "uk", "canada", "ap"]
    for a, b in itertools.combinations(affirming, 2):
        assert pairs[frozenset((a, b))] == A, (a, b)
    for side in affirming:
        assert pairs[frozenset((side, "nyt"))] == D, side
    assert len(pairs) == 10


def test_the_death_toll_denied_undetermined_open_and_disjoint(compared: dict[str, Any]) -> None:
    topic = _topic(compared, "casualties.killed")
    assert topic["verdict"] == C
    assert _pairs(topic) == {
        frozenset(("israel", "hamas")): C,  # disputes 471 / 471
        frozenset(("israel", "us")): U,  # a denial of 471 does not meet 100–300
        frozenset(("israel", "france")): U,  # nor up to 470
        frozenset(("israel", "hrw")): D,  # 471 denied / 471 not corroborated
        frozenset(("hamas", "us")): C,  # 471 vs 100–300
        frozenset(("hamas", "france")): C,  # 471 vs up to 470
        frozenset(("hamas", "hrw")): D,
        frozenset(("us", "france")): D,  # consistent, not confirming
        frozenset(("us", "hrw")): D,
        frozenset(("france", "hrw")): D,
    }
    history = topic["history"]["hamas"]
    assert [c["id"] for c in history] == ["killed-500-1017"]


def test_a_charge_in_kilograms_is_one_sided_and_says_its_unit(compared: dict[str, Any]) -> None:
    topic = _topic(compared, "explosive.charge")
    assert topic["verdict"] == "one-sided"
    (claim,) = topic["claims"]["france"]
    assert claim["unit"] == "kg"


def test_parties_first_then_observers_whatever_the_order_given() -> None:
    shuffled = ["nyt", "israel", "us", "pij", "france", "hamas", "uk", "canada", "hrw", "ap"]
    found = _diff(*shuffled)
    assert found["sides"] == ["israel", "pij", "hamas", "nyt", "us", "france", "uk",
                              "canada", "hrw", "ap"]  # fmt: skip
    assert found["side_roles"] == dict.fromkeys(PARTIES, "party") | dict.fromkeys(
        OBSERVERS, "observer"
    )


def test_every_claim_is_there_once_and_the_verdicts_do_not_depend_on_the_order(
    compared: dict[str, Any],
) -> None:
    def ids(found: dict[str, Any]) -> list[tuple[str, str]]:
        return sorted(
            (side, claim["id"])
            for topic in found["topics"]
            for part in ("claims", "history")
            for side, claims in topic[part].items()
            for claim in claims
        )

    expected = 0
    for side in SIDES:
        expected += (AHLI / f"{side}.yaml").read_text(encoding="utf-8").count("\n  - id: ")
    assert len(ids(compared)) == expected == 24
    reverse = _diff(*reversed(SIDES))
    assert ids(reverse) == ids(compared)
    assert {t["topic"]: t["verdict"] for t in reverse["topics"]} == {
        t["topic"]: t["verdict"] for t in compared["topics"]
    }


def test_claims_without_said_are_reported_on_their_source_s_date(compared: dict[str, Any]) -> None:
    topic = _topic(compared, "casualties.killed")
    (toll,) = topic["claims"]["hamas"]
    assert toll["said"] is None
    assert toll["reported"] == "2023-11-26"


def test_the_brief_names_the_parties_and_counts_the_observers() -> None:
    from tests.helpers import parse

    assert FACTCMP is not None
    done = subprocess.run(
        [FACTCMP, "brief", *SIDES, "--claims-dir", str(AHLI), "--date", "2026-12-08"],
        capture_output=True, check=False, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    title = "Israel vs Hamas vs Palestinian Islamic Jihad: what each side claims, with 7 observers"
    assert done.stdout.startswith(f"# {title}\n")
    page = parse(done.stdout)
    text = "".join(page.text)
    assert "Human Rights Watch leaves it undetermined" in text
    assert "according to a report of 26 November 2023" in text
    assert "5 (up to 10) kg" in text
    assert not {"script", "img", "iframe"} & set(page.tags)


def test_check_asks_each_observer_that_affirms_without_a_stance_to_say_so() -> None:
    assert FACTCMP is not None
    done = subprocess.run(
        [FACTCMP, "check", str(AHLI)], capture_output=True, check=False, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    warned = sorted(
        line.split(":")[0].rsplit("/", 1)[-1]
        for line in done.stdout.splitlines()
        if "[no-stance]" in line
    )
    assert warned == ["ap.yaml", "canada.yaml", "france.yaml", "uk.yaml"]
