"""Messages a newcomer tripped on (issue 20): one error for one mistake, with the hint
that fixes it, and no warning that only follows from another error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from factcmp.cli import main

FACTCMP = shutil.which("factcmp") or "factcmp"

SIDE = """\
factcmp: 1
side: {{name: Red}}
speakers: {{mod: {{name: Ministry of Defence}}}}
sources: {{s: {{outlet: AP, title: T, url: "https://example.org/x", published: 2022-09-20}}}}
statements:
  st: {{by: mod, source: s, said: {statement_said}}}
claims:
{claims}"""

COUNT = """\
  - id: {id}
    topic: deaths
    text: Troops were killed.
    {said}
    count: {count}
"""


def findings(folder: Path) -> list[dict[str, object]]:
    """check's findings, from the installed command and from CliRunner: the same."""
    done = subprocess.run(
        [FACTCMP, "check", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    invoked = CliRunner().invoke(
        main, ["check", "--format", "json", str(folder)], env={"GITHUB_ACTIONS": ""}
    )
    assert done.stdout == invoked.output
    found: list[dict[str, object]] = json.loads(done.stdout)["findings"]
    return found


def test_a_said_that_is_not_a_real_time_is_one_error_not_two(tmp_path: Path) -> None:
    """`said: 2022-09-14T25:00` was its own error and also "has no `said:` date" on
    the claim, as if it were not written; the same with `2022-02-30` and with a
    statement's date. A claim with no `said:` at all is still undated."""
    said = "by: mod\n    source: s\n    said: {}"
    claims = "".join(
        COUNT.format(id=i, said=s, count=n)
        for i, s, n in (
            ("hour", said.format("2022-09-14T25:00"), 5),
            ("day", said.format("2022-02-30"), 6),
            ("from-statement", "statement: st", 7),
            ("dated", said.format("2022-09-15"), 8),
        )
    )
    (tmp_path / "red.yaml").write_text(SIDE.format(statement_said="2022-09-13T24:30",
                                                   claims=claims))  # fmt: skip
    found = [(f["line"], f["rule"]) for f in findings(tmp_path) if f["severity"] == "error"]
    assert found == [(6, "date"), (13, "date"), (20, "yaml-bad-date")]
    undated = claims + COUNT.format(id="undated", said="by: mod", count=9)
    (tmp_path / "red.yaml").write_text(SIDE.format(statement_said="2022-09-13",
                                                   claims=undated))  # fmt: skip
    found = [(f["line"], f["rule"]) for f in findings(tmp_path) if f["severity"] == "error"]
    assert (34, "undated-count") in found
    assert [rule for _, rule in found].count("undated-count") == 1


def test_a_missing_comma_inside_braces_gets_the_comma_hint(tmp_path: Path) -> None:
    """`count: {min: 100 max: 300}` was "did not find expected ',' or '}'" alone."""
    (tmp_path / "red.yaml").write_text(
        "factcmp: 1\nside: {name: Red}\nclaims:\n  - id: a\n    topic: t\n    text: x\n"
        "    count: {min: 100 max: 300}\n"
    )
    [finding] = findings(tmp_path)
    assert (finding["rule"], finding["line"]) == ("yaml-syntax", 7)
    assert "did not find expected ',' or '}'" in str(finding["message"])
    assert "separated by commas, `{min: 100, max: 300}`" in str(finding["message"])
    (tmp_path / "red.yaml").write_text(
        "factcmp: 1\nside: {name: Red}\nclaims:\n  - id: a\n    topic: t\n    text: x\n"
        "    places: [Jermuk: x Lachin: y]\n"
    )
    [finding] = findings(tmp_path)
    assert "separated by commas, `[Jermuk, Verin Shorzha]`" in str(finding["message"])


def test_a_language_written_by_its_name_gets_its_tag(tmp_path: Path) -> None:
    claim = (
        "  - id: {id}\n    topic: t\n    text: x\n    quote: Something\n"
        "    original: Quelque chose\n    lang: {lang}\n"
    )
    (tmp_path / "red.yaml").write_text(
        "factcmp: 1\nside: {name: Red}\nclaims:\n"
        + claim.format(id="a", lang="French")
        + claim.format(id="b", lang="Klingon")
    )
    messages = [str(f["message"]) for f in findings(tmp_path) if f["rule"] == "value"]
    assert messages == [
        "`lang: French` is not a language tag: write `lang: fr` for French",
        "`lang: Klingon` is not a language tag: write a BCP 47 tag such as ru, zh, zh-Hans, hy, az",
    ]


def test_a_side_file_that_cannot_be_read_makes_no_unused_warning_in_sources_yaml(
    tmp_path: Path,
) -> None:
    """One YAML error in a side file made every source and speaker of sources.yaml
    that it cites "declared but no claim cites it"."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "sources.yaml").write_text(
        "factcmp: 1\nsources:\n  ap: {outlet: AP, title: T, url: 'https://example.org/a', "
        "published: 2022-09-14}\nspeakers:\n  un: {name: UN}\n"
    )
    red = (
        "factcmp: 1\nside: {name: Red}\nclaims:\n  - id: a\n    topic: t\n    text: x\n"
        "    by: un\n    source: ap\n    said: 2022-09-14\n"
    )
    (claims / "red.yaml").write_text(red)
    (claims / "blue.yaml").write_text(red.replace("Red", "Blue"))
    assert [f["rule"] for f in findings(claims) if str(f["rule"]).startswith("unused")] == []
    (claims / "red.yaml").write_text(red + "    count: {min: 1 max: 2}\n")
    (claims / "blue.yaml").write_text("factcmp: 1\nside: {name: Blue}\nclaims: []\n")
    assert [(Path(str(f["file"])).name, f["rule"]) for f in findings(claims)] == [
        ("red.yaml", "yaml-syntax")
    ]
    (claims / "red.yaml").write_text("factcmp: 1\nside: {name: Red}\nclaims: []\n")
    rules = sorted(str(f["rule"]) for f in findings(claims))
    assert rules == ["unused-source", "unused-speaker"]  # once no file can cite them


def test_source_offline_says_no_network_as_sources_check_does(tmp_path: Path) -> None:
    """`source URL` with no host name resolving said "broken: DNS failure", where
    `sources check` says "no network"; with --write it now says what to write by
    hand, and writes nothing. (A name under .invalid never resolves: no network as
    far as the page is concerned.)"""
    claims = tmp_path / "claims"
    claims.mkdir()
    shared = "factcmp: 1\nsources: {}\n"
    (claims / "sources.yaml").write_text(shared)
    url = "https://apnews.invalid/article/armenia-azerbaijan"
    args = ["source", url, "--write", "--id", "ap-0914"]
    done = subprocess.run(
        [FACTCMP, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    invoked = CliRunner().invoke(main, [*args, "--claims-dir", str(claims)])
    for stderr, code in ((done.stderr, done.returncode), (invoked.stderr, invoked.exit_code)):
        assert code == 2
        assert f"cannot read {url}: no network (no host name resolved)" in stderr
        assert "DNS failure" not in stderr
        assert "fill in the entry above by hand and add it under `sources:` there" in stderr
    assert "  ap-0914:\n" in done.stdout
    assert "title:  # not found: fill in" in done.stdout
    assert (claims / "sources.yaml").read_text() == shared
