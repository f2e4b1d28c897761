"""`factcmp topics list|suggest|rename`, the diff hint and check's similar-key warning."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from factcmp.compare.similar import place_key, similar_keys, similar_pairs, terms
from factcmp.compare.suggest import suggest
from tests.helpers import claim, side

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
EXE = shutil.which("factcmp") or "factcmp"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], cwd=cwd or REPO, capture_output=True, text=True, timeout=120, check=False
    )


def copy_claims(tmp_path: Path, source: Path = REPO / "claims") -> Path:
    target = tmp_path / "claims"
    shutil.copytree(source, target)
    return target


def renamed(folder: Path, side_id: str, old: str, new: str) -> None:
    """What a second curator does: call a topic by another name in one file."""
    path = folder / f"{side_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"topic: {old}\n" in text
    path.write_text(text.replace(f"topic: {old}\n", f"topic: {new}\n"), encoding="utf-8")


# --- words -----------------------------------------------------------------------


def test_terms_stem_and_concepts() -> None:
    got = {t for t, _ in terms("Soldiers were killed; 105 died, the army said")}
    assert {"soldier", "kill", "105", "~death", "~troops"} <= got
    assert "the" not in got
    assert "said" not in got


def test_terms_in_other_scripts() -> None:
    assert {t for t, _ in terms("Азербайджан обстрелял")} == {"азербаиджан", "обстрелял"}
    assert {t for t, _ in terms("加勒万河谷")} == {"加勒", "勒万", "万河", "河谷"}


def test_place_keys_survive_transliteration() -> None:
    assert place_key("Kalbajar") == place_key("Kelbajar")
    assert place_key("Ağdam") == place_key("Aghdam")
    assert place_key("Jermuk") != place_key("Goris")


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("casualties.military", "casualties.militry", True),
        ("casualties.military", "casualties-military", True),
        ("casualties.military", "military.casualties", True),
        ("casualties.military", "casualties.civilian", False),
        ("topic.1", "topic.2", False),
        ("f16.used", "f16.downed", False),
        ("shelling", "shelling", False),
    ],
)
def test_similar_keys(a: str, b: str, alike: bool) -> None:
    assert similar_keys(a, b) is alike
    assert similar_keys(b, a) is alike


def test_similar_pairs_finds_each_pair_once() -> None:
    keys = ["casualties.military", "casualties.militry", "casualties-military", "shelling"]
    assert similar_pairs(keys) == [
        ("casualties-military", "casualties.military"),
        ("casualties-military", "casualties.militry"),
        ("casualties.military", "casualties.militry"),
    ]
    assert similar_pairs([f"topic.{i}" for i in range(1000)]) == []


# --- suggest -----------------------------------------------------------------------


def test_suggest_finds_the_renamed_contradiction(tmp_path: Path) -> None:
    """The issue's case: one curator calls casualties.military `deaths`."""
    folder = copy_claims(tmp_path)
    renamed(folder, "azerbaijan", "casualties.military", "deaths")
    result = CliRunner().invoke(
        main,
        [
            "topics",
            "suggest",
            "armenia",
            "azerbaijan",
            "--claims-dir",
            str(folder),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == 1
    assert data["sides"] == ["armenia", "azerbaijan"]
    entry = next(s for s in data["suggestions"] if s["topic"] == "deaths")
    best = entry["candidates"][0]
    assert entry["side"] == "azerbaijan"
    assert (best["side"], best["topic"]) == ("armenia", "casualties.military")
    assert 0.4 <= best["score"] <= 1
    assert any("death" in reason for reason in best["reasons"])


def test_suggest_json_matches_its_documentation(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["topics", "suggest", "--format", "json", "--top", "2"])
    data = json.loads(result.output)
    assert set(data) == {"factcmp", "format", "sides", "suggestions"}
    assert data["suggestions"]
    for entry in data["suggestions"]:
        assert set(entry) == {"side", "topic", "candidates"}
        assert 1 <= len(entry["candidates"]) <= 2
        scores = [c["score"] for c in entry["candidates"]]
        assert scores == sorted(scores, reverse=True)
        for c in entry["candidates"]:
            assert set(c) == {"side", "topic", "score", "reasons"}
            assert c["side"] != entry["side"]
            assert 0.3 <= c["score"] <= 1
            assert all(isinstance(r, str) and r for r in c["reasons"])


def test_suggest_is_deterministic_and_symmetric() -> None:
    first = run("topics", "suggest", "--format", "json").stdout
    assert first == run("topics", "suggest", "--format", "json").stdout
    data = json.loads(first)
    scores = {
        (s["side"], s["topic"], c["side"], c["topic"]): c["score"]
        for s in data["suggestions"]
        for c in s["candidates"]
    }
    for (a, ta, b, tb), score in scores.items():
        if (b, tb, a, ta) in scores:
            assert scores[b, tb, a, ta] == score


def test_candidates_are_topics_the_side_does_not_speak_to() -> None:
    sides = [
        side("a", claim("a", "shared", text="troops killed"), claim("a", "x", text="killed")),
        side("b", claim("b", "shared", text="troops killed"), claim("b", "y", text="died")),
    ]
    found = suggest(sides, min_score=0)
    assert {(s.side, s.topic) for s in found} == {("a", "x"), ("b", "y")}
    for s in found:
        assert [c.topic for c in s.candidates] == ["y" if s.side == "a" else "x"]


def test_a_count_on_the_same_subject_and_places_are_reasons() -> None:
    sides = [
        side("arm", claim("arm", "k1", count=49, subject="arm", places=["Kalbajar"], text="a")),
        side("aze", claim("aze", "k2", count=50, subject="arm", places=["Kelbajar"], text="b")),
    ]
    [first, _] = suggest(sides, min_score=0)
    reasons = first.candidates[0].reasons
    assert "both give a count on Arm" in reasons
    assert "same places: Kalbajar / Kelbajar" in reasons


def test_suggest_table_and_nothing_found(tmp_path: Path) -> None:
    result = run("topics", "suggest", "armenia", "azerbaijan")
    assert result.returncode == 0
    assert "csto.armenia-motives" in result.stdout
    assert "factcmp topics rename" in result.stdout
    quiet = run("topics", "suggest", "--claims-dir", str(FIXTURES / "galwan/claims"))
    assert quiet.returncode == 0
    assert "No one-sided topic looks like another side's." in quiet.stdout


# --- list ------------------------------------------------------------------------------


def test_topics_list_json() -> None:
    data = json.loads(run("topics", "list", "--format", "json").stdout)
    assert data["sides"] == ["armenia", "azerbaijan", "russia"]
    by_key = {t["topic"]: t for t in data["topics"]}
    assert by_key["shelling"]["claims"] == {"armenia": 2, "azerbaijan": 1, "russia": 0}
    assert by_key["shelling"]["verdict"] == "contradiction"
    assert by_key["shelling"]["listed"] is True
    assert [t["topic"] for t in data["topics"]] == sorted(by_key)


def test_topics_list_table_says_what_topics_yaml_lacks(tmp_path: Path) -> None:
    folder = copy_claims(tmp_path)
    renamed(folder, "azerbaijan", "casualties.military", "deaths")
    result = run("topics", "list", "--claims-dir", str(folder))
    assert result.returncode == 0
    assert "not in topics.yaml" in result.stdout
    assert "1 not in topics.yaml" in result.stdout


# --- the hint in diff and brief -------------------------------------------------------


def test_diff_hint_appears_when_a_topic_was_renamed(tmp_path: Path) -> None:
    folder = copy_claims(tmp_path, FIXTURES / "kerch/claims")
    renamed(folder, "russia", "casualties.wounded", "injured")
    result = run("diff", "--claims-dir", str(folder))
    assert result.returncode == 0
    assert "2 one-sided topics may be the same as another side's: factcmp topics suggest" in (
        result.stdout
    )
    brief = run("brief", "--claims-dir", str(folder), "--date", "2018-12-01")
    assert "*2 one-sided topics may be the same as another side" in brief.stdout


@pytest.mark.parametrize("dispute", ["galwan", "kerch", "balakot"])
def test_diff_hint_stays_quiet_when_nothing_is_likely(dispute: str) -> None:
    result = run("diff", "--claims-dir", str(FIXTURES / dispute / "claims"))
    assert result.returncode == 0
    assert "may be the same" not in result.stdout


def test_the_hint_never_changes_a_verdict(tmp_path: Path) -> None:
    folder = copy_claims(tmp_path, FIXTURES / "kerch/claims")
    before = json.loads(run("diff", "--claims-dir", str(folder), "--format", "json").stdout)
    renamed(folder, "russia", "casualties.wounded", "injured")
    after = json.loads(run("diff", "--claims-dir", str(folder), "--format", "json").stdout)
    verdicts = {t["topic"]: t["verdict"] for t in after["topics"]}
    assert verdicts["injured"] == verdicts["casualties.wounded"] == "one-sided"
    assert before["summary"]["contradiction"] == after["summary"]["contradiction"] + 1


# --- check's warning --------------------------------------------------------------------


def test_check_warns_of_a_misspelt_key_in_another_file(tmp_path: Path) -> None:
    folder = copy_claims(tmp_path)
    renamed(folder, "azerbaijan", "casualties.military", "casualties.militry")
    result = run("check", str(folder), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    similar = [f for f in findings if f["rule"] == "topic-similar"]
    assert len(similar) == 1
    assert similar[0]["file"].endswith("azerbaijan.yaml")
    assert "factcmp topics rename casualties.militry casualties.military" in similar[0]["message"]
    clean = run("check", str(REPO / "claims"), "--format", "json")
    assert not [f for f in json.loads(clean.stdout)["findings"] if f["rule"] == "topic-similar"]
