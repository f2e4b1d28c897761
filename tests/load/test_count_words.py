"""A count's `words`: the speaker's own words for the figure (`count: {min: 100,
words: hundreds}`, revision 3), loaded and checked as a short text, in the JSON
Schema too (issue 22, point 5)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

SIDE = """\
factcmp: 1
side: {{name: {name}}}
claims:
  - id: {side}-hurt
    topic: casualties.injured
    text: Hundreds were hurt.
    count: {count}
"""


def folder_with(tmp_path: Path, count: str) -> Path:
    claims = tmp_path / "claims"
    claims.mkdir()
    for side, written in (("armenia", count), ("azerbaijan", "300")):
        text = SIDE.format(name=side.title(), side=side, count=written)
        (claims / f"{side}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def factcmp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["factcmp", *args], cwd=cwd, capture_output=True, text=True)


def test_words_are_kept_beside_the_figure(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "{min: 100, words: hundreds}")
    done = factcmp("diff", "--format", "json", cwd=folder)
    assert done.returncode == 0, done.stderr
    (topic,) = json.loads(done.stdout)["topics"]
    assert topic["claims"]["armenia"][0]["count"] == {"min": 100, "words": "hundreds"}
    assert topic["claims"]["azerbaijan"][0]["count"] == 300
    assert topic["reasons"] == ["count hundreds (at least 100) vs 300: consistent, not confirming"]


def test_a_bare_figure_with_words_is_a_mapping(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "{best: 300, words: about three hundred}")
    done = factcmp("diff", "--format", "json", cwd=folder)
    (topic,) = json.loads(done.stdout)["topics"]
    assert topic["claims"]["armenia"][0]["count"] == {"best": 300, "words": "about three hundred"}
    assert topic["verdict"] == "agreement"  # the figures agree; the words are not compared
    assert topic["reasons"] == ["count about three hundred (300) vs 300"]


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ('{min: 100, words: " "}', "`words` is empty: fill it in or remove the line"),
        (
            "{min: 100, words: " + "w" * 61 + "}",
            "`words` is too long (61 characters): it is the speaker's few words for the "
            "figure, at most 60",
        ),
        ("{min: 100, words: 5}", "`5` is read by YAML as a number, but `words` takes text"),
        (
            "{words: hundreds}",
            "a count mapping needs `best`, `min` or `max`",
        ),
    ],
)
def test_words_are_a_short_text_beside_a_figure(tmp_path: Path, count: str, message: str) -> None:
    folder = folder_with(tmp_path, count)
    done = factcmp("diff", cwd=folder)
    assert done.returncode == 2
    assert "claims/armenia.yaml:7:" in done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_the_json_schema_takes_words_and_unit(tmp_path: Path) -> None:
    done = factcmp("schema", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    defs = json.loads(done.stdout)["$defs"]
    assert defs["CountSpec"]["properties"]["words"]["anyOf"][0] == {"type": "string"}
    assert "unit" in defs["ClaimSpec"]["properties"]
