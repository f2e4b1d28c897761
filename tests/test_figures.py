"""The brief's "How the figures moved": lines per series, and an SVG chart beside
the brief, linked from it."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import cmarkgfm
import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
EXE = shutil.which("factcmp") or "factcmp"
pytest.importorskip("vl_convert")


def brief(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "brief", "--date", "2023-12-01", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_chart_beside_the_brief(tmp_path: Path) -> None:
    out = tmp_path / "out" / "brief.md"
    done = brief("--claims-dir", str(FIXTURES / "kakhovka/claims"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    svg = out.with_name("brief-figures.svg")
    tree = ET.parse(svg)  # well-formed XML
    tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
    assert "script" not in tags
    assert "foreignObject" not in tags
    words = {element.text for element in tree.iter() if element.text}
    assert "People killed by the flood" in words  # the labels are text
    assert "Russia, on Russian-held areas" in words
    text = out.read_text(encoding="utf-8")
    assert "## How the figures moved" in text
    assert (
        "- Russia, on Russian-held areas: 8 (9 Jun 2023) → 35 (18 Jun 2023) → 59 (25 Nov 2023)"
        in text
    )
    html = cmarkgfm.github_flavored_markdown_to_html(text)
    assert '<img src="brief-figures.svg" alt="How the figures moved' in html
    assert text.index("## How the figures moved") < text.index("## Sources")


def test_charts_dir_and_no_dangling_link(tmp_path: Path) -> None:
    done = brief("--claims-dir", str(FIXTURES / "kakhovka/claims"))
    assert done.returncode == 0
    assert "## How the figures moved" in done.stdout
    assert "![" not in done.stdout  # no file: no chart, no link
    charts = tmp_path / "charts"
    done = brief("--claims-dir", str(FIXTURES / "kakhovka/claims"), "--charts", str(charts))
    assert (charts / "brief-figures.svg").is_file()
    assert "![How the figures moved" in done.stdout
    still = brief("armenia", "azerbaijan", "-o", str(tmp_path / "sample.md"))
    assert still.returncode == 0  # the sample's figures were each given once: no section
    assert "How the figures moved" not in (tmp_path / "sample.md").read_text(encoding="utf-8")
    assert not (tmp_path / "sample-figures.svg").exists()


def test_hostile_names_stay_text_in_the_svg(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    head = 'factcmp: 1\nside: {name: "%s"}\nclaims:\n'
    evil = "</text><script>alert(1)</script>&amp;"
    (claims / "a.yaml").write_text(
        head % evil
        + "  - {id: a1, topic: t, text: x, count: 4, subject: a, said: 2022-09-13}\n"
        + "  - {id: a2, topic: t, text: x, count: 9, subject: a, said: 2022-09-15}\n"
    )
    (claims / "b.yaml").write_text(
        head % "B" + "  - {id: b1, topic: t, text: z, count: 5, subject: a, said: 2022-09-14}\n"
    )
    out = tmp_path / "brief.md"
    done = brief("-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    tree = ET.parse(tmp_path / "brief-figures.svg")
    tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
    assert "script" not in tags
    assert any("</text><script>" in (element.text or "") for element in tree.iter())
