"""docs/quickstart.md, walked end to end as a newcomer would: its commands, run by the
installed `factcmp` in a temporary folder, and its claim files, written as the page
shows them. The report it cites is served by a real HTTP server on 127.0.0.1 (its
address stands in for the page's), so `factcmp source --write` reads real metadata.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import cmarkgfm
import pytest
import yaml

from tests.conftest import REPO

QUICKSTART = REPO / "docs" / "quickstart.md"
FACTCMP = shutil.which("factcmp")

# The AP report of 14 September 2022 (../shared/sources), as a wire page marks it up
TITLE = "Armenia and Azerbaijan trade blame for clashes that killed 155"
PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<title>Armenia and Azerbaijan trade blame for clashes that killed 155 | AP News</title>
<link rel="canonical" href="{base}/article/armenia-azerbaijan">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "{title}",
  "author": [{{"@type": "Person", "name": "Avet Demourian"}}],
  "datePublished": "2022-09-14T09:12:00Z",
  "publisher": {{"@type": "Organization", "name": "AP"}},
  "url": "{base}/article/armenia-azerbaijan"}}
</script></head>
<body><article><p>Armenian Prime Minister Nikol Pashinyan said 105 of his country’s
troops have been killed since fighting erupted early on Tuesday, while Azerbaijan said
it lost 50 troops.</p></article></body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if not self.path.startswith("/article/"):
            self.send_response(404)
            self.end_headers()
            return
        base = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
        body = PAGE.format(base=base, title=TITLE).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.send_response(405)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def steps(text: str) -> tuple[list[list[str]], dict[str, str]]:
    """The quickstart's shell commands (each `&&`-joined part apart, `pip install`
    left out: the test runs the installed factcmp) and its files, by path."""
    commands: list[list[str]] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split(" #", 1)[0].strip()
            for part in line.split("&&"):
                words = shlex.split(part)
                if words and words[:2] != ["pip", "install"]:
                    commands.append(words)
    files = dict(re.findall(r"<!-- quickstart: (\S+) -->\n```yaml\n(.*?)```", text, re.S))
    return commands, files


def by_hand(text: str) -> dict[str, str]:
    """The files the quickstart says to write by hand when a command cannot (offline)."""
    return dict(re.findall(r"<!-- quickstart by hand: (\S+) -->\n```yaml\n(.*?)```", text, re.S))


@pytest.mark.slow
def test_the_quickstart_end_to_end(server: str, tmp_path: Path) -> None:
    assert FACTCMP, "the factcmp command is not installed (pip install -e '.[test]')"
    commands, files = steps(QUICKSTART.read_text(encoding="utf-8"))
    assert [c[:2] for c in commands] == [
        ["factcmp", "init"],
        ["cd", "caucasus"],
        ["factcmp", "source"],
        ["factcmp", "check"],
        ["factcmp", "diff"],
        ["factcmp", "brief"],
        ["git", "init"],
        ["git", "add"],
        ["git", "commit"],
        ["pre-commit", "install"],
    ]
    assert set(files) == {"claims/armenia.yaml", "claims/azerbaijan.yaml", "claims/topics.yaml"}
    env = {**os.environ, "FACTCMP_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    for name in ("FACTCMP_CLAIMS", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    env["NO_PROXY"] = "127.0.0.1"
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))  # fmt: skip
    cwd = tmp_path
    done: dict[str, subprocess.CompletedProcess[str]] = {}
    for words in commands:
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        if words[1] == "source":  # the page the reporter would name: the test server's
            words = [server + "/article/armenia-azerbaijan" if w.startswith("https://") else w
                     for w in words]  # fmt: skip
        if words[1] == "check":  # the claims are written (step 3) before the check
            for path, text in files.items():
                (cwd / path).write_text(text, encoding="utf-8")
        exe = FACTCMP if words[0] == "factcmp" else shutil.which(words[0])
        assert exe, words[0]
        run = subprocess.run(
            [exe, *words[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, (words, run.stdout, run.stderr)
        done[words[1]] = run

    # step 2: the source was read from the page and written where every side finds it
    shared = yaml.safe_load((cwd / "claims" / "sources.yaml").read_text(encoding="utf-8"))
    entry = shared["sources"]["ap-0914"]
    assert entry["title"] == TITLE
    assert entry["author"] == "Avet Demourian"
    assert str(entry["published"]) == "2022-09-14"
    assert entry["url"] == server + "/article/armenia-azerbaijan"
    assert entry["outlet"] == "AP"
    # what to write by hand when offline is what the command wrote, but for the address
    [(path, text)] = by_hand(QUICKSTART.read_text(encoding="utf-8")).items()
    assert path == "claims/sources.yaml"
    written = yaml.safe_load(text)
    written["sources"]["ap-0914"]["url"] = entry["url"]
    assert written == {"sources": shared["sources"]}
    # the workflow installs factcmp from where the quickstart says, as pip is given it
    [init] = [c for c in commands if c[:2] == ["factcmp", "init"]]
    requirement = init[init.index("--factcmp-requirement") + 1]
    assert requirement.startswith("factcmp @ git+https://")
    workflow = (cwd / ".github" / "workflows" / "factcmp.yml").read_text(encoding="utf-8")
    assert workflow.count(f"run: pip install '{requirement}'") == 2

    # step 4: a clean check, the verdicts the page promises, a brief that renders
    assert done["check"].stdout == "4 files checked: no problems\n"
    assert "2 contradictions · ≠ 1 discrepancy · ○ 1 one-sided" in done["diff"].stdout
    brief = (cwd / "brief.md").read_text(encoding="utf-8")
    html = cmarkgfm.github_flavored_markdown_to_html(brief)
    assert brief.count(TITLE) == 1  # one shared source, numbered once
    assert html.count(f'href="{server}/article/armenia-azerbaijan"') == 1
    assert "The Ministry of Defence of Azerbaijan said on 14 September 2022 that Armenian" in brief
    # step 5: the outputs stay out of git, the hook is in, and nothing has changed
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "brief.md" not in tracked
    assert "claims/sources.yaml" in tracked
    assert (cwd / ".git" / "hooks" / "pre-commit").is_file()
    changes = subprocess.run(
        [FACTCMP, "changes", "--format", "json"], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=120, check=True,
    )  # fmt: skip
    assert json.loads(changes.stdout)["claims"] == {"added": [], "removed": [], "changed": []}
    # the statement gave both of its claims their speaker, source and date
    data = json.loads(
        subprocess.run(
            [FACTCMP, "diff", "--format", "json"], cwd=cwd, env=env, capture_output=True,
            text=True, timeout=120, check=True,
        ).stdout
    )  # fmt: skip
    from_statement = [
        c for t in data["topics"] for c in t["claims"].get("azerbaijan", []) if c["statement"]
    ]
    assert sorted(c["id"] for c in from_statement) == ["civilians-injured-0914", "shelling-0914"]
    for claim in from_statement:
        assert claim["speaker"]["name"] == "Ministry of Defence of Azerbaijan"
        assert (claim["source"]["key"], claim["source"]["shared"]) == ("ap-0914", True)
        assert claim["said"] == "2022-09-14"


def test_the_quickstart_installs_what_it_runs() -> None:
    """`pip install factcmp` finds nothing until factcmp is published, and
    `pre-commit install` needs pre-commit: the page installs factcmp from a git URL
    (or a clone) and pre-commit before its first use."""
    text = QUICKSTART.read_text(encoding="utf-8")
    lines = [line.split(" #", 1)[0].strip()
             for block in re.findall(r"```sh\n(.*?)```", text, re.S)
             for line in block.splitlines()]  # fmt: skip
    installs = [shlex.split(line)[2:] for line in lines if line.startswith("pip install ")]
    assert installs[0][0].startswith("factcmp @ git+https://"), installs
    assert "# or, in a clone of factcmp: pip install ." in text
    assert ["pre-commit"] in installs
    assert lines.index("pip install pre-commit") < lines.index("pre-commit install")
    assert "python -m venv .venv" in text
