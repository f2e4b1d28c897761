"""Revision 2 of the decision on real files: the Galwan Valley clash of June 2020,
as curated from public reporting (tests/fixtures/galwan), in the table, the JSON
and the brief. Each situation is cut out of the curated files by claim id, so the
claims, quotes and sources are the curated ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import brief, parse, run

GALWAN = Path(__file__).resolve().parents[1] / "fixtures" / "galwan" / "claims"
SIDES = ["india", "china", "tass"]
EVERY = ["india", "china", "russia", "tass"]  # Russia's government speaks on other topics


def cut(tmp_path: Path, keep: dict[str, list[str]]) -> Path:
    """A claims folder holding only the claims `keep` names, side by side."""
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "topics.yaml").write_bytes((GALWAN / "topics.yaml").read_bytes())
    for side, ids in keep.items():
        data = yaml.safe_load((GALWAN / f"{side}.yaml").read_text(encoding="utf-8"))
        data["claims"] = [c for c in data["claims"] if c["id"] in ids]
        assert [c["id"] for c in data["claims"]] == ids
        used = {c.get("by") for c in data["claims"]}
        data["speakers"] = {k: v for k, v in data["speakers"].items() if k in used}
        used = {c.get("source") for c in data["claims"]}
        data["sources"] = {k: v for k, v in data["sources"].items() if k in used}
        (folder / f"{side}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def as_json(folder: Path, *args: str) -> dict[str, Any]:
    done = run("diff", "--claims-dir", str(folder), *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def table(folder: Path, *args: str) -> str:
    """The words of the terminal output, laid out one block under the other (a
    terminal too narrow for columns), so that each reason reads on."""
    done = run("diff", "--claims-dir", str(folder), *args, env={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


@pytest.mark.parametrize(
    ("ids", "verdict", "plain", "cited"),
    [
        # Point 1: India's 20 Indian dead and China's denial of 40 Chinese dead do not meet
        (
            ("army-killed-20-0616", "forty-is-fake-news-0623"),
            "unjudged",
            "a denial of something else: subjects differ: India vs China",
            "a denial of something else: subjects differ: India (Indian Army, 16 Jun 2020) vs "
            "China (Zhao Lijian, 23 Jun 2020)",
        ),
        # Point 2: a reason says whose figure and when
        (
            ("vk-singh-chinese-killed-0620", "four-killed-0219"),
            "contradiction",
            "count at least 40 vs 4, subject China",
            "count at least 40 (V. K. Singh, 20 Jun 2020) vs 4 (PLA Daily, 19 Feb 2021), "
            "subject China",
        ),
    ],
)
def test_a_pair_of_claims_in_json_table_and_brief(
    tmp_path: Path, ids: tuple[str, str], verdict: str, plain: str, cited: str
) -> None:
    folder = cut(tmp_path, {"india": [ids[0]], "china": [ids[1]]})
    (topic,) = as_json(folder, "india", "china")["topics"]
    assert (topic["verdict"], topic["reasons"]) == (verdict, [plain])
    reason = {"text": plain, "claims": list(ids)}
    assert topic["pairs"] == [
        {"sides": ["india", "china"], "verdict": verdict, "reasons": [reason], "agreeing": []}
    ]
    assert cited in table(folder, "india", "china")
    out = brief("--claims-dir", str(folder), "india", "china", cwd=tmp_path)
    why = "Why unjudged" if verdict == "unjudged" else "Why a contradiction"
    assert f"*{why}:* {cited}.\n" in out


# Point 3: an agreement says what it did not compare


def test_an_agreement_names_what_only_one_side_gives(tmp_path: Path) -> None:
    folder = cut(
        tmp_path, {"india": ["infrastructure-own-side-0620"], "china": ["india-built-at-lac-0619"]}
    )
    (topic,) = as_json(folder, "india", "china")["topics"]
    assert topic["verdict"] == "agreement"
    assert topic["reasons"] == [
        "same actor: India",
        "places: only China gives any (LAC, Galwan Valley)",
    ]
    words = table(folder, "india", "china")
    assert (
        "✓ agreement · Indian roads, bridges and other facilities near the LAC same actor: "
        "India (Ministry of External Affairs of India, 20 Jun 2020; "
        "Zhao Lijian, 19 Jun 2020) places: only China gives any (LAC, Galwan Valley)"
    ) in words
    out = brief("--claims-dir", str(folder), "india", "china", cwd=tmp_path)
    assert "; places: only China gives any (LAC, Galwan Valley).\n" in out


# Point 4: every pair of sides keeps its verdict


def test_each_pair_of_three_sides_keeps_its_verdict() -> None:
    data = as_json(GALWAN, *SIDES, "--topic", "casualties.military")
    (topic,) = data["topics"]
    assert topic["verdict"] == "contradiction"
    pairs = {tuple(p["sides"]): p for p in topic["pairs"]}
    assert list(pairs) == [("india", "china"), ("india", "tass"), ("china", "tass")]
    assert [p["verdict"] for p in pairs.values()] == [
        "contradiction",
        "discrepancy",
        "contradiction",
    ]
    # TASS's "at least 20" Indian dead is consistent with India's 20 but does not
    # confirm it (revision 3: an open bound never agrees), so nothing agrees here
    assert pairs["india", "tass"]["reasons"][0] == {
        "text": "count 20 vs at least 20, subject India: consistent, not confirming",
        "claims": ["army-killed-20-0616", "indian-dead-0210"],
    }
    assert pairs["india", "tass"]["agreeing"] == []
    words = table(GALWAN, *SIDES, "--topic", "casualties.military")
    assert (
        "India–China ✗ count at least 40 (V. K. Singh, 20 Jun 2020) vs 4 (PLA Daily, "
        "19 Feb 2021), subject China India–TASS ≠"
    ) in words
    assert (
        "count 20 (Indian Army, 16 Jun 2020) vs at least 20 (TASS, 10 Feb 2021), "
        "subject India: consistent, not confirming"
    ) in words
    assert "✓ agree" not in words
    # a side's earlier figures: one line by default, a row each with --history full
    assert "earlier: not 40 on 23 Jun 2020" in words
    assert "earlier: 3 on 16 Jun 2020" in words
    full = table(GALWAN, *SIDES, "--topic", "casualties.military", "--history", "full")
    assert "[earlier denial] Reports that Chinese casualties amounted to 40" in full
    assert "[superseded] An officer and two soldiers" in full
    bare = table(GALWAN, *SIDES, "--topic", "casualties.military", "--history", "none")
    assert "earlier" not in bare
    assert "superseded" not in bare
    wide = run("diff", "--claims-dir", str(GALWAN), *SIDES, env={"COLUMNS": "250"}).stdout
    assert "│ India–China ✗ count at least 40 (V. K. Singh, 20 Jun" in wide  # in the table
    out = brief("--claims-dir", str(GALWAN), *SIDES, "--topic", "casualties.military", cwd=GALWAN)
    assert (
        "*Why a contradiction, side by side:*\n\n- **India and China** contradict each other: "
        in out
    )
    assert "- **India and TASS** differ, but both can be true: " in out
    # revision 3: TASS's open bounds are consistent with India's figures, not confirming
    assert (
        "count 20 (Indian Army, 16 Jun 2020) vs at least 20 (TASS, 10 Feb 2021), subject "
        "India: consistent, not confirming; "
    ) in out
    assert "They agree all the same" not in out


# Point 5: no silent filters


def test_every_output_says_how_it_was_narrowed() -> None:
    args = [*EVERY, "--as-of", "2020-12-31", "--only", "contradiction"]
    data = as_json(GALWAN, *args)
    assert data["selection"] == {
        "as_of": "2020-12-31",
        "only": ["contradiction"],
        "topics": None,
        "all_topics": 10,
        "undated_left_out": 0,
    }
    assert len(data["topics"]) == data["summary"]["contradiction"] == 4
    narrowed = (
        "contradictions only: 4 of 10 topics; claims said by 31 December 2020; nothing "
        "from Russia and TASS in what is shown"
    )
    assert f"Narrowed: {narrowed}" in table(GALWAN, *args)
    out = brief("--claims-dir", str(GALWAN), *args, cwd=GALWAN)
    opening = out[: out.index("\n## ")]
    assert f"**Narrowed:** {narrowed}.\n" in opening
    assert "Narrowed" in "".join(parse(opening).text)


def test_an_output_not_narrowed_says_nothing_of_it() -> None:
    data = as_json(GALWAN, *SIDES)
    assert data["selection"] == {
        "as_of": None,
        "only": None,
        "topics": None,
        "all_topics": len(data["topics"]),
        "undated_left_out": 0,
    }
    assert "Narrowed" not in table(GALWAN, *SIDES)
    assert "Narrowed" not in brief("--claims-dir", str(GALWAN), *SIDES, cwd=GALWAN)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--topic", "casualties"],
            "topics matching casualties: 1 of 10 topics; nothing from Russia in what is shown",
        ),
        (
            [
                "--only",
                "agreement,one-sided",
                "--topic",
                "infrastructure.lac",
                "--topic",
                "intrusion",
            ],
            "agreements and one-sided only, topics matching infrastructure.lac, intrusion: "
            "2 of 10 topics; nothing from Russia and TASS in what is shown",
        ),
    ],
)
def test_narrowing_in_words(args: list[str], words: str) -> None:
    assert f"Narrowed: {words}" in table(GALWAN, *EVERY, *args)
