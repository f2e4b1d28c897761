"""What a comparing command tells on standard error before its output: the undated
claims --as-of left out, the topics missing from topics.yaml, a --topic that matches
nothing, a selection that leaves nothing. The library returns these lines
(factcmp.pipeline: `notices`); the command prints them, whole and in this order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLAIMS

FACTCMP = shutil.which("factcmp")

# an undated claim, a misspelt topic (said on the 13th) and a topic no file lists
EXTRA = """
  - id: undated-extra
    topic: shelling
    text: Azerbaijani forces fired again.
    by: mod
    actor: azerbaijan

  - id: misspelt-extra
    topic: shellng
    text: Azerbaijani forces fired once more.
    by: mod
    source: ap-0914
    said: 2022-09-13
    actor: azerbaijan

  - id: other-extra
    topic: {other}
    text: Something unlisted.
    by: mod
    source: ap-0914
    said: 2022-09-12
"""

AS_OF = "factcmp: --as-of 2022-09-13: 1 undated claim(s) left out"
MISSPELT = "factcmp: warning: topic 'shellng' is not in claims/topics.yaml"
DID_YOU_MEAN = MISSPELT + " (did you mean 'shelling'?)"
OTHER = "factcmp: warning: topic 'zzz.unheard' is not in claims/topics.yaml"
TOPICS = (
    "appeal.allies, appeal.collective-defence, bodies.handover, casualties.civilian, "
    "casualties.military, ceasefire.appeal, ceasefire.violations, csto.armenia-motives, "
    "csto.mission, diplomacy.options, peace.deal-reports, peace.territorial-integrity, "
    "russian-outpost, shelling, shellng, situation.assessment, zzz.unheard"
)


def sample(folder: Path, other: str = "zzz.unheard") -> Path:
    """A copy of the sample with the extra claims in armenia.yaml."""
    shutil.copytree(CLAIMS, folder / "claims")
    armenia = folder / "claims" / "armenia.yaml"
    armenia.write_text(
        armenia.read_text(encoding="utf-8") + EXTRA.format(other=other), encoding="utf-8"
    )
    return folder


def run(folder: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    assert FACTCMP, "the factcmp command is not installed (pip install -e '.[test]')"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FACTCMP_", "FORCE_COLOR", "NO_COLOR", "TERM"))
    }
    env |= {"COLUMNS": "100", "FACTCMP_CACHE_DIR": str(cache)}
    return subprocess.run(
        [FACTCMP, *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (["diff", "--as-of", "2022-09-13"], [AS_OF, MISSPELT, OTHER]),
        (
            ["diff", "--as-of", "2022-09-13", "--format", "csv"],
            [
                AS_OF,
                MISSPELT,
                OTHER,
                "factcmp: narrowed: claims said by 13 September 2022 (1 undated claim left "
                "out); nothing from Azerbaijan in what is shown",
            ],
        ),
        (["diff", "--as-of", "2000-01-01"], [AS_OF.replace("2022-09-13", "2000-01-01")]),
        (
            ["diff", "--topic", "nosuch"],
            [
                DID_YOU_MEAN,
                OTHER,
                f"factcmp: no topic matches --topic nosuch; the topics are: {TOPICS}",
            ],
        ),
        (
            ["diff", "--only", "agreement", "--topic", "casualties"],
            [
                DID_YOU_MEAN,
                OTHER,
                "factcmp: the selection (--only, --topic) leaves none of the 17 topics",
            ],
        ),
        (
            ["diff", "--as-of", "2000-01-01", "--topic", "nosuch"],
            [
                AS_OF.replace("2022-09-13", "2000-01-01"),
                "factcmp: no topic matches --topic nosuch; the topics are: ",  # none then
            ],
        ),
        (["timeline", "--as-of", "2022-09-13", "--format", "json"], [AS_OF, MISSPELT, OTHER]),
        (
            ["brief", "--as-of", "2022-09-13", "--date", "2022-09-15", "--topic", "nosuch"],
            [
                AS_OF,
                MISSPELT,
                OTHER,
                "factcmp: no topic matches --topic nosuch; the topics are: ceasefire.appeal, "
                "csto.mission, shellng, zzz.unheard",
            ],
        ),
    ],
)
def test_the_notices_are_printed_whole_and_in_order(
    tmp_path: Path, args: list[str], lines: list[str]
) -> None:
    folder = sample(tmp_path / "sample")
    cold = run(folder, *args, cache=tmp_path / "cache")
    warm = run(folder, *args, cache=tmp_path / "cache")  # the comparison from the cache
    assert cold.returncode == 0, cold.stderr
    assert cold.stderr.splitlines() == lines
    assert (warm.returncode, warm.stdout, warm.stderr) == (0, cold.stdout, cold.stderr)


def selection_of(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert done.returncode == 0, done.stderr
    selection = json.loads(done.stdout)["selection"]
    assert isinstance(selection, dict)
    return selection


def test_a_cached_comparison_comes_back_with_its_own_as_of(tmp_path: Path) -> None:
    """The cache keeps one comparison per --as-of: each comes back with the selection
    it was compared for, whatever was compared before with the same cache."""
    folder = sample(tmp_path / "sample")
    cache = tmp_path / "cache"
    json_of = ["diff", "--format", "json"]
    dated = selection_of(run(folder, *json_of, "--as-of", "2022-09-13", cache=cache))
    assert (dated["as_of"], dated["undated_left_out"], dated["all_topics"]) == ("2022-09-13", 1, 4)
    plain = selection_of(run(folder, *json_of, cache=cache))
    assert (plain["as_of"], plain["undated_left_out"], plain["all_topics"]) == (None, 0, 17)
    later = selection_of(run(folder, *json_of, "--as-of", "2022-09-14", cache=cache))
    assert (later["as_of"], later["undated_left_out"]) == ("2022-09-14", 1)
    again = run(folder, *json_of, "--as-of", "2022-09-13", cache=cache)
    assert selection_of(again) == dated
    assert again.stderr.splitlines()[0] == AS_OF


def test_an_unlisted_topic_with_terminal_escapes_is_warned_of_inert(tmp_path: Path) -> None:
    folder = sample(tmp_path / "sample", other='"zzz\\e[31mred\\u202e"')
    done = run(folder, "diff", "--topic", "nosuch", cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr
    assert "\u202e" not in done.stderr
    lines = done.stderr.splitlines()
    hostile = "zzz\\x1b[31mred\\u202e"  # as the person reads it: visible escapes
    assert lines[1] == f"factcmp: warning: topic '{hostile}' is not in claims/topics.yaml"
    assert lines[2].endswith(f", situation.assessment, {hostile}")
