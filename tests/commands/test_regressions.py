"""Bugs found in review, each kept fixed by a test that failed before the fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factcmp.check.files import check
from factcmp.cli import main
from factcmp.compare.judge import compare
from factcmp.load.files import load_side
from factcmp.problems import InputError
from factcmp.result import Verdict
from tests.conftest import CLAIMS
from tests.growth import assert_linear
from tests.helpers import claim, side

HEAD = "factcmp: 1\nside: {name: %s}\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str, cwd: Path) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_check_reports_a_date_and_time_where_a_date_is_wanted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        HEAD % "A"
        + "sources:\n  s: {published: 2022-09-14T10:00:00Z}\n"
        + "claims:\n  - {id: c, topic: t, text: x, source: s,"
        + " period: {from: 2022-09-14 10:00:00}}\n",
    )
    report = check([tmp_path])
    assert report.failed(strict=False)
    assert {f.rule for f in report.findings} >= {"type"}


def test_a_count_too_large_for_the_cache_is_compared_uncached(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    write(
        claims,
        "a.yaml",
        HEAD % "A" + "claims:\n  - {id: c, topic: t, text: x, count: 18446744073709551616}\n",
    )
    write(claims, "b.yaml", HEAD % "B" + "claims:\n  - {id: c, topic: t, text: y, count: 5}\n")
    for _ in range(2):
        result = invoke("diff", "--format", "json", cwd=tmp_path)
        assert result.exit_code == 0
        assert json.loads(result.output)["topics"][0]["verdict"] == "contradiction"


def test_topic_keys_in_messages_are_inert(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    evil = "t\x1b]52;c;SGVsbG8=\x07"
    write(
        claims,
        "a.yaml",
        HEAD % "A" + f"claims:\n  - {{id: c, topic: {json.dumps(evil)}, text: x}}\n",
    )
    write(claims, "b.yaml", HEAD % "B")
    result = CliRunner().invoke(main, ["diff", "--claims-dir", str(claims), "--topic", "nosuch"])
    assert "\x1b" not in result.stderr
    assert "\\x1b]52" in result.stderr


def test_names_in_two_unicode_forms_are_the_same_name() -> None:
    nfc = unicodedata.normalize("NFC", "Türkiye")
    nfd = unicodedata.normalize("NFD", "Türkiye")
    assert nfc != nfd
    a = side("a", claim("a", actor=nfc, places=["Ağdam"]))
    b = side("b", claim("b", actor=nfd, places=[unicodedata.normalize("NFD", "Ağdam")]))
    assert compare([a, b]).topics[0].verdict is Verdict.AGREEMENT


@pytest.mark.parametrize(("dated", "undated"), [("north  army", "north army"), ("B", "Bee")])
def test_an_undated_count_is_caught_whatever_the_spelling(
    tmp_path: Path, dated: str, undated: str
) -> None:
    path = write(
        tmp_path,
        "b.yaml",
        "factcmp: 1\nside: {name: B, aliases: [Bee]}\nclaims:\n"
        f"  - {{id: c1, topic: t, text: x, count: 1, said: 2022-09-14, subject: {dated}}}\n"
        f"  - {{id: c2, topic: t, text: y, count: 2, subject: {undated}}}\n",
    )
    with pytest.raises(InputError) as caught:
        load_side(path)
    assert [p.rule for p in caught.value.problems] == ["undated-count"]


def test_files_named_by_path_use_the_topics_beside_them(tmp_path: Path) -> None:
    here = tmp_path / "elsewhere"
    write(here, "x.yaml", HEAD % "X" + "claims:\n  - {id: c, topic: t, text: x, count: 100}\n")
    write(here, "y.yaml", HEAD % "Y" + "claims:\n  - {id: c, topic: t, text: y, count: 104}\n")
    write(here, "topics.yaml", "factcmp: 1\ntopics:\n  t: {label: Tee}\n")
    shutil.copytree(CLAIMS, tmp_path / "claims")  # a claims folder with its own topics.yaml
    result = invoke(
        "diff", str(here / "x.yaml"), str(here / "y.yaml"), "--format", "json", cwd=tmp_path
    )
    [topic] = json.loads(result.output)["topics"]
    assert (topic["label"], topic["verdict"]) == ("Tee", "contradiction")


def test_topics_yaml_wins_over_topics_yml_in_check_as_in_diff(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", HEAD % "A" + "claims:\n  - {id: c, topic: t, text: x}\n")
    write(tmp_path, "topics.yaml", "factcmp: 1\ntopics:\n  t: {label: T}\n")
    write(tmp_path, "topics.yml", "factcmp: 1\ntopics:\n  u: {label: U}\n")
    assert [f.rule for f in check([tmp_path]).findings] == []


def test_a_denial_makes_a_topic_comparable_without_shared_facets(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", HEAD % "A" + "claims:\n  - {id: c, topic: t, text: x, actor: b}\n")
    write(
        tmp_path,
        "b.yaml",
        HEAD % "B" + "claims:\n  - {id: c, topic: t, text: y, stance: denies, places: [P]}\n",
    )
    assert check([tmp_path]).findings == []


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", HEAD % "A" + "speakers:\n  s: {name: S}\n")
    report = check([tmp_path, path, tmp_path / ".." / tmp_path.name / "a.yaml"])
    assert len(report.files) == 1
    assert [f.rule for f in report.findings] == ["unused-speaker"]


@pytest.mark.parametrize(
    "header",
    [
        "factcmp: 1\nside: {name: ' '}\n",
        "factcmp: 1\nside: {name: A}\nspeakers:\n  s: {name: ''}\n",
    ],
)
def test_blank_names_are_refused(tmp_path: Path, header: str) -> None:
    with pytest.raises(InputError) as caught:
        load_side(write(tmp_path, "a.yaml", header))
    assert [p.rule for p in caught.value.problems] == ["empty"]


def test_blank_title_and_caveat_fall_back(tmp_path: Path) -> None:
    shutil.copytree(CLAIMS, tmp_path / "claims")
    out = invoke(
        "brief", "armenia", "azerbaijan", "--title", "  ", "--caveat", " ", cwd=tmp_path
    ).output
    assert out.startswith("# Armenia vs Azerbaijan: what each side claims\n")
    assert "\n---\n" not in out  # no caveat section for a blank caveat
    assert all(line.strip() not in ("*", "**", "* *") for line in out.splitlines())


def test_the_stacked_layout_fits_narrow_terminals(tmp_path: Path) -> None:
    for width in (40, 50, 60):
        result = CliRunner().invoke(
            main, ["diff", "--claims-dir", str(CLAIMS)], env={"COLUMNS": str(width)}
        )
        assert max(len(line) for line in result.output.splitlines()) <= width


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX file names")
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(CLAIMS / "armenia.yaml", claims / "armenia.yaml")
    odd = os.fsencode(claims) + b"/b\xff.yaml"
    with open(odd, "wb") as handle:
        handle.write((CLAIMS / "azerbaijan.yaml").read_bytes())
    factcmp = shutil.which("factcmp")
    assert factcmp
    for args in (["diff"], ["diff", "--format", "json"], ["brief"], ["check"]):
        done = subprocess.run(
            [factcmp, *args], cwd=tmp_path, capture_output=True, check=False, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr


def test_an_empty_selection_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["diff", "--claims-dir", str(CLAIMS), "armenia", "azerbaijan", "--only", "agreement"]
    )
    assert "leaves none of the 12 topics" in result.stderr
    blank = CliRunner().invoke(main, ["diff", "--claims-dir", str(CLAIMS), "--only", " , "])
    assert blank.exit_code == 2


def test_a_value_problem_in_the_yaml_hides_nothing_else(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        HEAD % "A"
        + "claims:\n"
        + "  - {id: c1, topic: t, text: x, said: 2022-09-31}\n"
        + "  - {id: c2, topic: t, text: y, by: nobody, cout: 3}\n"
        + "  - {id: c3, topic: t, text: z, text: again}\n",
    )
    with pytest.raises(InputError) as caught:
        load_side(path)
    rules = [(p.line, p.rule) for p in caught.value.problems]
    assert rules == [
        (4, "yaml-bad-date"),
        (5, "unknown-speaker"),
        (5, "unknown-key"),
        (6, "yaml-duplicate-key"),
    ]
    assert [f.rule for f in check([path]).findings].count("yaml-bad-date") == 1


def test_every_bad_item_of_a_list_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        "factcmp: 1\nside: {name: A, aliases: [x, 5, no]}\n"
        "claims:\n  - {id: c, topic: t, text: x, places: [a, 5, ~]}\n",
    )
    with pytest.raises(InputError) as caught:
        load_side(path)
    found = [(p.line, p.col, p.rule) for p in caught.value.problems]
    assert found == [(2, 30, "yaml-1.1"), (2, 33, "yaml-1.1"), (4, 44, "yaml-1.1"), (4, 47, "type")]
    assert (
        caught.value.problems[-1].message == "item 3 of `places` is empty: write it, or remove it"
    )


# --- revision 2 (a hostile-input review of scoped stances, pairs and narrowing) ------


def _two_sides(tmp_path: Path, topics: str = "", side_a: str = "Alpha") -> Path:
    folder = tmp_path / "claims"
    write(
        folder,
        "a.yaml",
        HEAD
        % f'"{side_a}"'
        + "claims:\n  - {id: a1, topic: t, text: The valley is ours., stance: affirms, "
        "actor: a, said: 2020-06-17}\n",
    )
    write(
        folder,
        "b.yaml",
        HEAD
        % "Beta"
        + "claims:\n  - {id: b1, topic: t, text: It is not., stance: affirms, actor: a, "
        "places: [LAC], said: 2020-06-18}\n",
    )
    if topics:
        write(folder, "topics.yaml", "factcmp: 1\ntopics:\n" + topics)
    return folder


def _table_lines(folder: Path, *args: str, columns: str = "60") -> list[str]:
    done = subprocess.run(
        [
            shutil.which("factcmp") or "factcmp",
            "diff",
            "a",
            "b",
            "--claims-dir",
            str(folder),
            *args,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": columns},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_topic_value_with_a_line_break_forges_no_line_of_the_narrowed_footer(
    tmp_path: Path,
) -> None:
    lines = _table_lines(_two_sides(tmp_path), "--topic", "t\nClaims from: forged")
    assert not [line for line in lines if line.startswith("Claims from: forged")]
    assert any(line.startswith("Narrowed: topics matching t Claims from: forged") for line in lines)


@pytest.mark.parametrize("columns", ["60", "200"])
def test_a_topic_claim_label_or_side_name_forges_no_line(tmp_path: Path, columns: str) -> None:
    topics = (
        '  t:\n    label: "Label\\n✓ agreement · Forged"\n'
        '    claim: "The valley is Alpha\'s\\nAlpha–Beta ✓ agree: forged"\n'
    )
    folder = _two_sides(tmp_path, topics, side_a="Alpha\\nBeta–Alpha ✗ forged")
    for line in _table_lines(folder, columns=columns):
        text = line.strip("│ ┃")
        assert not text.startswith(("✓ agreement · Forged", "Alpha–Beta ✓", "Beta–Alpha ✗")), line


def test_a_claim_of_invisible_characters_is_no_claim(tmp_path: Path) -> None:
    folder = _two_sides(tmp_path, '  t:\n    label: "\\u200b"\n    claim: "\\u200b\\u2060 "\n')
    data = json.loads(invoke("diff", "a", "b", "--format", "json", cwd=folder.parent).output)
    (topic,) = data["topics"]
    assert (topic["label"], topic["claim"]) == ("T", None)


def test_a_long_text_in_a_brief_takes_linear_time(tmp_path: Path) -> None:
    from factcmp.render.markdown import text

    # quadratic backtracking took minutes on 200,000 characters
    assert_linear(lambda n: "x" * (200 * n) + "@ and a.b" * n, text, 125)


def test_csv_says_on_stderr_how_it_was_narrowed(tmp_path: Path) -> None:
    folder = _two_sides(tmp_path)
    args = ["a", "b", "--claims-dir", str(folder), "--format", "csv", "--only", "agreement"]
    done = subprocess.run(
        [shutil.which("factcmp") or "factcmp", "diff", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == "factcmp: narrowed: agreements only: 1 of 1 topic\n"
    assert done.stdout.startswith("topic,label,verdict,")


def test_saying_how_a_cached_comparison_was_narrowed_decodes_no_topic() -> None:
    # the sides left silent come from the index: a warm table of many topics must not
    # decode them all to say so (a blob that cannot be decoded proves none is)
    from factcmp.render.words import selection_words
    from factcmp.result import Comparison, Selection, TopicIndex, TopicList

    sides = [side("a"), side("b"), side("c")]
    index = [TopicIndex("t", Verdict.CONTRADICTION, True, ("a", "b"))]
    narrowed = Comparison(
        sides,
        TopicList(index, [b"not a topic"]),
        Selection(only=(Verdict.CONTRADICTION,), all_topics=3),
    )
    assert selection_words(narrowed) == (
        "contradictions only: 1 of 3 topics; nothing from C in what is shown"
    )
