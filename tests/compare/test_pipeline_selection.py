"""The library's front door (factcmp.pipeline) stamps the comparison's `Selection`
where `as_of` is applied, for a fresh and a cached comparison alike, and returns what
the person should be told as `notices`, printing nothing and importing no click."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factcmp.cache import ParseCache
from factcmp.compare.select import narrow
from factcmp.pipeline import compare_files, compare_selected
from factcmp.result import Selection, Verdict
from tests.conftest import CLAIMS, REPO

UNDATED = """
  - id: undated-extra
    topic: shelling
    text: Azerbaijani forces fired again.
    by: mod
    actor: azerbaijan
"""
SEP_13 = dt.date(2022, 9, 13)


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    """The sample with one undated claim more in armenia.yaml."""
    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS, folder)
    armenia = folder / "armenia.yaml"
    armenia.write_text(armenia.read_text(encoding="utf-8") + UNDATED, encoding="utf-8")
    return folder


def sides_of(folder: Path) -> list[tuple[str, Path]]:
    return [(name, folder / f"{name}.yaml") for name in ("armenia", "azerbaijan", "russia")]


def test_the_pipeline_stamps_as_of_and_the_undated_count(claims: Path, tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    topics = claims / "topics.yaml"
    stamped = Selection(as_of=SEP_13, undated=1)
    for kept in (None, cache, cache):  # no cache, then cold, then warm
        result = compare_files(sides_of(claims), topics, as_of=SEP_13, cache=kept)
        assert result.comparison.selection == stamped
    # the same files without --as-of, through the same cache: nothing of the other's
    assert compare_files(sides_of(claims), topics, cache=cache).comparison.selection == Selection()


def test_narrow_keeps_what_the_pipeline_stamped(claims: Path) -> None:
    comparison = compare_files(sides_of(claims), claims / "topics.yaml", as_of=SEP_13).comparison
    narrowed = narrow(comparison, only={Verdict.AGREEMENT}, topics=["casualties"])
    assert narrowed.selection == Selection(
        as_of=SEP_13,
        only=(Verdict.AGREEMENT,),
        topics=("casualties",),
        all_topics=len(comparison.topics),
        undated=1,
    )


def test_compare_selected_prints_nothing_and_returns_the_notices(
    claims: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    selected = compare_selected((), str(claims), as_of=SEP_13, topics=("nosuch",))
    assert capfd.readouterr() == ("", "")
    assert selected.notices[0] == "factcmp: --as-of 2022-09-13: 1 undated claim(s) left out"
    assert selected.notices[1].startswith("factcmp: no topic matches --topic nosuch; the topics")
    assert len(selected.notices) == 2
    assert selected.comparison.selection.undated == 1
    assert list(selected.comparison.topics) == []


def test_a_selection_without_notices(claims: Path) -> None:
    selected = compare_selected(("armenia", "azerbaijan"), str(claims), only={"contradiction"})
    assert selected.notices == ()
    assert {t.verdict for t in selected.comparison.topics} == {Verdict.CONTRADICTION}
    assert selected.files == [str(claims / f) for f in ("armenia.yaml", "azerbaijan.yaml")] + [
        str(claims / "topics.yaml")
    ]


PROBE = """
import json, sys
from factcmp.pipeline import compare_selected
selected = compare_selected((), sys.argv[1], as_of=__import__("datetime").date(2022, 9, 13))
print(json.dumps([sorted(m for m in sys.modules if m.split(".")[0] == "click"),
                  list(selected.notices)]))
"""


def test_the_library_does_not_import_click(claims: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(claims)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    clicks, notices = json.loads(done.stdout)
    assert clicks == []
    assert notices == ["factcmp: --as-of 2022-09-13: 1 undated claim(s) left out"]
