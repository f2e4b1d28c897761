"""`factcmp brief`: the markdown brief, checked through GitHub's own renderer."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from factcmp.render.markdown import link, text
from tests.conftest import CLAIMS, REPO
from tests.helpers import ALLOWED_TAGS, big_claims, brief, parse, render

GOLDEN = REPO / "tests" / "golden" / "sample-brief.md"
FACTCMP = shutil.which("factcmp")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample claims outside any git repository (no commit line)."""
    shutil.copytree(CLAIMS, tmp_path / "claims")
    return tmp_path


# The sample brief ----------------------------------------------------------------


def test_sample_brief_matches_the_golden_file(sample: Path) -> None:
    out = brief("armenia", "azerbaijan", "--date", "2022-09-15", cwd=sample)
    if os.environ.get("FACTCMP_UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_sample_brief_has_what_an_editor_needs(sample: Path) -> None:
    out = brief("armenia", "azerbaijan", "--date", "2022-09-15", cwd=sample)
    assert out.startswith("# Armenia vs Azerbaijan: what each side claims\n")
    assert "on 15 September 2022 by factcmp" in out
    assert "**3 contradictions · 1 discrepancy · 8 one-sided**" in out
    order = [
        out.index(h)
        for h in (
            "## Contradictions (3)",
            "## Discrepancies (1)",
            "## One-sided claims (8)",
            "## Sources",
        )
    ]
    assert order == sorted(order)
    assert (
        "The Ministry of Defence of Azerbaijan said on 14 September 2022 that Azerbaijani troops "
        "did not fire on a Russian military outpost in Armenia" in out
    )
    assert "Quoted: “absolute lie”." in out
    assert "Prime Minister Nikol Pashinyan said on 14 September 2022 that 105 Armenian" in out
    assert (
        "*Why a discrepancy:* count 105 (Nikol Pashinyan, 14 Sep 2022) vs 50 (Government of "
        "Azerbaijan, 14 Sep 2022), subjects differ: Armenia vs Azerbaijan." in out
    )
    assert (
        "1. AP, “Armenia and Azerbaijan trade blame for clashes that killed 155”, "
        "by Avet Demourian, 14 September 2022." in out
    )
    assert out.rstrip().endswith("does not verify whether any claim is true.*")


def test_sample_brief_renders_clean(sample: Path) -> None:
    out = brief("armenia", "azerbaijan", "russia", "--date", "2022-09-15", cwd=sample)
    page = parse(out)
    assert set(page.tags) <= ALLOWED_TAGS
    assert not page.comments
    assert page.tables == [[5] * 16]  # header + 15 topics, Topic + 3 sides + Verdict
    assert all(href.startswith(("http://", "https://")) for href in page.links)


def test_brief_and_json_agree_on_every_verdict(sample: Path) -> None:
    out = brief("armenia", "azerbaijan", "russia", "--date", "2022-09-15", cwd=sample)
    from_brief: dict[str, str] = {}
    heading = ""
    words = {
        "Contradictions": "contradiction",
        "Discrepancies": "discrepancy",
        "Agreements": "agreement",
        "Unjudged": "unjudged",
        "One-sided claims": "one-sided",
    }
    for line in out.splitlines():
        if m := re.match(r"## (.+) \(\d+\)$", line):
            heading = words[m.group(1)]
        elif line.startswith("### "):
            from_brief[line[4:].replace("\\", "")] = heading
    old = Path.cwd()
    os.chdir(sample)
    try:
        result = CliRunner().invoke(
            main, ["diff", "armenia", "azerbaijan", "russia", "--format", "json"]
        )
    finally:
        os.chdir(old)
    data = json.loads(result.output)
    from_json = {t["label"]: t["verdict"] for t in data["topics"]}
    assert from_brief == from_json


def test_title_caveat_and_selection(sample: Path) -> None:
    out = brief(
        "armenia", "azerbaijan", "--date", "2022-09-15", "--title", "Where they clash",
        "--only", "contradiction", "--caveat", "Read with care.", cwd=sample,
    )  # fmt: skip
    assert out.startswith("# Where they clash\n")
    assert "**3 contradictions**" in out
    assert "## One-sided" not in out
    assert out.rstrip().endswith("*Read with care\\.*") or out.rstrip().endswith(
        "*Read with care.*"
    )
    bare = brief("armenia", "azerbaijan", "--date", "2022-09-15", "--no-caveat", cwd=sample)
    assert "does not verify" not in bare
    assert "\n---\n" not in bare


def test_provenance_names_the_commit_and_uncommitted_changes(sample: Path) -> None:
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=sample, check=True)
    subprocess.run([*git, "add", "claims"], cwd=sample, check=True)
    subprocess.run([*git, "commit", "-qm", "claims"], cwd=sample, check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=sample, capture_output=True, text=True, check=True
    ).stdout.strip()
    out = brief("armenia", "azerbaijan", "--date", "2022-09-15", cwd=sample)
    assert f"at commit `{head[:12]}` on 15 September 2022" in out
    with (sample / "claims" / "armenia.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an edit\n")
    out = brief("armenia", "azerbaijan", "--date", "2022-09-15", cwd=sample)
    assert f"at commit `{head[:12]}` (with uncommitted changes to these files)" in out


# Hostile claim text ------------------------------------------------------------------

HOSTILE = [
    "pipe | in a cell and `code | pipe` and back\\slash",
    "line one\nline two\n\n# not a heading\n- not a list",
    "*star* _under_ **bold** __bold__ ~~strike~~ ~sub~",
    "[x](javascript:alert(1)) ![img](https://evil.example/i.png) [ref][1]",
    "<script>alert(1)</script> <b>bold</b> <!-- hidden rest",
    "@someone and #123 and GH-1 and a@b.example and http://evil.example and www.evil.example",
    "&copy; &amp; &#64; entities",
    "[link=https://evil.example]rich[/link] and ANSI \x1b[31mred\x1b[0m and bidi \u202eevil",
    "1. not a list\n> not a quote\n    not code\n| a | b |\n|---|---|",
    "trailing backslash \\",
]


def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    for side_id in ("red", "blue"):
        lines = [
            "factcmp: 1",
            f"side: {{name: {json.dumps(side_id.capitalize() + ' | <i>side</i>')}}}",
            "speakers:",
            f"  s: {{name: {json.dumps('Spokes*person* <b>' + side_id + '</b>')},"
            f" role: {json.dumps('Role | `x`')}}}",
            "sources:",
            "  bad:",
            f"    outlet: {json.dumps('Out|let <script>')}",
            f"    title: {json.dumps(HOSTILE[3])}",
            "    url: 'javascript:alert(1)'",
            "    archived: 'https://archive.example/a b(c)<d>'",
            "claims:",
        ]
        for i, value in enumerate(HOSTILE):
            lines += [
                f"  - id: c{i}",
                f"    topic: {json.dumps('topic-' + str(i))}",
                f"    text: {json.dumps(value)}",
                f"    quote: {json.dumps(value)}",
                "    by: s",
                "    source: bad",
                f"    places: [{json.dumps(value)}]",
            ]
        (folder / f"{side_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "topics.yaml").write_text(
        "factcmp: 1\ntopics:\n"
        + "".join(f"  topic-{i}: {{label: {json.dumps(v)}}}\n" for i, v in enumerate(HOSTILE)),
        encoding="utf-8",
    )
    return tmp_path


def visible(value: str) -> str:
    from factcmp.render.safe import one_line

    return one_line(value)


def test_hostile_text_renders_as_exactly_its_visible_text(tmp_path: Path) -> None:
    out = brief("red", "blue", "--date", "2022-09-15", cwd=hostile_folder(tmp_path))
    page = parse(out)
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    assert not page.comments
    assert all(href.startswith(("http://", "https://")) for href in page.links)
    assert page.links == ["https://archive.example/a%20b%28c%29%3Cd%3E"]
    assert page.tables == [[4] * (len(HOSTILE) + 1)]
    shown = "".join(page.text)
    for value in HOSTILE:
        assert visible(value) in shown, value
    assert "\x1b" not in out
    assert "\u202e" not in out


@pytest.mark.parametrize("value", HOSTILE)
def test_text_renders_to_itself(value: str) -> None:
    page = parse(f"x {text(value)} y")
    assert page.tags[0] == "p"
    assert set(page.tags[1:]) <= {"code"}  # mentions, references, addresses
    assert "".join(page.text).strip() == f"x {visible(value)} y"


def test_mentions_and_autolinks_are_broken_visibly_the_same() -> None:
    value = "@someone #123 a@b.example http://x.example www.x.example (@DrSJaishankar)"
    html_out = render(text(value))
    assert "<a" not in html_out
    # GitHub links neither a mention nor a reference inside code; GFM no address
    for token in ("@someone", "#123", "a@b.example", "@DrSJaishankar"):
        assert f"<code>{token}</code>" in html_out
    page = parse(text(value))
    assert "".join(page.text).strip() == value
    assert all(unicodedata.category(ch) != "Cf" for ch in text(value))


def test_hashtags_and_words_with_at_signs_stay_plain_text() -> None:
    assert text("#Galwan") == "\\#Galwan"
    assert "`" not in text("a price @ 5 each")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a b", "[link](<https://example.org/a%20b>)"),
        ("http://example.org/x(1)", "[link](<http://example.org/x%281%29>)"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("file:///etc/passwd", None),
        ("example.org/no-scheme", None),
    ],
)
def test_only_web_links_are_emitted(url: str, expected: str | None) -> None:
    assert link("link", url) == expected


# Writing the file ---------------------------------------------------------------------


def test_output_file_is_written_and_dash_is_stdout(sample: Path) -> None:
    target = sample / "brief.md"
    assert (
        brief("armenia", "azerbaijan", "--date", "2022-09-15", "-o", str(target), cwd=sample) == ""
    )
    assert target.read_text(encoding="utf-8") == brief(
        "armenia", "azerbaijan", "--date", "2022-09-15", "-o", "-", cwd=sample
    )
    assert [p.name for p in sample.iterdir() if p.name.startswith(".brief")] == []


def test_unwritable_output_is_a_clear_error(sample: Path) -> None:
    os.chdir(sample)
    try:
        result = CliRunner().invoke(
            main, ["brief", "armenia", "azerbaijan", "-o", "no/such/dir/b.md"]
        )
    finally:
        os.chdir(REPO)
    assert result.exit_code == 2
    assert "cannot write no/such/dir/b.md" in result.output


@pytest.mark.slow
def test_output_killed_mid_write_leaves_the_old_file_or_the_new(tmp_path: Path) -> None:
    assert FACTCMP
    big_claims(tmp_path / "claims", 3000)
    target = tmp_path / "brief.md"
    target.write_text("OLD BRIEF\n", encoding="utf-8")
    argv = [FACTCMP, "brief", "--date", "2022-09-15", "-o", str(target)]
    started = time.perf_counter()
    subprocess.run(argv, cwd=tmp_path, check=True)
    full_run = time.perf_counter() - started
    new = target.read_text(encoding="utf-8")
    assert new.startswith("# A vs B")
    target.write_text("OLD BRIEF\n", encoding="utf-8")
    # Kill the moment writing starts (a temporary file appears, or the target
    # changes): a non-atomic writer is caught with half a brief on disk.
    for _ in range(5):
        proc = subprocess.Popen(argv, cwd=tmp_path)
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and proc.poll() is None:
            started_writing = any(p.name.startswith(".brief.md") for p in tmp_path.iterdir())
            if started_writing or target.stat().st_size != len("OLD BRIEF\n"):
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_text(encoding="utf-8")
        assert content in ("OLD BRIEF\n", new), "partial brief after a kill during the write"
        target.write_text("OLD BRIEF\n", encoding="utf-8")
    outcomes: set[bool] = set()
    kills = 0
    # Kill at moments spread over a whole run (and past it, as a loaded machine runs
    # slower), until both outcomes were seen: killed before and after the rename.
    while kills < 12 or (outcomes != {False, True} and kills < 60):
        proc = subprocess.Popen(argv, cwd=tmp_path)
        time.sleep(full_run * (kills % 16) / 10)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        content = target.read_text(encoding="utf-8")
        assert content in ("OLD BRIEF\n", new), f"partial brief after kill {kills}"
        outcomes.add(content == new)
        target.write_text("OLD BRIEF\n", encoding="utf-8")
    assert outcomes == {False, True}


@pytest.mark.parametrize("value", ["- x", "+ x", "1. x", "2) Reuters", "= x", "10. Downing"])
def test_text_at_the_start_of_a_line_opens_no_block(value: str) -> None:
    page = parse(f"1. {text(value)}, a source")
    assert page.tags == ["ol", "li"]
    assert "".join(page.text).strip() == f"{value}, a source"


@pytest.mark.parametrize("value", ["a@-b.co", "xmpp:a@-b.c", "mailto:a@-b.c", "www.-@.www"])
def test_no_address_gfm_would_link_is_a_link(value: str) -> None:
    """GFM's e-mail autolinks are lax: every word holding `@` goes in a code span."""
    html = render(text(f"Ask {value} now."))
    assert "<a " not in html
    assert f"<code>{value}</code>" in html
