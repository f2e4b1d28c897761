"""What several test files share: claims and sides built without YAML (for the
comparison rules), claim files written for a test, the installed command run as a
subprocess and in a terminal, markdown through GitHub's own renderer, the SQLite
export through Datasette, and the files topics rename works on. Fixtures are in
conftest.py; the growth check in growth.py; the HTTP test server in sources_server.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import pty
import select
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from click.testing import CliRunner, Result
from cmarkgfm.cmark import Options

from factcmp.cli import main
from factcmp.load.files import load_side
from factcmp.model import Claim, Count, Period, Side
from factcmp.problems import InputError, Problem
from tests.conftest import REPO

_ids = itertools.count()


def count(value: float | tuple[float | None, float | None] | Count) -> Count:
    if isinstance(value, Count):  # built by the test itself (with `words`, say)
        return value
    if isinstance(value, tuple):
        return Count.given(min=value[0], max=value[1])
    return Count.given(best=value)


def claim(side: str, topic: str = "t", **facets: Any) -> Claim:
    """A claim of `side` on `topic`; facets as in a claim file (count may be a number
    or a (min, max) tuple, period a (from, to) tuple of ISO dates)."""
    if "count" in facets and facets["count"] is not None:
        facets["count"] = count(facets["count"])
    if "period" in facets and facets["period"] is not None:
        start, end = facets["period"]
        facets["period"] = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    if isinstance(facets.get("said"), str):
        facets["said"] = dt.date.fromisoformat(facets["said"])
    if "places" in facets and facets["places"] is not None:
        facets["places"] = tuple(facets["places"])
    n = next(_ids)
    facets.setdefault("id", f"c{n}")
    facets.setdefault("text", f"claim {n} of {side} on {topic}")
    return Claim(side=side, topic=topic, file=f"claims/{side}.yaml", line=n + 1, **facets)


def side(side_id: str, *claims: Claim, aliases: tuple[str, ...] = ()) -> Side:
    return Side(side_id, side_id.capitalize(), f"claims/{side_id}.yaml", aliases, list(claims))


# Markdown, through GitHub's own renderer ---------------------------------------------


def render(markdown: str) -> str:
    # UNSAFE keeps raw HTML in the output, so that a test sees any that got through.
    rendered: str = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE
    )
    return rendered


class Page(HTMLParser):
    """The tags, links and visible text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.tables: list[list[int]] = []  # per table: cells per row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append(0)
        if tag in ("td", "th"):
            self.tables[-1][-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(markdown: str) -> Page:
    page = Page()
    page.feed(render(markdown))
    return page


ALLOWED_TAGS = {
    "h1", "h2", "h3", "p", "em", "strong", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "hr", "code", "a",
}  # fmt: skip


def brief(*args: str, cwd: Path) -> str:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["brief", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.output


def big_claims(folder: Path, n: int) -> None:
    folder.mkdir()
    for side_id in ("a", "b"):
        lines = ["factcmp: 1", f"side: {{name: {side_id.upper()}}}", "claims:"]
        lines += [
            f"  - {{id: c{i}, topic: t{i}, text: claim {i} {'x' * 300}, actor: {side_id}}}"
            for i in range(n)
        ]
        (folder / f"{side_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# The installed command, as a subprocess and in a terminal ----------------------------


def run(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    assert FACTCMP, "the factcmp command is not installed (pip install -e '.[test]')"
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FACTCMP_CLAIMS", "NO_COLOR", "FORCE_COLOR")
    }
    full_env.update(env or {})
    return subprocess.run(
        [FACTCMP, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_in_terminal(argv: list[str], extra_env: dict[str, str] | None = None) -> str:
    """Run a command under a pseudo-terminal, as a reporter's shell would."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "FACTCMP_CLAIMS")
    }
    env.update({"COLUMNS": "120", "LINES": "50", "TERM": "xterm-256color", **(extra_env or {})})
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        argv, stdout=follower, stderr=follower, stdin=follower, env=env, cwd=REPO
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


# The SQLite export, through Datasette ------------------------------------------------


FACTCMP = shutil.which("factcmp")


def export(*args: str) -> Result:
    return CliRunner().invoke(main, ["export", "sqlite", *args], catch_exceptions=False)


def get(db: Path, path: str, metadata: dict[str, Any] | None = None) -> Any:
    """A page of Datasette serving `db`: JSON for .json paths, else the HTML."""
    from datasette.app import Datasette  # only the export tests pay for importing it

    async def fetch() -> Any:
        datasette = Datasette([str(db)], metadata=metadata)
        response = await datasette.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.json() if ".json" in path else response.text

    return asyncio.run(fetch())


# The files topics rename works on ----------------------------------------------------


# A curator's file: comments everywhere, every quoting style, a flow mapping, CRLF-free
# but with trailing spaces and a key that is not the topic spelled like it.
NORTH = """\
# North's claims  (hand-curated; do not reflow)
factcmp: 1
side: {name: North}
speakers:
  mod: {name: Ministry of Defence}   # the ministry
sources:
  wire: {outlet: Wire, url: "https://example.org/1", published: 2022-09-16}
claims:
  - id: n1            # first figure
    topic: deaths     # renamed below
    text: "Deaths: 4 soldiers of North died."
    by: mod
    source: wire
    said: 2022-09-14
    count: 4
    subject: north
  - id: n2
    topic: 'deaths'
    text: 'Later: 5 of North''s soldiers died.'
    by: mod
    source: wire
    said: 2022-09-15
    count: 5
    subject: north
  - {id: n3, topic: "deaths", text: Flow, by: mod, source: wire, said: 2022-09-16, count: 6,
     subject: north}
  - id: n4
    topic: shelling
    text: "deaths is a word here, and topic: deaths is text"
    by: mod
    source: wire
    said: 2022-09-14
    actor: south
"""


SOUTH = """\
factcmp: 1
side: {name: South}
speakers:
  mod: {name: South Ministry of Defence}
sources:
  wire: {outlet: Wire, url: "https://example.org/2", published: 2022-09-14}
claims:
  - id: s1
    topic: casualties.military
    text: North lost 45 soldiers.
    by: mod
    source: wire
    said: 2022-09-14
    count: 45
    subject: north
  - id: s2
    topic: shelling
    text: North shelled first.
    by: mod
    source: wire
    said: 2022-09-14
    actor: north
"""


TOPICS = """\
factcmp: 1
topics:
  # contested
  casualties.military:
    label: Military deaths   # of either side

  shelling: {label: Who shelled first}
"""


# Claim files written for a test, and the problems they give --------------------------


# Nine lines; the first claim's `- id:` is on line 10.
HEAD = """\
factcmp: 1
side:
  name: Armenia
speakers:
  mod: {name: Ministry of Defence}
  pashinyan: {name: Nikol Pashinyan, role: Prime Minister}
sources:
  ap-0914: {outlet: AP}
claims:
"""


# Lines 10 to 12; a key added after it is on line 13, indented by four spaces.
CLAIM = """\
  - id: c1
    topic: casualties.military
    text: Troops were killed.
"""


def write(tmp_path: Path, text: str | bytes, name: str = "armenia.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_side(path)
    assert info.value.problems
    return info.value.problems


def one(tmp_path: Path, text: str | bytes) -> Problem:
    found = problems_of(write(tmp_path, text))
    assert len(found) == 1, found
    return found[0]


def at(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.col
