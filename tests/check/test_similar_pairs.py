"""check's `topic-similar` rule: the same pairs as comparing every two keys would find,
through a number of comparisons that grows with the keys, not with their pairs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import factcmp.compare.similar
from factcmp.cli import main
from factcmp.compare.similar import fold, similar_pairs

EXE = shutil.which("factcmp") or "factcmp"


# --- a brute-force reference, built here from the rule as docs/check.md states it ------


def _words(key: str) -> list[str]:
    return [w for w in re.split(r"[._\-\s]+", fold(key)) if w]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, the whole table."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[len(b)]


def _alike(a: str, b: str) -> bool:
    """Two different keys with the same words in any order; or with the same numbers,
    six characters or more, one edit apart (two from ten characters)."""
    words_a, words_b = _words(a), _words(b)
    if sorted(words_a) == sorted(words_b):
        return True
    joined_a, joined_b = "".join(words_a), "".join(words_b)
    if re.sub(r"\D", "", joined_a) != re.sub(r"\D", "", joined_b):
        return False
    if min(len(joined_a), len(joined_b)) < 6:
        return False
    return _distance(joined_a, joined_b) <= (1 if len(joined_a) < 10 else 2)


def _meeting_places(key: str) -> set[str]:
    """Where a key meets others (the rule's buckets): its sorted words; its words run
    together, and that with one character left out (six characters or more)."""
    joined = "".join(_words(key))
    places = {"w:" + " ".join(sorted(_words(key))), "d:" + joined}
    if len(joined) >= 6:
        places |= {"d:" + joined[:i] + joined[i + 1 :] for i in range(len(joined))}
    return places


def reference_pairs(keys: list[str]) -> list[tuple[str, str]]:
    """Every two keys, compared: alike, and meeting in a place that at most 50 keys
    share (more is a family such as topic.1, topic.2, ...)."""
    unique = sorted(set(keys))
    places = {key: _meeting_places(key) for key in unique}
    crowd: dict[str, int] = {}
    for found in places.values():
        for place in found:
            crowd[place] = crowd.get(place, 0) + 1
    return [
        (a, b)
        for a, b in combinations(unique, 2)
        if _alike(a, b) and any(crowd[p] <= 50 for p in places[a] & places[b])
    ]


KEY = st.text(alphabet="ab12._- Éé", min_size=1, max_size=14)


@settings(max_examples=300, deadline=None)
@given(st.lists(KEY, max_size=60), st.data())
def test_similar_pairs_are_those_found_by_comparing_every_two_keys(
    keys: list[str], data: st.DataObject
) -> None:
    slips = []  # of those keys: one character added, dropped or changed
    for key in keys[:20]:
        i = data.draw(st.integers(0, len(key)))
        c = data.draw(st.sampled_from("ab1_"))
        slips += [key[:i] + c + key[i:], key[:i] + key[i + 1 :], key[:i] + c + key[i + 1 :]]
    assert similar_pairs(keys + slips) == reference_pairs(keys + slips)


def test_similar_pairs_among_many_numbered_keys_are_those_of_the_reference() -> None:
    keys = [f"topic.{i}" for i in range(300)] + [f"casualties.{y}" for y in range(2000, 2030)]
    keys += ["casualties.military", "casualties.militry", "military.casualties", "topic.12a"]
    keys += [f"topic{i}.x" for i in range(0, 300, 7)] + ["topic.1-2", "topic.2.1"]
    letters = "abcdefghijklmnopqrstuvwxyzαβγδεζηθικλμνξοπρστυφχψωабвгдежзик"
    keys += [f"strike{c}" for c in letters[:40]]  # 40 keys one letter apart: 780 pairs
    keys += [f"shelling{c}" for c in letters]  # 60: a family, none reported
    found = similar_pairs(keys)
    assert found == reference_pairs(keys)
    assert sum(a.startswith("strike") for a, _ in found) == 40 * 39 // 2
    assert not [a for a, _ in found if a.startswith("shelling")]


# --- how many comparisons --------------------------------------------------------------


def corpus_keys(n: int) -> list[str]:
    """n numbered topics, and a tenth as many families of keys a curator may have
    misspelt or reworded."""
    keys = [f"topic.{i}" for i in range(n)]
    for i in range(n // 10):
        keys += [f"casualties.military.{i}", f"casualties.militry.{i}", f"military.casualties.{i}"]
    return keys


class Comparisons:
    """Counts the comparisons of two keys, each made by the real `similar_keys`."""

    def __init__(self) -> None:
        self.count = 0
        self.compare = factcmp.compare.similar.similar_keys

    def __call__(self, a: str, b: str) -> bool:
        self.count += 1
        return self.compare(a, b)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Comparisons:
    counter = Comparisons()
    monkeypatch.setattr(factcmp.compare.similar, "similar_keys", counter)
    return counter


def test_numbered_topics_are_not_compared_two_by_two(compared: Comparisons) -> None:
    """100 files of 100 claims hold thousands of keys: topic.1 and topic.2 can never be
    alike (their numbers differ), so they are never compared."""
    small, large = corpus_keys(1000), corpus_keys(8000)
    # in each family: the misspelt key and the reworded one, each beside the first
    assert len(similar_pairs(small)) == 2 * 100
    small_count, compared.count = compared.count, 0
    assert len(similar_pairs(large)) == 2 * 800
    # fewer comparisons than keys, and 8x the keys at most 8x the comparisons
    assert small_count <= len(small)
    assert compared.count <= len(large)
    assert compared.count <= 8 * small_count


def two_files(folder: Path, claims: int) -> Path:
    """Red and Blue, each with its own numbered topics, and one key spelt two ways."""
    folder.mkdir()
    for side, start in (("red", 0), ("blue", claims)):
        lines = ["factcmp: 1", f"side: {{name: {side.capitalize()}}}", "claims:"]
        topics = [f"topic.{start + i}" for i in range(claims)]
        topics[7] = "casualties.military" if side == "red" else "casualties.militry"
        for i, topic in enumerate(topics):
            lines += [f"  - id: c{i}", f"    topic: {topic}", f"    text: Claim {i}."]
        (folder / f"{side}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_check_finds_the_one_slip_among_thousands_of_keys_comparing_few(
    tmp_path: Path, compared: Comparisons
) -> None:
    folder = two_files(tmp_path / "claims", 2000)
    result = CliRunner().invoke(main, ["check", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert compared.count == 1  # of 4,000 keys, only the two casualties keys share numbers
    in_process = json.loads(result.output)["findings"]
    done = subprocess.run(
        [EXE, "check", str(folder), "--format", "json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert findings == in_process
    assert [(Path(f["file"]).name, f["line"], f["rule"]) for f in findings] == [
        ("red.yaml", 26, "topic-similar")
    ]
    assert (
        "`casualties.military` looks like `casualties.militry` of blue.yaml"
        in (findings[0]["message"])
    )
