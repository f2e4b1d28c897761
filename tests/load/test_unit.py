"""`unit`: what a count counts when not people (docs/format.md, revision 3). Loaded,
checked as a short text, shown in JSON and CSV, and always compared: a count without
one counts people (issue 22, point 6)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

SIDE = """\
factcmp: 1
side: {{name: {name}}}
claims:
  - id: {side}-rockets
    topic: shelling.rockets
    text: Rockets were fired.
    count: 40
{unit}"""


def folder_with(tmp_path: Path, armenia_unit: str, azerbaijan_unit: str = "") -> Path:
    claims = tmp_path / "claims"
    claims.mkdir()
    for side, unit in (("armenia", armenia_unit), ("azerbaijan", azerbaijan_unit)):
        text = SIDE.format(name=side.title(), side=side, unit=unit)
        (claims / f"{side}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def factcmp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["factcmp", *args], cwd=cwd, capture_output=True, text=True)


def test_a_unit_is_loaded_and_shown_in_json_and_csv(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "    unit: rockets\n")
    done = factcmp("diff", "--format", "json", cwd=folder)
    assert done.returncode == 0, done.stderr
    (topic,) = json.loads(done.stdout)["topics"]
    assert topic["claims"]["armenia"][0]["unit"] == "rockets"
    assert topic["claims"]["azerbaijan"][0]["unit"] is None
    done = factcmp("diff", "--format", "csv", cwd=folder)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {row["side"]: row["unit"] for row in rows} == {"armenia": "rockets", "azerbaijan": ""}


def test_a_count_in_a_unit_never_meets_a_count_of_people(tmp_path: Path) -> None:
    # revision 3: no unit means people, and the unit is always compared
    folder = folder_with(tmp_path, "    unit: rockets\n")
    done = factcmp("diff", "--format", "json", cwd=folder)
    (topic,) = json.loads(done.stdout)["topics"]
    assert topic["verdict"] == "discrepancy"
    assert topic["reasons"] == ["count 40 rockets vs 40, units differ: rockets vs people"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('    unit: " "\n', "`unit` is empty: fill it in or remove the line"),
        (
            "    unit: " + "r" * 41 + "\n",
            "`unit` is too long (41 characters): it is a few words, at most 40",
        ),
        ("    unit: 5\n", "`5` is read by YAML as a number, but `unit` takes text"),
        ("    unit: [kg]\n", "`unit` must be text, not a list"),
    ],
)
def test_a_unit_is_a_short_text(tmp_path: Path, written: str, message: str) -> None:
    folder = folder_with(tmp_path, written)
    done = factcmp("diff", cwd=folder)
    assert done.returncode == 2
    assert "claims/armenia.yaml:8:" in done.stderr
    assert message in done.stderr


def test_forty_characters_are_short_enough(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "    unit: " + "r" * 40 + "\n")
    done = factcmp("diff", "--format", "json", cwd=folder)
    assert done.returncode == 0, done.stderr


TWO = """\
factcmp: 1
side: {{name: Armenia}}
claims:
  - id: dead
    topic: blast
    text: 40 were killed.
    count: 40
{said}  - id: explosive
    topic: blast
    text: 5 kg of explosive.
    count: {second}
    unit: kg
{said}"""


def test_the_undated_count_rule_groups_counts_per_unit(tmp_path: Path) -> None:
    # step 1 per unit: an undated death toll is not "another count" of the kg
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "armenia.yaml").write_text(TWO.format(said="", second=5), encoding="utf-8")
    (claims / "azerbaijan.yaml").write_text(
        "factcmp: 1\nside: {name: Azerbaijan}\nclaims: []\n", encoding="utf-8"
    )
    done = factcmp("diff", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (topic,) = json.loads(done.stdout)["topics"]
    assert [c["id"] for c in topic["claims"]["armenia"]] == ["dead", "explosive"]


def test_check_finds_no_count_conflict_across_units(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    said = "    said: 2023-10-17\n"
    (claims / "armenia.yaml").write_text(TWO.format(said=said, second=5), encoding="utf-8")
    done = factcmp("check", cwd=tmp_path)
    assert "count-conflict" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
