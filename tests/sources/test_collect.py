"""Which links `factcmp sources check` fetches, and the links it refuses to fetch."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcmp.load.discover import DiscoveryError, resolve_sides
from factcmp.load.files import load_side
from factcmp.sources.collect import collect, link_problem, side_files

FILE = """\
factcmp: 1
side: {name: Northland}
sources:
  wire:
    outlet: Wire
    url: https://example.org/story#para-3
    archived: https://web.archive.org/web/2022/https://example.org/story
  again:
    url: https://example.org/story
  local:
    outlet: Local
    url: file:///etc/passwd
claims:
  - id: a
    topic: t
    text: Cites the wire with a quote.
    source: wire
    quote: an absolute lie
  - id: b
    topic: t
    text: Cites the wire without a quote.
    source: wire
  - id: c
    topic: t
    text: Cites the same page through another source.
    source: again
  - id: d
    topic: t
    text: Cites a local file.
    source: local
    quote: root
  - id: e
    topic: t
    text: Cites a local file too.
    source: local
  - id: f
    topic: t
    text: An inline source without a scheme.
    source: {outlet: Somewhere, url: example.org/page, archived: "javascript:alert(1)"}
    quote: words
  - id: g
    topic: t
    text: No source at all.
    quote: words
"""


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "northland.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_each_distinct_url_once_with_every_claim_citing_it(plan_file: Path) -> None:
    plan = collect([load_side(plan_file)])
    by_url = {t.url: t for t in plan.targets}
    assert list(by_url) == [
        "https://example.org/story",  # the #fragment is never sent: the same page
        "https://web.archive.org/web/2022/https://example.org/story",
    ]
    story = by_url["https://example.org/story"]
    assert [(c.claim, c.source, c.field) for c in story.citations] == [
        ("a", "wire", "url"),
        ("b", "wire", "url"),
        ("c", "again", "url"),
    ]
    assert story.need_body  # claim a quotes it
    assert [(c.line, c.col) for c in story.citations] == [(6, 10), (6, 10), (9, 10)]
    assert story.citations[0].claim_line == 14


def test_bad_links_are_findings_at_their_position_and_never_targets(plan_file: Path) -> None:
    plan = collect([load_side(plan_file)])
    found = [(b.line, b.col, b.field, b.source, b.claims, b.message) for b in plan.bad_links]
    assert found == [
        (
            12,
            10,
            "url",
            "local",
            ("d", "e"),
            "`url: file:///etc/passwd` is not a web address (file:): only http:// and "
            "https:// links are checked",
        ),
        (
            39,
            38,
            "url",
            "f",
            ("f",),
            "`url: example.org/page` has no scheme: write the full address, starting with https://",
        ),
        (
            39,
            66,
            "archived",
            "f",
            ("f",),
            "`archived: javascript:alert(1)` is not a web address (javascript:): only "
            "http:// and https:// links are checked",
        ),
    ]
    fetched = " ".join(t.url for t in plan.targets)
    assert "file:" not in fetched
    assert "javascript:" not in fetched
    assert "example.org/page" not in fetched


def test_quotes_to_look_for(plan_file: Path) -> None:
    plan = collect([load_side(plan_file)])
    quotes = [(q.claim, q.url, q.archived, q.bad) for q in plan.quotes]
    assert quotes == [
        (
            "a",
            "https://example.org/story",
            "https://web.archive.org/web/2022/https://example.org/story",
            (),
        ),
        ("d", None, None, ("url",)),  # reported as unchecked: its link is refused
        ("f", None, None, ("url", "archived")),
    ]  # g has no source: there is no page to look on


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/a?b=c#d", None),
        ("HTTP://EXAMPLE.ORG", None),
        ("  https://example.org/  ", None),
        ("http://127.0.0.1:8080/x", None),
        ("file:///etc/passwd", "is not a web address (file:)"),
        ("javascript:alert(document.cookie)", "is not a web address (javascript:)"),
        ("data:text/html,<script>alert(1)</script>", "is not a web address (data:)"),
        ("data:text/html,hello", "is not a web address (data:)"),
        ("ftp://example.org/file", "is not a web address (ftp:)"),
        ("mailto:desk@example.org", "is not a web address (mailto:)"),
        ("example.org/story", "has no scheme"),
        ("www.example.org", "has no scheme"),
        ("//example.org/story", "has no scheme"),
        ("example.org:8080/story", "has no scheme"),
        ("https://", "has no host name"),
        ("https:///path", "has no host name"),
        ("https://example.org:99999/", "is not a valid address"),
        ("https://exa mple.org/", "spaces or control characters"),
        ("https://example.org/\x1b[2J", "spaces or control characters"),
    ],
)
def test_link_problem(url: str, problem: str | None) -> None:
    found = link_problem(url)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


# --- which files -------------------------------------------------------------------


def claims_folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    for name in names:
        (folder / f"{name}.yaml").write_text("factcmp: 1\nside: {name: X}\n", encoding="utf-8")
    (folder / "topics.yaml").write_text("factcmp: 1\ntopics: {}\n", encoding="utf-8")
    return folder


def test_one_side_is_enough(tmp_path: Path) -> None:
    folder = claims_folder(tmp_path, "northland", "southland")
    assert [s.id for s in side_files(["northland"], folder)] == ["northland"]
    path = str(folder / "southland.yaml")
    assert [s.path for s in side_files([path], None)] == [Path(path)]


def test_no_side_named_is_every_side_even_one(tmp_path: Path) -> None:
    assert [s.id for s in side_files([], claims_folder(tmp_path, "only"))] == ["only"]


def test_several_sides_as_diff_names_them(tmp_path: Path) -> None:
    folder = claims_folder(tmp_path, "northland", "southland", "eastland")
    assert [s.id for s in side_files(["southland", "northland"], folder)] == [
        "southland",
        "northland",
    ]
    with pytest.raises(DiscoveryError, match="named twice"):
        side_files(["northland", "northland"], folder)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["northlnd"], "no side 'northlnd' in .*did you mean 'northland'"),
        (["missing.yaml"], "no claim file at missing.yaml"),
    ],
)
def test_unknown_sides_are_named(tmp_path: Path, names: list[str], message: str) -> None:
    with pytest.raises(DiscoveryError, match=message):
        side_files(names, claims_folder(tmp_path, "northland"))


def test_no_claims_folder(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="no claims directory"):
        side_files([], None)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DiscoveryError, match="holds no claim files"):
        side_files([], empty)


def test_diff_still_wants_two_sides(tmp_path: Path) -> None:
    """One side is allowed here without changing how `diff` resolves sides."""
    folder = claims_folder(tmp_path, "northland", "southland")
    with pytest.raises(DiscoveryError, match="only one side given"):
        resolve_sides(["northland"], folder)
