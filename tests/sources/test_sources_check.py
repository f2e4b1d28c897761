"""`factcmp sources check` as users run it: the installed command end to end against
the test server, CliRunner for the options, the results cache, the output formats,
and httpx kept out of the other commands."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from factcmp.cli import main
from factcmp.load.files import load_side
from factcmp.render.sources import render_github, render_text
from factcmp.render.table import make_console
from factcmp.sources.check import check_sources
from factcmp.sources.limits import Limits, parse_duration, parse_size
from tests.conftest import REPO
from tests.helpers import run_in_terminal
from tests.sources_server import SourcesServer, closed_port, serve

FIXTURES = REPO / "tests" / "fixtures" / "sources" / "claims"
FACTCMP = shutil.which("factcmp")
DEADLINE = 3.0
# every URL of the fixture to the one test server at once: the run takes one deadline
E2E_OPTIONS = ["--deadline", str(DEADLINE), "--timeout", "2", "--per-host", "32",
               "--workers", "32", "--max-size", "1MB"]  # fmt: skip
# the same, quicker, for the tests of the output formats
QUICK_OPTIONS = ["--deadline", "1.5", *E2E_OPTIONS[2:]]


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def server() -> Iterator[SourcesServer]:
    with serve() as running:
        yield running


def claims_for(server: SourcesServer, folder: Path, *names: str) -> Path:
    """The fixture claim files, pointing at `server`, in `folder`/claims."""
    claims = folder / "claims"
    claims.mkdir(exist_ok=True)
    closed = f"127.0.0.1:{closed_port()}"
    for name in names or ("northland", "southland"):
        text = (FIXTURES / f"{name}.yaml").read_text(encoding="utf-8")
        text = text.replace("127.0.0.1:PORT", server.base.removeprefix("http://"))
        (claims / f"{name}.yaml").write_text(text.replace("127.0.0.1:CLOSED", closed), "utf-8")
    return claims


def write_side(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    side = json.dumps(name.title())
    path.write_text(f"factcmp: 1\nside: {{name: {side}}}\n{body}", encoding="utf-8")
    return path


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["sources", "check", *args], env=env, catch_exceptions=False)


def by_path(data: dict[str, Any], base: str) -> dict[str, dict[str, Any]]:
    return {link["url"].removeprefix(base): link for link in data["links"]}


# --- end to end: every case of issue 5 ---------------------------------------------

EXPECTED_LINKS = {
    "/quote/e2e": ("ok", 200),
    "/changed/e2e": ("ok", 200),
    "/archive/changed-e2e": ("ok", 200),
    "/changed/e2e-2": ("ok", 200),
    "/script-only/e2e": ("ok", 200),
    "/status/404": ("broken", 404),
    "/status/410": ("broken", 410),
    "/flaky/e2e": ("ok", 200),
    "/down/e2e": ("broken", 503),
    "/rate/e2e": ("ok", 200),
    "/rate-long/e2e": ("unverifiable", 429),
    "/chain/4": ("ok", 200),
    "/loop/a": ("broken", 302),
    "/nohead/e2e": ("ok", 200),
    "/drip/e2e": ("unverifiable", 200),
    "/big/e2e": ("ok", 200),
    "/cp1251/e2e": ("ok", 200),
    "/cp1251-meta/e2e": ("ok", 200),
    "/doc/report.pdf": ("ok", 200),
    "/bot/e2e": ("unverifiable", 403),
}
EXPECTED_QUOTES = {
    "holds": ("found", "page"),
    "drifted": ("drift", None),
    "changed": ("not-found", None),
    "script-only": ("not-found", None),
    "chain": ("found", "page"),
    "drip": ("unchecked", None),
    "big": ("unchecked", None),
    "cp1251": ("found", "page"),
    "cp1251-meta": ("found", "page"),
    "pdf": ("unchecked", None),
    "same-page": ("found", "page"),
    "archive-only": ("found", "archive"),
}


@pytest.mark.slow
def test_every_case_end_to_end_with_the_installed_command(
    server: SourcesServer, tmp_path: Path
) -> None:
    assert FACTCMP, "the factcmp command is not installed (pip install -e '.[test]')"
    claims_for(server, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "FACTCMP_CLAIMS"}
    done = subprocess.run(
        [FACTCMP, "sources", "check", "--format", "json", "--no-cache", *E2E_OPTIONS],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    # all at once, seen at the server: every link was asked for while the drip, which
    # takes the whole deadline, was still being read (one at a time, those after it
    # would have come a deadline later)
    first: dict[str, float] = {}
    for hit in server.log.hits:
        first.setdefault(hit.path, hit.at)
    drip = first["/drip/e2e"]
    assert [p for p, at in first.items() if at >= drip + DEADLINE] == []
    assert [p for p, at in first.items() if at > drip]  # the drip was not the last
    data = json.loads(done.stdout)
    assert data["files"] == ["claims/northland.yaml", "claims/southland.yaml"]

    links = by_path(data, server.base)
    other = {u: link for u, link in links.items() if not u.startswith("/")}
    links = {u: link for u, link in links.items() if u.startswith("/")}
    assert {u: (link["outcome"], link["status"]) for u, link in links.items()} == EXPECTED_LINKS
    assert links["/chain/4"]["final_url"] == f"{server.base}/chain/0"
    assert links["/chain/4"]["redirects"] == 4
    assert links["/loop/a"]["reason"].startswith("redirect loop")
    assert links["/drip/e2e"]["reason"].startswith(f"no answer within the {DEADLINE:g} s deadline")
    assert links["/big/e2e"]["truncated"]
    assert links["/big/e2e"]["bytes_read"] == 1_000_000
    assert links["/doc/report.pdf"]["text_note"] == "not HTML or text (application/pdf)"
    assert links["/nohead/e2e"]["method"] == "GET"
    # refused and TLS are the two links not on the server's http:// address
    assert sorted((link["outcome"], link["reason"]) for link in other.values()) == [
        ("broken", "TLS failure: wrong version number"),
        ("broken", "connection refused"),
    ]

    quotes = {q["claim"]: (q["status"], q["where"]) for q in data["quotes"]}
    assert quotes == EXPECTED_QUOTES
    drift = next(q for q in data["quotes"] if q["claim"] == "drifted")
    assert drift["reason"] == "not on the page any more, but on its archive copy"

    bad = [(b["line"], b["col"], b["claims"], b["message"]) for b in data["bad_links"]]
    assert [(line, col, claims) for line, col, claims, _ in bad] == [
        (80, 10, ["passwd"]),
        (83, 10, ["script"]),
        (154, 12, ["no-scheme"]),
    ]
    assert "file:///etc/passwd" in bad[0][3]
    assert "javascript:" in bad[1][3]
    assert "has no scheme" in bad[2][3]
    assert "root:" not in done.stdout  # never read, never fetched

    # each page once, however many claims cite it (northland's has a #fragment)
    cited = links["/quote/e2e"]["cited_by"]
    assert [(c["side"], c["claim"]) for c in cited] == [
        ("northland", "holds"),
        ("southland", "same-page"),
    ]
    assert [h.method for h in server.log.of("/quote/e2e")] == ["GET"]
    assert_keys_documented(data)
    assert data["summary"] == {
        "links": 22,
        "broken": 6,
        "unverifiable": 3,
        "ok": 13,
        "cached": 0,
        "quotes": {"not-found": 2, "drift": 1, "unchecked": 3, "found": 6},
        "bad_links": 3,
        "seconds": data["summary"]["seconds"],
    }


def documented_keys() -> dict[str, set[str]]:
    """The keys docs/sources.md lists, by level (`<!-- sources-keys: LEVEL -->`)."""
    lines = (REPO / "docs" / "sources.md").read_text(encoding="utf-8").splitlines()
    levels: dict[str, set[str]] = {}
    for i, line in enumerate(lines):
        if line.startswith("<!-- sources-keys: "):
            level = line.removeprefix("<!-- sources-keys: ").removesuffix(" -->")
            keys = levels.setdefault(level, set())
            for row in lines[i + 3 :]:  # after the header and the separator
                if not row.startswith("|"):
                    break
                keys.update(re.findall(r"`([^`]+)`", row.split("|")[1]))
    return levels


def assert_keys_documented(data: dict[str, Any]) -> None:
    real = {
        "top": set(data),
        "summary": set(data["summary"]),
        "link": {key for link in data["links"] for key in link},
        "cited_by": {key for link in data["links"] for c in link["cited_by"] for key in c},
        "quote": {key for quote in data["quotes"] for key in quote},
        "bad_link": {key for bad in data["bad_links"] for key in bad},
    }
    assert documented_keys() == real


@pytest.mark.slow
def test_text_output_has_a_table_per_outcome(server: SourcesServer, tmp_path: Path) -> None:
    claims = claims_for(server, tmp_path)
    result = invoke("--claims-dir", str(claims), "--no-cache", *QUICK_OPTIONS,
                    env={"COLUMNS": "200", "NO_COLOR": ""})  # fmt: skip
    assert result.exit_code == 1
    out = result.output
    positions = [out.index(title) for title in ("✗ Broken (6)", "? Unverifiable (3)", "✓ OK (13)",
                                                "Quotes (12)", "Bad links (3)")]  # fmt: skip
    assert positions == sorted(positions)
    assert f"{server.base}/status/404" in out
    assert "\x1b" not in out  # not a terminal: no escape codes, no progress bar
    assert re.search(r"northland\.yaml:80:10: error: `url: file:///etc/passwd` is not a web", out)
    last = out.strip().splitlines()[-1]
    assert last.startswith(
        "22 links: ✗ 6 broken · ? 3 unverifiable · ✓ 13 ok; 12 quotes: ✗ 2 not found · "
        "≠ 1 drift · ? 3 unchecked · ✓ 6 found; 3 bad links"
    )


@pytest.mark.slow
def test_github_annotations(server: SourcesServer, tmp_path: Path) -> None:
    claims = claims_for(server, tmp_path)
    result = invoke("--claims-dir", str(claims), "--no-cache", *QUICK_OPTIONS,
                    env={"GITHUB_ACTIONS": "true"})  # fmt: skip
    assert result.exit_code == 1
    lines = result.output.splitlines()
    north = f"{claims}/northland.yaml".replace(":", "%3A").replace(",", "%2C")
    assert (
        f"::error file={north},line=28,col=10,title=factcmp broken-link::"
        f"{server.base}/status/404 is broken: 404 Not Found (cited by gone)"
    ) in lines
    assert any(
        line.startswith(f"::warning file={north},") and "title=factcmp unverifiable-link::" in line
        for line in lines
    )
    assert any(
        line.startswith(f"::error file={north},line=91,title=factcmp quote-drift::quote of drifted")
        for line in lines
    )
    assert any("title=factcmp quote-unchecked" in line for line in lines if "::notice" in line)
    assert f"::error file={north},line=80,col=10,title=factcmp bad-link::" in result.output


def test_github_annotations_with_fail_on_unverifiable(
    server: SourcesServer, tmp_path: Path
) -> None:
    path = good_side(server, tmp_path)
    lenient = invoke(str(path), "--no-cache", "--format", "github")
    strict = invoke(str(path), "--no-cache", "--format", "github", "--fail-on", "unverifiable")
    assert (lenient.exit_code, strict.exit_code) == (0, 1)
    assert "::warning " in lenient.output
    assert "::error " not in lenient.output
    assert "::error " in strict.output
    assert "::warning " not in strict.output
    assert "title=factcmp unverifiable-link::" in strict.output


def test_github_escapes_what_it_quotes(tmp_path: Path, server: SourcesServer) -> None:
    path = write_side(tmp_path / "claims", "odd%,:\nname", (
        "sources:\n  s: {url: '" + server.base + "/status/404'}\n"
        "claims:\n  - {id: a, topic: t, text: x, source: s, quote: \"50% of\\ntroops\"}\n"
    ))  # fmt: skip
    report = check_sources([load_side(path)], Limits(deadline=3, timeout=2))
    out = render_github(report)
    escaped = str(path).replace("%", "%25").replace("\n", "%0A").replace(":", "%3A")
    assert "file=" + escaped.replace(",", "%2C") + ",line=4," in out
    assert "\n".join(line for line in out.splitlines() if line.startswith("::")).count("\n") == 1
    assert "50%25 of%0Atroops" in out


# --- exit codes and options --------------------------------------------------------

GOOD = """sources:
  wire: {outlet: Wire, url: "BASE/quote/good", archived: "BASE/archive/good"}
  walled: {outlet: Walled, url: "BASE/status/403"}
claims:
  - {id: a, topic: t, text: x, source: wire, quote: "105 of his country's troops"}
  - {id: b, topic: t, text: y, source: walled}
"""


def good_side(server: SourcesServer, tmp_path: Path) -> Path:
    return write_side(tmp_path / "claims", "northland", GOOD.replace("BASE", server.base))


def test_exit_0_when_nothing_is_broken_and_no_quote_missing(
    server: SourcesServer, tmp_path: Path
) -> None:
    path = good_side(server, tmp_path)
    result = invoke(str(path), "--no-cache", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["unverifiable"] == 1
    assert data["quotes"][0]["status"] == "found"


def test_fail_on_unverifiable_makes_it_stricter(server: SourcesServer, tmp_path: Path) -> None:
    path = good_side(server, tmp_path)
    assert invoke(str(path), "--no-cache", "--fail-on", "unverifiable").exit_code == 1


def test_one_side_by_name_and_every_side_by_default(server: SourcesServer, tmp_path: Path) -> None:
    claims = claims_for(server, tmp_path, "southland")
    one = invoke("southland", "--claims-dir", str(claims), "--no-cache", "--format", "json")
    assert one.exit_code == 0, one.output  # southland's quotes all stand
    every = invoke("--claims-dir", str(claims), "--no-cache", "--format", "json")
    assert json.loads(every.output)["files"] == json.loads(one.output)["files"]


@pytest.mark.slow
def test_a_progress_bar_on_a_terminal_none_when_piped(
    server: SourcesServer, tmp_path: Path
) -> None:
    assert FACTCMP
    argv = [FACTCMP, "sources", "check", str(good_side(server, tmp_path)), "--no-cache"]
    shown = run_in_terminal(argv)
    assert "checking links" in shown
    assert "✓ OK (2)" in shown
    piped = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert "✓ OK (2)" in piped.stdout
    assert "checking links" not in piped.stdout + piped.stderr
    assert "\x1b" not in piped.stdout + piped.stderr


def test_no_links_to_check(tmp_path: Path) -> None:
    path = write_side(tmp_path / "claims", "quiet", "claims:\n  - {id: a, topic: t, text: x}\n")
    result = invoke(str(path), "--no-cache")
    assert (result.exit_code, result.output.strip()) == (0, "no links to check in 1 file")


def test_a_claim_file_with_problems_exits_2(tmp_path: Path) -> None:
    path = write_side(tmp_path / "claims", "broken", "claims:\n  - {id: a, topic: t, txt: x}\n")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert f"{path}:4:" in result.stderr
    assert "unknown key `txt`: did you mean `text`?" in result.stderr
    assert "2 problems in 1 file" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "no side 'nowhere'"),
        (["--max-size", "lots"], "Invalid value for '--max-size': 'lots' is not a size"),
        (["--max-age", "5 fortnights"], "Invalid value for '--max-age'"),
        (["--per-host", "0"], "Invalid value for '--per-host'"),
        (["--deadline", "0"], "Invalid value for '--deadline'"),
        (["--fail-on", "everything"], "Invalid value for '--fail-on'"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    claims = tmp_path / "claims"
    write_side(claims, "northland", "")
    result = invoke("--claims-dir", str(claims), *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("text", "size"),
    [("5MB", 5_000_000), ("512KB", 512_000), ("1MiB", 1_048_576), ("2k", 2000), ("900", 900)],
)
def test_sizes_as_written(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h", 3600.0), ("30m", 1800.0), ("90s", 90.0), ("2d", 172800.0), ("0", 0.0), ("500ms", 0.5)],
)
def test_durations_as_written(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Limits(per_host=0)
    with pytest.raises(ValueError, match="more than 0"):
        Limits(deadline=0)


# --- the results cache -------------------------------------------------------------


def run_cached(claims: Path, cache: Path, *args: str) -> dict[str, Any]:
    result = invoke("--claims-dir", str(claims), "--cache-dir", str(cache), "--format", "json",
                    *E2E_OPTIONS, *args)  # fmt: skip
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_rerun_within_max_age_fetches_nothing(server: SourcesServer, tmp_path: Path) -> None:
    claims = claims_for(server, tmp_path, "southland")
    cache = tmp_path / "cache"
    first = run_cached(claims, cache, "--max-age", "1h")
    requests = len(server.log.hits)
    assert requests > 0
    assert first["summary"]["cached"] == 0
    second = run_cached(claims, cache, "--max-age", "1h")
    assert len(server.log.hits) == requests  # nothing fetched again
    assert second["summary"]["cached"] == second["summary"]["links"]
    assert second["quotes"] == first["quotes"]  # judged again, from the cached text


@pytest.mark.slow
def test_after_max_age_it_fetches_again(server: SourcesServer, tmp_path: Path) -> None:
    claims = claims_for(server, tmp_path, "southland")
    cache = tmp_path / "cache"
    run_cached(claims, cache, "--max-age", "1s")
    requests = len(server.log.hits)
    time.sleep(1.1)
    again = run_cached(claims, cache, "--max-age", "1s")
    assert len(server.log.hits) == 2 * requests
    assert again["summary"]["cached"] == 0


def test_a_head_in_the_cache_does_not_answer_for_a_quote(
    server: SourcesServer, tmp_path: Path
) -> None:
    claims = tmp_path / "claims"
    url = f"{server.base}/quote/cache-head"
    write_side(claims, "northland", f"sources: {{s: {{url: '{url}'}}}}\nclaims:\n"
               "  - {id: a, topic: t, text: x, source: s}\n")  # fmt: skip
    run_cached(claims, tmp_path / "cache")
    write_side(claims, "northland", f"sources: {{s: {{url: '{url}'}}}}\nclaims:\n"
               "  - {id: a, topic: t, text: x, source: s, quote: 'been killed'}\n")  # fmt: skip
    data = run_cached(claims, tmp_path / "cache")
    assert [h.method for h in server.log.of("/quote/cache-head")] == ["HEAD", "GET"]
    assert data["quotes"][0]["status"] == "found"


def test_damaged_cache_entries_are_ignored(server: SourcesServer, tmp_path: Path) -> None:
    claims = claims_for(server, tmp_path, "southland")
    cache = tmp_path / "cache"
    first = run_cached(claims, cache)
    entries = sorted(cache.glob("*.bin"))
    assert len(entries) == first["summary"]["links"]
    entries[0].write_bytes(entries[0].read_bytes()[:-7])  # truncated
    entries[1].write_bytes(b"not a cache entry")
    requests = len(server.log.hits)
    second = run_cached(claims, cache)
    assert second["summary"]["cached"] == first["summary"]["links"] - 2
    assert len(server.log.hits) == requests + 2
    assert second["quotes"] == first["quotes"]


def test_the_default_cache_folder_and_no_cache(
    server: SourcesServer, tmp_path: Path, cache_dir: Path
) -> None:
    claims = claims_for(server, tmp_path, "southland")
    invoke("--claims-dir", str(claims), "--no-cache")
    assert not (cache_dir / "sources").exists()
    invoke("--claims-dir", str(claims))
    assert len(list((cache_dir / "sources").glob("*.bin"))) == 2


# --- safety: text from files and servers is data ----------------------------------


def test_untrusted_text_is_shown_not_obeyed(server: SourcesServer, tmp_path: Path) -> None:
    path = write_side(tmp_path / "claims", "odd", (
        "sources:\n  s:\n    outlet: \"[link=https://evil.example]click[/link] \\e[2J\"\n"
        f"    url: '{server.base}/status/404'\n"
        "claims:\n  - {id: a, topic: t, text: x, source: s,\n"
        "     quote: \"he said [sic] \\e]52;c;eA==\\a\"}\n"
    ))  # fmt: skip
    report = check_sources([load_side(path)], Limits(deadline=3, timeout=2))
    out = io.StringIO()
    render_text(report, make_console(file=out, width=200))
    text = out.getvalue()
    assert "[link=https://evil.example]click[/link] \\x1b[2J" in text
    assert "he said [sic] \\x1b]52;c;eA==\\x07" in text
    assert "\x1b" not in text


# --- httpx only where HTTP is used -------------------------------------------------

PROBE = """
import sys
from factcmp.cli import main
try:
    main(sys.argv[1:], prog_name="factcmp", standalone_mode=False)
except SystemExit:
    pass
finally:
    print("httpx" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "imports_httpx"),
    [
        (["--version"], False),
        (["diff", "armenia", "azerbaijan"], False),
        (["check"], False),
        (["sources", "check", "--no-cache", "LINKED"], True),  # the probe can tell
    ],
)
def test_httpx_is_imported_only_by_sources_check(
    args: list[str], imports_httpx: bool, tmp_path: Path
) -> None:
    linked = write_side(tmp_path, "linked", (
        f"sources: {{s: {{url: 'http://127.0.0.1:{closed_port()}/x'}}}}\n"
        "claims:\n  - {id: a, topic: t, text: x, source: s}\n"
    ))  # fmt: skip
    argv = [str(linked) if arg == "LINKED" else arg for arg in args]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr.strip().splitlines()[-1] == str(imports_httpx), done.stderr


SIDE_WITH_LINKS = """\
factcmp: 1
side: {{name: {name}}}
sources:
{sources}
claims:
{claims}
"""


def side_with_links(name: str, urls: list[str]) -> str:
    sources = "".join(f"  s{i}: {{outlet: X, url: {json.dumps(u)}}}\n" for i, u in enumerate(urls))
    claims = "".join(
        f"  - {{id: c{i}, topic: t{i}, text: x, source: s{i}}}\n" for i in range(len(urls))
    )
    return SIDE_WITH_LINKS.format(name=name, sources=sources.rstrip("\n"), claims=claims)


def test_no_network_is_said_once_and_links_are_unverifiable(tmp_path: Path) -> None:
    """When not one host name resolves (no network: here, names that never resolve),
    no link is called broken: exit 2 and one line say no link could be checked."""
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "a.yaml").write_text(
        side_with_links("A", ["https://one.invalid/a", "https://two.invalid/b"])
    )
    done = subprocess.run(
        [shutil.which("factcmp") or "factcmp", "sources", "check", "--format", "json",
         "--no-cache", "--retries", "0"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("no network: no link could be checked") == 1
    outcomes = {u["url"]: u["outcome"] for u in json.loads(done.stdout)["links"]}
    assert set(outcomes.values()) == {"unverifiable"}


def test_one_name_that_does_not_resolve_among_others_is_broken(
    tmp_path: Path, server: SourcesServer
) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    here = server.base.replace("127.0.0.1", "localhost") + "/quote"
    (claims / "a.yaml").write_text(side_with_links("A", [here, "https://gone.invalid/b"]))
    done = subprocess.run(
        [shutil.which("factcmp") or "factcmp", "sources", "check", "--format", "json",
         "--no-cache", "--retries", "0"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "no network" not in done.stderr
    outcomes = {u["url"]: u["outcome"] for u in json.loads(done.stdout)["links"]}
    assert outcomes["https://gone.invalid/b"] == "broken"
    assert outcomes[here] == "ok"
