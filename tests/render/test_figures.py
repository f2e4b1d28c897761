"""The brief's "How the figures moved": lines per series, and an SVG chart beside
the brief, linked from it; the brief and its chart written together, or neither."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import cmarkgfm
import pytest
from click.testing import CliRunner, Result

from factcmp.cli import main

REPO = Path(__file__).resolve().parents[2]
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


@pytest.mark.slow
def test_a_chart_beside_the_brief(tmp_path: Path) -> None:
    out = tmp_path / "out" / "brief.md"
    out.parent.mkdir()  # a brief into a folder that does not exist is refused (issue 20)
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


@pytest.mark.slow
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


@pytest.mark.slow
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


# The brief and its chart are written together, or neither (issue 20) ----------------

KAKHOVKA = FIXTURES / "kakhovka" / "claims"  # its figures moved: the brief has a chart


def brief_here(*args: str) -> Result:
    return CliRunner().invoke(main, ["brief", "--date", "2023-12-01", "--claims-dir",
                                     str(KAKHOVKA), *args])  # fmt: skip


def test_charts_naming_a_file_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    taken = tmp_path / "charts"
    taken.write_text("not a folder\n", encoding="utf-8")
    done = brief_here("-o", str(tmp_path / "brief.md"), "--charts", str(taken))
    assert done.exit_code == 2
    assert "Traceback" not in done.output
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: Invalid value for '--charts': {taken} is a file: --charts takes the folder "
        "to write the chart into (made if missing), e.g. --charts charts"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charts"]
    assert taken.read_text(encoding="utf-8") == "not a folder\n"


@pytest.mark.parametrize("where", ["beside", "charts"])
def test_a_chart_that_is_a_link_is_kept_and_its_target_written(where: str, tmp_path: Path) -> None:
    folder = tmp_path if where == "beside" else tmp_path / "charts"
    folder.mkdir(exist_ok=True)
    (tmp_path / "kept").mkdir()
    target = tmp_path / "kept" / "chart.svg"
    link = folder / "brief-figures.svg"
    link.symlink_to(target)
    extra = ["--charts", str(folder)] if where == "charts" else []
    done = brief_here("-o", str(tmp_path / "brief.md"), *extra)
    assert done.exit_code == 0, done.output
    assert link.is_symlink(), "the link was replaced by a file"
    assert os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no /proc")
def test_a_brief_that_cannot_be_written_is_named_not_its_chart() -> None:
    done = brief_here("-o", "/proc/x.md")
    assert done.exit_code == 2
    assert done.stderr == "Error: cannot write /proc/x.md: No such file or directory\n"


@pytest.mark.parametrize("charts", [False, True])
def test_a_brief_into_a_folder_that_does_not_exist_creates_nothing(
    charts: bool, tmp_path: Path
) -> None:
    out = tmp_path / "no-such-folder" / "x.md"
    extra = ["--charts", str(tmp_path / "charts")] if charts else []
    done = brief_here("-o", str(out), *extra)
    assert done.exit_code == 2
    assert done.stderr == f"Error: cannot write {out}: No such file or directory\n"
    assert list(tmp_path.iterdir()) == []  # no chart, no folder, no temporary file


def test_a_chart_that_cannot_be_written_leaves_the_brief_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("OLD\n", encoding="utf-8")
    (tmp_path / "brief-figures.svg").mkdir()  # where the chart would go
    done = brief_here("-o", str(out))
    assert done.exit_code == 2
    assert done.stderr.startswith(
        f"Error: cannot write {tmp_path / 'brief-figures.svg'}: it is a directory"
    )
    assert out.read_text(encoding="utf-8") == "OLD\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief-figures.svg", "brief.md"]
