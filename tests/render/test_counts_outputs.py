"""Counts and units in every output (issue 22, points 5 and 6): the table, the brief
(through cmarkgfm), the timeline and its charts (a chart per unit), CSV and the
SQLite export, on the fixture dispute tests/fixtures/counts."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from factcmp.compare.judge import compare
from factcmp.compare.timeline import TopicSeries, timeline
from factcmp.model import Claim, Count, Names
from factcmp.render.timeline import chart_units, series_line, step_chart
from tests.helpers import brief, claim, parse, run, side

COUNTS = Path(__file__).resolve().parents[1] / "fixtures" / "counts"
SIDES = ("northland", "southland", "eastland")


def table() -> tuple[str, str]:
    """The table's text, and its verdict column's alone (its wrapped lines joined)."""
    done = run("diff", *SIDES, cwd=COUNTS, env={"COLUMNS": "250"})
    assert done.returncode == 0, done.stderr
    column = [line.split("│")[-2] for line in done.stdout.splitlines() if "│" in line]
    return done.stdout, " ".join(" ".join(column).split())


def test_the_table_says_units_words_and_not_confirming() -> None:
    out, words = table()
    assert "count 5 kg " in out
    assert "count hundreds (at least 100) " in out
    assert "earlier: at least 500 on 17 Oct 2023" in out  # history per unit
    assert (
        "Northland–Eastland ≠ count up to 400 (Dana Lee, 19 Oct 2023) vs 10–50 (Eastland "
        "intelligence services, 19 Oct 2023): consistent, not confirming"
    ) in words
    assert (
        "count 5 kg (Northland Ministry of Defence, 18 Oct 2023) vs 2 rockets (Southland "
        "Army, 17 Oct 2023), units differ: kg vs rockets"
    ) in words


def test_the_brief_says_units_words_and_not_confirming() -> None:
    out = brief(*SIDES, cwd=COUNTS)
    assert "| 5 kg (Northland Ministry of Defence, 18 Oct 2023) |" in out
    assert "hundreds (at least 100) (Eastland intelligence services, 19 Oct 2023)" in out
    assert (
        "- **Northland and Eastland** differ, but both can be true: count up to 400 (Dana "
        "Lee, 19 Oct 2023) vs 10–50 (Eastland intelligence services, 19 Oct 2023): "
        "consistent, not confirming.\n"
    ) in out
    assert (
        "*Why a discrepancy:* count 20 (Northland Ministry of Defence, 20 Oct 2023) vs at "
        "least 20 (Southland Army, 21 Oct 2023): consistent, not confirming.\n"
    ) in out
    assert "- Northland: 5 kg (18 Oct 2023)\n" in out  # how the figures moved
    assert "- Eastland: hundreds (at least 100) (19 Oct 2023)\n" in out
    page = parse(out)
    text = "".join(page.text)
    assert "units differ: kg vs rockets" in text
    assert "hundreds (at least 100)" in text


def test_csv_gives_the_unit_last_and_the_words_with_the_count() -> None:
    done = run("diff", *SIDES, "--format", "csv", cwd=COUNTS)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0])[-1] == "unit"
    by_id = {(r["side"], r["id"]): r for r in rows}
    assert by_id["northland", "explosive-1018"]["unit"] == "kg"
    assert by_id["southland", "toll-1018"]["unit"] == ""
    assert by_id["eastland", "injured-1019"]["count"] == "hundreds (at least 100)"


def test_the_export_has_count_words_and_unit(tmp_path: Path) -> None:
    db_path = tmp_path / "out.db"
    done = run("export", "sqlite", str(db_path), "--claims-dir", str(COUNTS / "claims"), *SIDES)
    assert done.returncode == 0, done.stderr
    db = sqlite3.connect(db_path)
    rows = {
        (side_id, claim_id): (words, unit)
        for side_id, claim_id, words, unit in db.execute(
            "select side, claim_id, count_words, unit from claims"
        )
    }
    db.close()
    assert rows["eastland", "injured-1019"] == ("hundreds", None)
    assert rows["northland", "explosive-1018"] == (None, "kg")


def test_the_timeline_json_and_csv_give_series_per_unit() -> None:
    done = run("timeline", *SIDES, "--format", "json", cwd=COUNTS)
    topics = {t["topic"]: t for t in json.loads(done.stdout)["topics"]}
    size = topics["blast.size"]["series"]
    assert [(s["side"], s["unit"]) for s in size] == [
        ("northland", "kg"),
        ("southland", "rockets"),
        ("eastland", "rockets"),
    ]
    injured = topics["casualties.injured"]["series"]
    assert injured[1]["points"][0]["count"] == {"min": 100, "words": "hundreds"}
    done = run("timeline", *SIDES, "--format", "csv", cwd=COUNTS)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {(r["claim"], r["unit"], r["count_words"]) for r in rows} >= {
        ("explosive-1018", "kg", ""),
        ("injured-1019", "", "hundreds"),
    }


def _north() -> list[Claim]:
    return [
        claim("north", count=40, said="2023-10-17", id="dead-17"),
        claim("north", count=90, said="2023-10-19", id="dead-19", status="current"),
        claim("north", count=5, unit="kg", said="2023-10-17", id="kg-17"),
        claim("north", count=Count.given(min=800, words="hundreds"), unit="kg",
              said="2023-10-19", id="kg-19"),
    ]  # fmt: skip


def _two_units() -> TopicSeries:
    north = side("north", *_north())
    (topic,) = timeline(compare([north, side("south", claim("south", count=1))]))
    return topic


def test_a_series_per_unit_and_a_chart_per_unit() -> None:
    topic = _two_units()
    names = Names([])
    lines = [series_line(s, names) for s in topic.series]
    assert lines == [
        "north: 40 (17 Oct) → 90 (19 Oct)",
        "north: 5 kg (17 Oct) → hundreds (at least 800 kg) (19 Oct)",
        "south: undated: 1",
    ]
    assert chart_units(topic) == [None, "kg"]
    shouted = side("south", claim("south", count=9, unit="KG", said="2023-10-18", id="kg"))
    (both,) = timeline(compare([side("north", *_north()), shouted]))
    assert chart_units(both) == [None, "kg"]  # KG and kg: one unit, one chart
    people = step_chart(topic, 80, None)
    kg = step_chart(topic, 80, "kg")
    # each chart is scaled to its own unit: 90 people on one axis, 800 kg on the other
    assert "90" in people[0].plain
    assert "800" not in people[0].plain
    assert "800" in kg[0].plain


@pytest.mark.slow
def test_the_terminal_timeline_draws_a_chart_per_unit(tmp_path: Path) -> None:
    from tests.helpers import run_in_terminal, write

    claims = tmp_path / "claims"
    claims.mkdir()
    text = (COUNTS / "claims" / "southland.yaml").read_text(encoding="utf-8")
    text += (
        "\n  - id: rockets-1019\n    topic: blast.size\n    text: Five rockets struck.\n"
        "    by: army\n    said: 2023-10-19\n    count: 5\n    unit: rockets\n"
        "\n  - id: kg-1017\n    topic: blast.size\n    text: 20 kg.\n"
        "    by: army\n    said: 2023-10-17\n    count: 20\n    unit: kg\n"
        "\n  - id: kg-1019\n    topic: blast.size\n    text: 30 kg.\n"
        "    by: army\n    said: 2023-10-19\n    count: 30\n    unit: kg\n"
    )
    write(claims, text, "southland.yaml")
    write(claims, (COUNTS / "claims" / "northland.yaml").read_bytes(), "northland.yaml")
    out = run_in_terminal(
        [
            *("factcmp", "timeline", "--claims-dir", str(claims), "northland", "southland"),
            *("--topic", "blast.size"),
        ]
    )
    assert "in kg:" in out
    assert "in rockets:" in out


@pytest.mark.slow
def test_the_brief_chart_has_a_panel_per_unit_and_the_words_beside_the_figure(
    tmp_path: Path,
) -> None:
    import xml.etree.ElementTree as ET

    pytest.importorskip("vl_convert")
    out = tmp_path / "brief.md"
    done = run("brief", *SIDES, "--claims-dir", str(COUNTS / "claims"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    tree = ET.parse(out.with_name("brief-figures.svg"))
    texts = {element.text for element in tree.iter() if element.text}
    assert "How big the Lorn blast was, in kg" in texts  # never two units on one axis
    assert "How big the Lorn blast was, in rockets" in texts
    assert "People killed in the Lorn blast" in texts  # people: no unit to say
    assert "Northland, in kg" in texts
    assert "hundreds" in texts  # the speaker's words beside the figure
