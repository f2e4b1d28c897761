"""`factcmp timeline`: how each side's figures moved."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import termios
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
EXE = shutil.which("factcmp") or "factcmp"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "timeline", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def data(*args: str) -> dict[str, Any]:
    done = run(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def series_of(found: dict[str, Any], topic: str) -> dict[tuple[str, str | None], Any]:
    [entry] = [t for t in found["topics"] if t["topic"] == topic]
    return {(s["side"], s["subject"]): s for s in entry["series"]}


def test_the_sample() -> None:
    found = data()
    assert found["format"] == 1
    assert found["sides"] == ["armenia", "azerbaijan", "russia"]
    military = series_of(found, "casualties.military")
    assert military["armenia", "armenia"]["points"] == [
        {"claim": "troops-killed-0914", "said": "2022-09-14", "reported": None,
         "count": 105, "stance": "affirms", "in_force": True}
    ]  # fmt: skip
    handover = series_of(found, "bodies.handover")
    assert handover["azerbaijan", "armenia"]["points"][0]["count"] == {"max": 100}
    assert {t["topic"] for t in found["topics"]} == {
        "casualties.military",
        "bodies.handover",
        "casualties.civilian",
    }


def test_figures_in_order_history_intervals_periods_and_denials() -> None:
    found = data("--claims-dir", str(FIXTURES / "galwan/claims"))
    military = series_of(found, "casualties.military")
    india = military["india", "india"]["points"]
    assert [(p["count"], p["in_force"]) for p in india] == [(3, False), (20, True)]
    assert military["india", "china"]["points"][0]["count"] == {"min": 40}
    china = military["china", "china"]["points"]
    assert [(p["count"], p["stance"]) for p in china] == [(40, "denies"), (4, "affirms")]
    tass = military["tass", "india"]
    assert tass["period"] == {"from": "2020-05-01", "to": "2020-06-30"}
    table = run("--claims-dir", str(FIXTURES / "galwan/claims")).stdout
    assert "China, on China: not 40 (23 Jun 2020) → 4 (19 Feb 2021)" in table
    assert "India, on India: 3 (16 Jun 2020) → 20 (16 Jun 2020)" in table


def test_a_rising_toll_in_one_line() -> None:
    table = run("--claims-dir", str(FIXTURES / "kakhovka/claims"), "--topic", "casualties.dead")
    assert "Russia, on Russian-held areas: 8 (9 Jun) → 35 (18 Jun) → 59 (25 Nov)" in table.stdout
    found = data("--claims-dir", str(FIXTURES / "kakhovka/claims"), "--as-of", "2023-06-10")
    points = series_of(found, "casualties.dead")["russia", "russian-held areas"]["points"]
    assert [p["count"] for p in points] == [8]
    assert found["selection"]["as_of"] == "2023-06-10"


def test_undated_counts_are_apart(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    head = "factcmp: 1\nside: {name: %s}\nclaims:\n"
    (claims / "a.yaml").write_text(
        head % "A"
        + "  - {id: a1, topic: t, text: x, count: 4, subject: a, said: 2022-09-13}\n"
        + "  - {id: a2, topic: t, text: y, count: {min: 7}, subject: a, status: superseded}\n"
    )
    (claims / "b.yaml").write_text(
        head % "B" + "  - {id: b1, topic: t, text: z, count: 9, subject: a}\n"
    )
    found = data("--claims-dir", str(claims))
    points = series_of(found, "t")["a", "a"]["points"]
    assert [(p["claim"], p["said"]) for p in points] == [("a1", "2022-09-13"), ("a2", None)]
    table = run("--claims-dir", str(claims)).stdout
    assert "A, on A: 4 (13 Sep); undated: at least 7" in table
    assert "B, on A: undated: 9" in table


def test_csv_one_row_per_point() -> None:
    done = run("--claims-dir", str(FIXTURES / "galwan/claims"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    points = sum(
        len(s["points"])
        for t in data("--claims-dir", str(FIXTURES / "galwan/claims"))["topics"]
        for s in t["series"]
    )
    assert len(rows) == points
    assert rows[0].keys() >= {"topic", "side", "claim", "said", "count_best", "in_force"}


def in_pty(columns: int, *args: str) -> str:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    process = subprocess.Popen(
        [EXE, "timeline", *args], stdout=slave, stderr=slave, env={**env, "TERM": "xterm"}, cwd=REPO
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=60)
    os.close(master)
    return re.sub(r"\x1b\[[0-9;]*m", "", out.decode("utf-8"))


@pytest.mark.parametrize("columns", [80, 160])
def test_a_step_chart_in_a_terminal(columns: int) -> None:
    args = ("--claims-dir", str(FIXTURES / "kakhovka/claims"), "--topic", "casualties.dead")
    shown = in_pty(columns, *args)
    lines = shown.replace("\r", "").splitlines()
    chart = [line for line in lines if "┤" in line]
    assert len(chart) == 8
    assert chart[0].strip().startswith("59 ┤")
    assert all(len(line.rstrip()) <= columns for line in lines)
    assert "■" in "".join(chart)  # the rising series' mark
    assert lines[-1].strip().startswith("8 Jun")
    assert lines[-1].rstrip().endswith("25 Nov")
    piped = run(*args)
    assert "┤" not in piped.stdout  # piped: plain lines
    assert "┤" not in run(*args, env={"NO_COLOR": "1"}).stdout


def test_the_table_stops_at_limit() -> None:
    done = run("--limit", "1")
    assert done.stdout.count(" (casualties.") + done.stdout.count(" (bodies.") == 1
    assert "… and 2 more topics with counts not shown" in " ".join(done.stdout.split())
    assert len(data("--limit", "1")["topics"]) == 3  # JSON holds every topic
