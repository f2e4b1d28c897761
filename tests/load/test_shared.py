"""Sources and speakers shared by every side (claims/sources.yaml), one statement for
several claims (`statements:`), and translated quotes (`original:` and `lang:`):
loaded, checked, compared, shown, and looked for by `sources check`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cmarkgfm
import pytest
from click.testing import CliRunner, Result

from factcmp.check.files import check
from factcmp.cli import main
from factcmp.load.discover import available_sides
from tests.sources_server import RU_QUOTE, SourcesServer, serve

SHARED = """\
factcmp: 1
# what several sides cite
sources:
  ap-0616:
    outlet: AP
    title: China, India trade blame for deadly border clash
    url: https://apnews.com/article/galwan
    published: 2020-06-16
speakers:
  un: {name: Stéphane Dujarric, role: Spokesman for the UN Secretary-General}
"""

INDIA = """\
factcmp: 1
side: {name: India}
speakers:
  mea: {name: Anurag Srivastava, role: Spokesperson of the Ministry of External Affairs}
statements:
  mea-0616:
    by: mea
    source: ap-0616
    said: 2020-06-16T21:30+05:30
    quote: The Chinese side departed from the consensus. There were casualties on both sides.
claims:
  - id: consensus-0616
    topic: consensus
    text: China departed from the consensus on the LAC
    statement: mea-0616
    quote: The Chinese side departed from the consensus
    stance: affirms
  - id: casualties-0616
    topic: casualties
    text: There were casualties on both sides
    statement: mea-0616
    quote: There were casualties on both sides
"""

CHINA = """\
factcmp: 1
side: {name: China}
speakers:
  zhao: {name: Zhao Lijian, role: Spokesperson of the Ministry of Foreign Affairs}
claims:
  - id: consensus-0616
    topic: consensus
    text: India departed from the consensus on the LAC
    by: zhao
    source: ap-0616
    said: 2020-06-16
    quote: India seriously violated our consensus
    original: 印方严重违背双方共识
    lang: zh
    stance: denies
  - id: un-calls-0616
    topic: restraint
    text: The UN called on both sides to exercise maximum restraint
    by: un
    source: ap-0616
    said: 2020-06-16
"""


@pytest.fixture
def dispute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "sources.yaml").write_text(SHARED, encoding="utf-8")
    (claims / "india.yaml").write_text(INDIA, encoding="utf-8")
    (claims / "china.yaml").write_text(CHINA, encoding="utf-8")
    (claims / "topics.yaml").write_text(
        "factcmp: 1\ntopics:\n"
        "  consensus: {label: Who broke the consensus, claim: China broke the consensus}\n"
        "  casualties: {label: Casualties}\n"
        "  restraint: {label: Calls for restraint}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCMP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FACTCMP_CLAIMS", raising=False)
    return claims


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(claims: Path) -> list[tuple[str, int, str, str]]:
    report = check([claims], today=__import__("datetime").date(2026, 1, 1))
    return [(Path(p.file).name, p.line, p.rule, p.message) for p in report.findings]


# --- shared sources ---------------------------------------------------------------


def test_sources_yaml_is_not_a_side(dispute: Path) -> None:
    assert [side.id for side in available_sides(dispute)] == ["china", "india"]


def test_a_clean_dispute_with_shared_sources_and_a_statement_checks_clean(dispute: Path) -> None:
    assert findings(dispute) == []
    done = invoke("check")
    assert done.exit_code == 0, done.output
    assert "4 files" in done.output or "(4 checked)" in done.output


def test_both_sides_cite_the_shared_source_and_the_brief_numbers_it_once(dispute: Path) -> None:
    done = invoke("brief", "india", "china")
    assert done.exit_code == 0, done.output
    html = cmarkgfm.github_flavored_markdown_to_html(done.output)
    assert done.output.count("China, India trade blame for deadly border clash") == 1
    assert html.count('href="https://apnews.com/article/galwan"') == 1
    # three claims from three speakers cite it, with the same number
    assert done.output.count("\\[1\\]") == 4
    assert "\\[2\\]" not in done.output
    assert "claims/sources.yaml" in done.output  # "Built from" names it


def test_json_marks_shared_sources(dispute: Path) -> None:
    data = json.loads(invoke("diff", "--format", "json").output)
    sources = {
        f"{c['id']}@{side}": c["source"]
        for t in data["topics"]
        for side, claims in t["claims"].items()
        for c in claims
    }
    assert sources["un-calls-0616@china"]["shared"] is True
    assert sources["un-calls-0616@china"]["key"] == "ap-0616"


def test_a_key_in_both_files_is_an_error_naming_both_places(dispute: Path) -> None:
    edit(dispute / "china.yaml", "claims:\n", "sources:\n  ap-0616: {outlet: AP}\nclaims:\n")
    found = [f for f in findings(dispute) if f[2] == "shared-duplicate"]
    assert len(found) == 1
    name, line, _, message = found[0]
    assert (name, line) == ("china.yaml", 6)
    assert "claims/sources.yaml (line 4)" in message
    done = invoke("diff")
    assert done.exit_code == 2
    assert "china.yaml:6:3" in done.output
    assert "sources.yaml (line 4)" in done.output


def test_an_unknown_source_names_both_places_to_look(dispute: Path) -> None:
    edit(
        dispute / "china.yaml",
        "source: ap-0616\n    said: 2020-06-16\n    quote",
        "source: ap-616\n    said: 2020-06-16\n    quote",
    )
    (message,) = [f[3] for f in findings(dispute) if f[2] == "unknown-source"]
    assert "names nothing under `sources:` in this file or in " in message
    assert "claims/sources.yaml: did you mean" in message
    assert "did you mean `ap-0616`?" in message


def test_what_no_side_cites_is_a_warning_on_the_shared_file(dispute: Path) -> None:
    edit(dispute / "sources.yaml", "speakers:\n", "  tass: {outlet: TASS}\nspeakers:\n")
    edit(dispute / "china.yaml", "by: un\n", "by: zhao\n")
    found = {(f[0], f[2], f[1]) for f in findings(dispute)}
    assert ("sources.yaml", "unused-source", 9) in found
    assert ("sources.yaml", "unused-speaker", 11) in found


def test_a_shared_file_with_problems_is_reported_and_does_not_hide_the_sides(
    dispute: Path,
) -> None:
    edit(dispute / "sources.yaml", "    outlet: AP\n", "    outlet: AP\n    pubished: 2020-06-16\n")
    found = findings(dispute)
    assert [(f[0], f[2]) for f in found] == [("sources.yaml", "unknown-key")]
    assert "did you mean `published`" in found[0][3]
    done = invoke("diff")
    assert done.exit_code == 2
    assert "sources.yaml:6:5" in done.output


def test_an_edit_to_the_shared_file_reaches_a_warm_diff(dispute: Path) -> None:
    first = invoke("diff", "india", "china").output
    assert "via AP" in first
    edit(dispute / "sources.yaml", "outlet: AP", "outlet: Associated Press")
    second = invoke("diff", "india", "china").output
    assert "via Associated Press" in second
    assert "via AP " not in second


def test_changes_reads_the_shared_file_of_each_revision(dispute: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=dispute.parent, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    unchanged = json.loads(invoke("changes", "--format", "json").output)
    assert unchanged["claims"] == {"added": [], "removed": [], "changed": []}
    edit(dispute / "sources.yaml", "outlet: AP", "outlet: Associated Press")
    done = invoke("changes", "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    changed = {(c["id"], tuple(c["fields"])) for c in data["claims"]["changed"]}
    assert changed == {
        ("consensus-0616", ("source",)),
        ("casualties-0616", ("source",)),
        ("un-calls-0616", ("source",)),
    }


# --- one statement, several claims ------------------------------------------------


def test_claims_take_by_source_and_said_from_their_statement(dispute: Path) -> None:
    data = json.loads(invoke("diff", "--format", "json").output)
    claims = {c["id"]: c for t in data["topics"] for c in t["claims"].get("india", [])}
    for claim in claims.values():
        assert claim["statement"] == "mea-0616"
        assert claim["speaker"]["name"] == "Anurag Srivastava"
        assert claim["source"]["key"] == "ap-0616"
        assert claim["said"] == "2020-06-16"
        assert claim["said_at"].startswith("2020-06-16T21:30")
    assert claims["consensus-0616"]["quote"] == "The Chinese side departed from the consensus"


def test_a_claim_without_a_quote_takes_the_statements(dispute: Path) -> None:
    edit(dispute / "india.yaml", "    quote: There were casualties on both sides\n", "")
    data = json.loads(invoke("diff", "--format", "json", "--topic", "casualties").output)
    (claim,) = data["topics"][0]["claims"]["india"]
    assert claim["quote"].startswith("The Chinese side departed")


def test_a_claim_that_names_a_statement_and_repeats_its_speaker_is_refused(
    dispute: Path,
) -> None:
    edit(
        dispute / "india.yaml",
        "    statement: mea-0616\n    quote: There",
        "    statement: mea-0616\n    by: mea\n    quote: There",
    )
    found = [f for f in findings(dispute) if f[2] == "statement-conflict"]
    assert len(found) == 1
    assert found[0][1] == 22
    assert "takes `by` from statement `mea-0616` (line 6)" in found[0][3]


def test_an_unknown_statement_is_refused_with_a_did_you_mean(dispute: Path) -> None:
    edit(
        dispute / "india.yaml",
        "statement: mea-0616\n    quote: The",
        "statement: mea-016\n    quote: The",
    )
    (message,) = [f[3] for f in findings(dispute) if f[2] == "unknown-statement"]
    assert "did you mean `mea-0616`?" in message


def test_an_unused_statement_and_a_quote_not_in_it_are_warnings(dispute: Path) -> None:
    edit(dispute / "india.yaml", "claims:\n", "  spare: {by: mea}\nclaims:\n")
    edit(
        dispute / "india.yaml",
        "quote: There were casualties on both sides\n",
        "quote: Nobody was hurt\n",
    )
    found = {(f[2], f[1]) for f in findings(dispute)}
    assert ("unused-statement", 11) in found
    assert ("statement-quote", 23) in found
    assert invoke("check").exit_code == 0  # warnings


def test_a_statement_is_checked_as_a_claim_is(dispute: Path) -> None:
    edit(
        dispute / "india.yaml",
        "    by: mea\n    source: ap-0616\n    said: 2020-06-16T21:30+05:30",
        "    by: mae\n    source: ap-0616\n    said: 2020-06-17",
    )
    found = {(f[2], f[1]) for f in findings(dispute)}
    assert ("unknown-speaker", 7) in found
    assert ("said-after-published", 9) in found


# --- translated quotes ------------------------------------------------------------


def test_the_table_and_the_brief_say_a_quote_is_a_translation(dispute: Path) -> None:
    table = invoke("diff", "india", "china", "--topic", "consensus").output
    assert "“India seriously violated our consensus” (translated from" in table
    assert "Chinese)" in table
    brief = invoke("brief", "india", "china").output
    assert (
        "Quoted, translated from Chinese: “India seriously violated our consensus” "
        "(the original: “印方严重违背双方共识”)." in brief
    )
    html = cmarkgfm.github_flavored_markdown_to_html(brief)
    assert "印方严重违背双方共识" in html
    data = json.loads(invoke("diff", "--format", "json", "--topic", "consensus").output)
    (claim,) = data["topics"][0]["claims"]["china"]
    assert (claim["original"], claim["lang"]) == ("印方严重违背双方共识", "zh")


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("    lang: zh\n", "", 13, "needs `lang:`"),
        ("    original: 印方严重违背双方共识\n", "", 13, "`lang:` is the language of `original:`"),
        ("    lang: zh\n", "    lang: Chinese (Mandarin)\n", 14, "not a language tag"),
        ("    quote: India seriously violated our consensus\n", "", 12, "add `quote:`"),
    ],
)
def test_a_translation_needs_its_three_parts(
    dispute: Path, old: str, new: str, line: int, words: str
) -> None:
    edit(dispute / "china.yaml", old, new)
    found = [f for f in findings(dispute) if f[0] == "china.yaml"]
    assert any(f[1] == line and words in f[3] for f in found), found
    assert invoke("diff").exit_code == 2


@pytest.fixture
def server() -> Iterator[SourcesServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    with serve() as running:
        yield running


def test_sources_check_looks_for_the_original_words(
    server: SourcesServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is in Russian: the English quote is not on it, the original is."""
    factcmp = shutil.which("factcmp")
    assert factcmp
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "sources.yaml").write_text(
        f"factcmp: 1\nsources:\n  ria: {{outlet: RIA, url: '{server.base}/cp1251/t'}}\n",
        encoding="utf-8",
    )
    body = (
        "factcmp: 1\nside: {{name: {name}}}\nclaims:\n"
        "  - id: lost-50\n    topic: losses\n    text: Azerbaijan lost 50 servicemen\n"
        "    source: ria\n    quote: Azerbaijan lost 50 servicemen\n{extra}"
    )
    (claims / "north.yaml").write_text(
        body.format(name="North", extra=f"    original: {RU_QUOTE}\n    lang: ru\n"), "utf-8"
    )
    (claims / "south.yaml").write_text(body.format(name="South", extra=""), "utf-8")
    env = {**os.environ, "FACTCMP_CACHE_DIR": str(tmp_path / "cache"), "NO_PROXY": "*"}
    env.pop("FACTCMP_CLAIMS", None)
    done = subprocess.run(
        [factcmp, "sources", "check", "--format", "json", "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(done.stdout)
    quotes = {q["side"]: q["status"] for q in data["quotes"]}
    assert quotes == {"north": "found", "south": "not-found"}
    (link,) = data["links"]
    assert link["url"].endswith("/cp1251/t")
    assert link["outcome"] == "ok"
    assert {c["file"] for c in link["cited_by"]} == {"claims/sources.yaml"}
    assert {c["claim_file"] for c in link["cited_by"]} == {"claims/north.yaml", "claims/south.yaml"}
    assert {c["line"] for c in link["cited_by"]} == {3}


def test_sources_yml_beside_sources_yaml_is_an_error_and_checked(dispute: Path) -> None:
    (dispute / "sources.yml").write_text("factcmp: 7\nsources: {x: {outlet: 1}}\n", "utf-8")
    found = {(f[0], f[2]) for f in findings(dispute)}
    assert ("sources.yml", "two-shared-files") in found
    assert ("sources.yml", "version") in found  # its own problems are reported too
    assert invoke("check").exit_code == 1


def test_changes_reads_sources_yaml_at_each_revision_even_when_it_is_gone(
    dispute: Path,
) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=dispute.parent,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "with sources.yaml")
    # the shared entries move into each side's own file, and sources.yaml goes
    shared = (dispute / "sources.yaml").read_text(encoding="utf-8")
    entries = shared.split("sources:\n", 1)[1].split("speakers:\n")
    for side in ("india", "china"):
        edit(dispute / f"{side}.yaml", "claims:\n", f"sources:\n{entries[0]}claims:\n")
    edit(dispute / "china.yaml", "speakers:\n", "speakers:\n" + entries[1])
    (dispute / "sources.yaml").unlink()
    assert invoke("check").exit_code == 0
    done = invoke("changes", "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["claims"]["changed"] == []  # the same words, moved


def test_a_claim_quoting_part_of_a_translated_statement_is_a_translation(
    dispute: Path,
) -> None:
    edit(
        dispute / "india.yaml",
        "    quote: The Chinese side departed from the consensus. There were",
        "    original: Чужая сторона отошла от консенсуса.\n    lang: ru\n"
        "    quote: The Chinese side departed from the consensus. There were",
    )
    data = json.loads(invoke("diff", "--format", "json", "--topic", "consensus").output)
    (claim,) = data["topics"][0]["claims"]["india"]
    assert claim["quote"] == "The Chinese side departed from the consensus"
    assert (claim["original"], claim["lang"]) == ("Чужая сторона отошла от консенсуса.", "ru")
    brief = invoke("brief", "india", "china").output
    assert "Quoted, translated from Russian: “The Chinese side departed from the consensus”" in (
        brief
    )


def test_a_statements_inline_source_takes_each_claims_id_as_its_key(dispute: Path) -> None:
    edit(
        dispute / "india.yaml",
        "    source: ap-0616\n    said: 2020-06-16T21:30+05:30",
        "    source: {outlet: PIB, title: Official spokesperson's response}\n"
        "    said: 2020-06-16T21:30+05:30",
    )
    data = json.loads(invoke("diff", "--format", "json").output)
    keys = {
        c["id"]: c["source"]["key"] for t in data["topics"] for c in t["claims"].get("india", [])
    }
    assert keys == {"consensus-0616": "consensus-0616", "casualties-0616": "casualties-0616"}
