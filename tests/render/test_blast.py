"""Revision 3's reported dates, parties and observers, and subjects shown as written
(issue 22, points 7, 8 and 9), on tests/fixtures/blast: two parties (Northland, the
Health Ministry of Southland) and two observers (Eastland, Rights Watch), claims
without `said` whose sources are dated, and `Southland` (an alias of the ministry)
written as a subject and an actor. Through the installed command: the table, the
JSON, the CSV, the timeline and the brief (through cmarkgfm).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.helpers import parse, run

BLAST = REPO / "tests" / "fixtures" / "blast"
PARTIES = ["northland", "southland"]
OBSERVERS = ["eastland", "rights-watch"]


@pytest.fixture
def blast(tmp_path: Path) -> Path:
    folder = tmp_path / "blast"
    shutil.copytree(BLAST, folder)
    return folder


def out(*args: str, cwd: Path) -> str:
    done = run(*args, cwd=cwd, env={"COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def diff_json(cwd: Path, *sides: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(out("diff", *sides, "--format", "json", cwd=cwd))
    return found


def topic(found: dict[str, Any], key: str) -> dict[str, Any]:
    [entry] = [t for t in found["topics"] if t["topic"] == key]
    assert isinstance(entry, dict)
    return entry


# --- point 7: reported dates -------------------------------------------------------


def test_a_claim_without_said_is_reported_on_its_sources_date(blast: Path) -> None:
    found = diff_json(blast)
    toll = topic(found, "casualties.blast")
    [revised] = toll["claims"]["southland"]
    assert (revised["id"], revised["said"], revised["reported"]) == (
        "toll-revised", None, "2023-10-18",
    )  # fmt: skip
    [first] = toll["history"]["southland"]
    assert (first["id"], first["reported"]) == ("toll-first", "2023-10-17")
    [said] = toll["claims"]["northland"]
    assert (said["said"], said["reported"]) == ("2023-10-18", None)


def test_the_check_passes_two_reported_counts_and_fails_one_with_neither_date(
    blast: Path,
) -> None:
    assert run("check", cwd=blast).returncode == 0
    south = blast / "claims" / "southland.yaml"
    text = south.read_text(encoding="utf-8")
    south.write_text(text.replace("    source: wire-1017\n    count: 500", "    count: 500"))
    done = run("check", cwd=blast)
    assert done.returncode == 1, done.stdout + done.stderr  # an error found
    found = done.stdout + done.stderr
    assert "claims/southland.yaml:10:5: error: claim `toll-first`" in found
    assert "has no `said:` date (nor a source with a `published` date)" in found
    assert "[undated-count]" in found


def test_as_of_leaves_out_what_was_reported_later_and_counts_no_reported_claim_undated(
    blast: Path,
) -> None:
    found = json.loads(out("diff", "--as-of", "2023-10-17", "--format", "json", cwd=blast))
    assert found["selection"]["undated_left_out"] == 0
    toll = topic(found, "casualties.blast")
    assert [c["id"] for c in toll["claims"]["southland"]] == ["toll-first"]
    assert toll["verdict"] == "one-sided"


def test_the_table_shows_reported_never_said(blast: Path) -> None:
    table = out("diff", cwd=blast)
    assert "— reported 18 Oct 2023, via Wire · southland.yaml:16" in table
    assert "earlier: 500 reported 17 Oct 2023" in table
    assert "471 (Health Ministry of Southland, reported 18 Oct 2023)" in table
    assert "2023-10-18, via Wire · southland" not in table


def test_the_brief_says_according_to_a_report(blast: Path) -> None:
    page = parse(out("brief", cwd=blast))
    text = " ".join("".join(page.text).split())
    assert (
        "Health Ministry of Southland said that 471 people were killed in the blast, "
        "according to a report of 18 October 2023."
    ) in text
    assert "said on 18 October 2023 that 471" not in text
    assert "(date not recorded)" not in text
    assert "The Northland Defence Forces said on 18 October 2023 that between 10" in text


def test_the_timeline_marks_a_reported_point(blast: Path) -> None:
    lines = out("timeline", cwd=blast)
    assert "500 (reported 17 Oct) → 471 (reported 18 Oct)" in lines
    assert "10–50 (18 Oct)" in lines
    data = json.loads(out("timeline", "--format", "json", cwd=blast))
    points = [p for t in data["topics"] for s in t["series"] for p in s["points"]]
    reported = {p["claim"]: (p["said"], p["reported"]) for p in points}
    assert reported["toll-revised"] == (None, "2023-10-18")
    assert reported["toll-dozens"] == ("2023-10-18", None)
    rows = list(csv.DictReader(io.StringIO(out("timeline", "--format", "csv", cwd=blast))))
    assert {r["claim"]: r["reported"] for r in rows}["toll-first"] == "2023-10-17"


def test_csv_and_export_carry_reported(blast: Path) -> None:
    import sqlite3

    rows = list(csv.DictReader(io.StringIO(out("diff", "--format", "csv", cwd=blast))))
    by_id = {(r["side"], r["id"]): r for r in rows}
    assert by_id["southland", "toll-revised"]["reported"] == "2023-10-18"
    assert by_id["northland", "toll-dozens"]["reported"] == ""
    out("export", "sqlite", "out.db", cwd=blast)
    db = sqlite3.connect(blast / "out.db")
    try:
        found = dict(db.execute("select claim_id, reported from claims where side = 'eastland'"))
        roles = dict(db.execute("select id, role from sides"))
    finally:
        db.close()
    assert found == {"misfired-rocket": "2023-10-19", "toll-range": "2023-10-19"}
    assert roles == dict.fromkeys(PARTIES, "party") | dict.fromkeys(OBSERVERS, "observer")


# --- point 8: parties and observers ------------------------------------------------


@pytest.mark.parametrize("given", [(), ("rights-watch", "southland", "eastland", "northland")])
def test_json_lists_the_parties_then_the_observers(blast: Path, given: tuple[str, ...]) -> None:
    found = diff_json(blast, *given)
    expected = (
        PARTIES + OBSERVERS if not given else ["southland", "northland", "rights-watch", "eastland"]
    )
    assert found["sides"] == expected
    assert found["side_roles"] == dict.fromkeys(PARTIES, "party") | dict.fromkeys(
        OBSERVERS, "observer"
    )
    for entry in found["topics"]:
        assert list(entry["claims"]) == expected
        kinds = [sum(found["side_roles"][s] == "observer" for s in p["sides"])
                 for p in entry["pairs"]]  # fmt: skip
        assert kinds == sorted(kinds) == [0, 1, 1, 1, 1, 2]


def test_roles_change_no_verdict(blast: Path) -> None:
    before = diff_json(blast)
    for name in ("eastland", "rights-watch"):
        path = blast / "claims" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("  role: observer\n", ""))
    after = diff_json(blast)
    assert set(after["side_roles"].values()) == {"party"}

    def verdicts(found: dict[str, Any]) -> dict[Any, str]:
        return {
            (t["topic"], frozenset(p["sides"])): p["verdict"] for t in found["topics"]
            for p in [*t["pairs"], {"sides": [], "verdict": t["verdict"]}]
        }  # fmt: skip

    assert verdicts(before) == verdicts(after)


def test_the_table_and_the_brief_put_the_parties_first(blast: Path) -> None:
    table = out("diff", cwd=blast)
    assert table.splitlines()[0] == (
        "Northland vs Health Ministry of Southland vs Government of Eastland vs Rights Watch"
    )
    lines = [line.strip().split(" ✗ ")[0].split(" ✓ ")[0] for line in table.splitlines()]
    pairs = [line for line in lines if "–" in line and line[0].isupper()][:6]
    assert pairs == [
        "Northland–Health Ministry of Southland",
        "Northland–Government of Eastland",
        "Northland–Rights Watch",
        "Health Ministry of Southland–Government of Eastland",
        "Health Ministry of Southland–Rights Watch",
        "Government of Eastland–Rights Watch",
    ]
    brief = out("brief", cwd=blast)
    page = parse(brief)
    assert brief.startswith(
        "# Northland vs Health Ministry of Southland: what each side claims, with 2 observers\n"
    )
    assert page.tags.count("h1") == 1
    header = brief.splitlines()[6]
    assert header == (
        "| Topic | Northland | Health Ministry of Southland | Government of Eastland | "
        "Rights Watch | Verdict |"
    )
    section = brief.split("### Deaths in the blast")[1]
    bullets = [line[4:].split("*")[0] for line in section.splitlines() if line.startswith("- **")]
    assert bullets[:5] == [
        "Northland:", "Health Ministry of Southland:", "Health Ministry of Southland",
        "Government of Eastland:", "Rights Watch:",
    ]  # fmt: skip


def test_one_observer_is_counted_in_the_singular(blast: Path) -> None:
    brief = out("brief", "northland", "southland", "eastland", cwd=blast)
    assert brief.startswith(
        "# Northland vs Health Ministry of Southland: what each side claims, with 1 observer\n"
    )


def test_a_bad_role_is_an_error_at_its_place(blast: Path) -> None:
    path = blast / "claims" / "eastland.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: observer", "role: assessor"))
    done = run("diff", cwd=blast)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "claims/eastland.yaml:4:9: `assessor` is not a valid role: use `party`" in done.stderr
    assert "or `observer` (who assesses it)" in done.stderr


def test_init_writes_observers_files(tmp_path: Path) -> None:
    done = run("init", "new", "--sides", "north,south", "--observers", "rights-watch",
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    watch = (tmp_path / "new" / "claims" / "rights-watch.yaml").read_text(encoding="utf-8")
    assert "\n  role: observer" in watch
    north = (tmp_path / "new" / "claims" / "north.yaml").read_text(encoding="utf-8")
    assert "\n  role:" not in north
    assert run("check", cwd=tmp_path / "new").returncode == 0
    found = diff_json(tmp_path / "new")
    assert found["side_roles"] == {"north": "party", "south": "party", "rights-watch": "observer"}
    refused = run("init", "other", "--sides", "north,south", "--observers", "south",
                  cwd=tmp_path)  # fmt: skip
    assert refused.returncode == 2
    assert "--observers" in refused.stderr


# --- point 9: a subject shown as it was written ------------------------------------


def test_a_subject_written_as_an_alias_shows_as_written(blast: Path) -> None:
    found = diff_json(blast)
    toll = topic(found, "casualties.blast")
    reasons = [r["text"] for p in toll["pairs"] for r in p["reasons"]]
    assert "count 10–50 vs 471, subject Southland" in reasons
    assert not any("subject Health Ministry" in r for r in reasons)
    table = out("diff", cwd=blast)
    assert "count 471 · subject Southland" in table
    page = parse(out("brief", cwd=blast))
    text = " ".join("".join(page.text).split())
    assert "vs 471 (Health Ministry of Southland, reported 18 Oct 2023), subject Southland." in text
    assert "10–50 for Southland (Northland Defence Forces, 18 Oct 2023)" in text


def test_an_actor_shows_as_written_only_when_every_claim_wrote_it(blast: Path) -> None:
    cause = topic(diff_json(blast), "blast.cause")
    pairs = {tuple(p["sides"]): [r["text"] for r in p["reasons"]] for p in cause["pairs"]}
    # Northland and Eastland both wrote `Southland`
    assert pairs["northland", "eastland"] == ["same actor: Southland"]
    # Rights Watch wrote the side's id: the side's own name, for both
    assert pairs["northland", "rights-watch"] == ["same actor: Health Ministry of Southland"]
    assert pairs["northland", "southland"] == ["actor: Southland vs Northland"]
    assert pairs["southland", "rights-watch"] == [
        "actor: Northland vs Health Ministry of Southland"
    ]


def test_check_warns_of_an_alias_used_as_a_place(blast: Path) -> None:
    path = blast / "claims" / "rights-watch.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    actor: southland\n", "    actor: southland\n    places: [Southern]\n")
    )
    done = run("check", cwd=blast)
    assert done.returncode == 0, done.stdout + done.stderr  # a warning
    found = done.stdout + done.stderr
    assert "claims/rights-watch.yaml:13:14: warning: " in found
    assert "place `Southern` of claim `rocket-from-southland` is also an alias of side " in found
    assert "Health Ministry of Southland (southland.yaml)" in found
    assert "alias-place" in found
