"""`stance: undetermined` in words wherever a stance is said of a claim (issue 22,
point 1), and the verdicts of points 1 to 3 in the table and the brief: the stances
fixture (tests/fixtures/stances) through the installed command, the brief through
GitHub's renderer; the timeline, CSV and the export on a small dispute written here."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import brief, export, parse, run

STANCES = Path(__file__).resolve().parents[1] / "fixtures" / "stances" / "claims"
CAUSE = "a misfired Southland rocket caused the blast at the hospital"


def words(*args: str, folder: Path = STANCES) -> str:
    """The command's output as one line of words (a terminal too narrow for columns,
    so that each block reads on)."""
    done = run(*args, "--claims-dir", str(folder), env={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


@pytest.fixture(scope="module")
def brief_text() -> str:
    text = brief("--no-cache", "--claims-dir", str(STANCES), cwd=STANCES.parent)
    return seen(text)


def seen(markdown: str) -> str:
    """The visible text of a brief rendered by GitHub's renderer, as one line."""
    return " ".join(" ".join(parse(markdown).text).split())


def test_the_table_says_leaves_it_undetermined_beside_the_claim() -> None:
    shown = words("diff", "--no-cache", "--history", "none")
    said = "More investigation is needed to determine who launched the rocket."
    assert f"Rights Watch: {said}" in shown
    assert "rocket. leaves it undetermined — 2023-11-26" in shown


def test_the_table_gives_each_pair_its_verdict_and_reason() -> None:
    shown = words("diff", "--no-cache", "--history", "none")
    assert (
        "Rights Watch–Westland ✓ both leave it undetermined (Rights Watch, 26 Nov 2023; "
        f"Foreign Ministry of Westland, 20 Oct 2023): {CAUSE}"
    ) in shown
    assert (
        "Rights Watch–Southland ≠ Rights Watch leaves it undetermined (26 Nov 2023); "
        f"Southland denies (Health Ministry of Southland, 17 Oct 2023): {CAUSE}"
    ) in shown
    assert (
        "Eastland–Wire Desk ✓ both affirm (an Eastland official, 19 Oct 2023; Wire Desk, "
        f"24 Oct 2023): {CAUSE}"
    ) in shown
    assert (
        "Eastland–Northland ? a denial of something else: 10–50 (an Eastland official, "
        "19 Oct 2023) vs 500 (Northland Army, 18 Oct 2023)"
    ) in shown


def test_the_brief_says_who_leaves_it_undetermined(brief_text: str) -> None:
    assert (
        "Rights Watch and Westland agree: both leave it undetermined (Rights Watch, "
        f"26 Nov 2023; Foreign Ministry of Westland, 20 Oct 2023): {CAUSE}."
    ) in brief_text
    assert (
        "Rights Watch and Southland differ, but both can be true: Rights Watch leaves it "
        "undetermined (26 Nov 2023); Southland denies (Health Ministry of Southland, "
        f"17 Oct 2023): {CAUSE}."
    ) in brief_text
    assert (
        "Eastland and Wire Desk agree: both affirm (an Eastland official, 19 Oct 2023; "
        f"Wire Desk, 24 Oct 2023): {CAUSE}; places: only Wire Desk gives any (Southland)."
    ) in brief_text
    assert (
        "Eastland and Northland cannot be judged against each other: a denial of something "
        "else: 10–50 (an Eastland official, 19 Oct 2023) vs 500 (Northland Army, 18 Oct 2023)."
    ) in brief_text
    assert "denies 500 (Northland Army, 18 Oct 2023)" in brief_text  # the overview's gist


A = """\
factcmp: 1
side: {name: A}
claims:
  - {id: a1, topic: toll, text: 40 were killed, said: 2023-10-17, count: 40}
  - id: a2
    topic: toll
    text: We cannot confirm that 500 were killed.
    said: 2023-10-19
    count: 500
    stance: undetermined
"""
B = """\
factcmp: 1
side: {name: B}
claims:
  - {id: b1, topic: toll, text: 500 were killed, said: 2023-10-18, count: 500}
"""


@pytest.fixture
def figures(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "a.yaml").write_text(A, encoding="utf-8")
    (folder / "b.yaml").write_text(B, encoding="utf-8")
    return folder


def test_a_figure_left_undetermined_in_the_table_the_timeline_and_the_brief(
    figures: Path, tmp_path: Path
) -> None:
    table = words("diff", "--no-cache", folder=figures)
    assert "stance: A leaves 500 undetermined (19 Oct 2023); B affirms 500 (18 Oct 2023)" in table
    assert "leaves it undetermined · count 500" in table
    timeline = words("timeline", "--no-cache", folder=figures)
    assert "A: 40 (17 Oct) → leaves 500 undetermined (19 Oct)" in timeline
    text = brief("--no-cache", "--claims-dir", str(figures), cwd=tmp_path)
    assert "leaves 500 undetermined (A, 19 Oct 2023)" in seen(text)


def test_csv_json_and_the_export_carry_undetermined(figures: Path, tmp_path: Path) -> None:
    done = run("diff", "--no-cache", "--claims-dir", str(figures), "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert (rows["a2"]["stance"], rows["b1"]["stance"]) == ("undetermined", "affirms")
    done = run("timeline", "--no-cache", "--claims-dir", str(figures), "--format", "csv")
    rows = {r["claim"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert rows["a2"]["stance"] == "undetermined"
    db = tmp_path / "out.db"
    result = export(str(db), "--claims-dir", str(figures))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as connection:
        stances = dict(connection.execute("select claim_id, stance from claims"))
    assert stances == {"a1": None, "a2": "undetermined", "b1": None}
