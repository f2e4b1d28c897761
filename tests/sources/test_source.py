"""`factcmp source URL`: a `sources:` entry read from a news page's metadata, against
pages served by the test server on 127.0.0.1 (tests/sources_server.py), and `--write`
adding it to a claims file with every other byte kept."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from factcmp.cli import main
from factcmp.edit.exact import EditError
from factcmp.plain import inert
from factcmp.sources.entry import (
    MAX_LENGTH,
    Entry,
    Line,
    add_to_file,
    clean,
    derive_key,
    entry_text,
)
from factcmp.sources.meta import read_meta
from tests.sources_server import HOSTILE_TITLE, SourcesServer, closed_port, serve

FAST = ["--deadline", "5", "--timeout", "2"]
FACTCMP = shutil.which("factcmp")


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("FACTCMP_CLAIMS", raising=False)


@pytest.fixture(scope="module")
def server() -> Iterator[SourcesServer]:
    with serve() as running:
        yield running


def source(*args: str) -> Result:
    return CliRunner().invoke(main, ["source", *args, *FAST], catch_exceptions=False)


def entry_of(output: str) -> tuple[str, dict[str, Any]]:
    """The one entry of a printed `sources:` block, as YAML reads it."""
    data = yaml.safe_load(output)
    assert list(data) == ["sources"]
    [(key, fields)] = data["sources"].items()
    return key, fields


# --- reading pages ----------------------------------------------------------------------


def test_a_wire_page_with_json_ld(server: SourcesServer) -> None:
    done = source(f"{server.base}/page/wire.html")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == (
        "sources:\n"
        "  ap-2022-09-14:\n"
        "    outlet: AP\n"
        '    title: "Armenia, Azerbaijan trade blame for clashes that killed 155"\n'
        '    author: "Aida Sultanova, Avet Demourian"\n'
        "    published: 2022-09-14\n"
        "    url: https://apnews.example/article/armenia-azerbaijan-clashes-0914\n"
    )
    assert done.stderr == ""


def test_an_opengraph_only_page(server: SourcesServer) -> None:
    done = source(f"{server.base}/page/og-only.html")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == (
        "sources:\n"
        "  tass-2022-09-13:\n"
        "    outlet: TASS\n"
        "    title: Russia calls on Armenia and Azerbaijan to show restraint\n"
        "    author: Tatiana Smirnova\n"
        "    published: 2022-09-13\n"
        "    url: https://tass.example/politics/1507201\n"
    )


def test_a_bare_page_says_what_is_guessed(server: SourcesServer) -> None:
    url = f"{server.base}/page/bare.html"
    done = source(url)
    assert done.exit_code == 0, done.stderr
    assert done.stdout == (
        "sources:\n"
        "  xinhua:\n"
        "    outlet: Xinhua  # guessed from <title>\n"
        '    title: "Chinese FM urges Armenia, Azerbaijan to resolve disputes"  '
        "# guessed from <title>\n"
        "    author:  # not found: fill in\n"
        "    published:  # not found: fill in\n"
        f"    url: {url}  # the address fetched: the page names no canonical URL\n"
    )
    fields = entry_of(done.stdout)[1]
    assert fields["author"] is None
    assert fields["published"] is None


def test_after_a_redirect_the_url_is_the_canonical_or_the_final_one(server: SourcesServer) -> None:
    done = source(f"{server.base}/moved/wire.html")
    assert entry_of(done.stdout)[1]["url"] == (
        "https://apnews.example/article/armenia-azerbaijan-clashes-0914"
    )
    done = source(f"{server.base}/moved/bare.html")
    assert entry_of(done.stdout)[1]["url"] == f"{server.base}/page/bare.html"


@pytest.mark.parametrize(
    ("page", "outlet", "title", "author"),
    [
        (
            "cp1251.html",
            "ТАСС",
            "Песков: Кремль призывает Армению и Азербайджан к сдержанности",
            "Мария Иванова",
        ),
        (
            "shift_jis.html",
            "共同通信",
            "アルメニアとアゼルバイジャン、国境で衝突\u3000双方が非難",
            "共同通信",
        ),
    ],
)
def test_pages_in_other_encodings(
    server: SourcesServer, page: str, outlet: str, title: str, author: str
) -> None:
    done = source(f"{server.base}/page/{page}")
    assert done.exit_code == 0, done.stderr
    key, fields = entry_of(done.stdout)
    assert (fields["outlet"], fields["title"], fields["author"]) == (outlet, title, author)
    assert key == ("tass-2022-09-13" if page == "cp1251.html" else "source-2022-09-14")


def test_hostile_metadata_prints_inert_and_reads_back(server: SourcesServer) -> None:
    url = f"{server.base}/hostile/x"
    done = source(url)
    assert done.exit_code == 0, done.stderr
    for raw in ("\x1b", "\x07", "\u202e", "\u2028"):
        assert raw not in done.stdout
    key, fields = entry_of(done.stdout)
    title = HOSTILE_TITLE.replace("&#10;", " ").replace("\u2028", " ")
    assert fields["title"] == title.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert fields["outlet"] == "Evil\\u202eNews\\x1b]52;c;cm0gLXJmIH4=\\x07"
    assert fields["author"] == "- [not, a, list]"
    assert fields["published"] is None  # 2022-09-31 does not exist
    assert fields["url"] == url  # javascript:, data: and file: are not web pages
    assert re.fullmatch("[a-z0-9-]+", key), key


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/status/404", "broken: 404 Not Found"),
        ("/doc/report.pdf", "not an HTML page (application/pdf)"),
        ("/challenge/x", "a bot wall stood in for the page"),
    ],
)
def test_a_page_that_cannot_be_read_gives_a_skeleton(
    server: SourcesServer, path: str, reason: str
) -> None:
    url = server.base + path
    done = source(url)
    assert done.exit_code == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"factcmp: cannot read {url}: ")
    assert reason in line
    assert done.stdout == (
        "sources:\n"
        "  source:\n"
        "    outlet: 127.0.0.1  # guessed from the host name\n"
        "    title:  # not found: fill in\n"
        "    author:  # not found: fill in\n"
        "    published:  # not found: fill in\n"
        f"    url: {url}\n"
    )


def test_refused_connections_and_timeouts_are_reasons_too(server: SourcesServer) -> None:
    url = f"http://127.0.0.1:{closed_port()}/article"
    done = source(url)
    assert done.exit_code == 2
    assert done.stderr == f"factcmp: cannot read {url}: broken: connection refused\n"
    assert entry_of(done.stdout)[1]["url"] == url
    done = CliRunner().invoke(main, ["source", f"{server.base}/drip/x", "--deadline", "0.5"])
    assert done.exit_code == 2
    assert "no answer within the 0.5 s deadline" in done.stderr


def test_only_web_addresses(tmp_path: Path) -> None:
    for url in ("file:///etc/passwd", "example.org/page", "javascript:alert(1)"):
        done = source(url)
        assert done.exit_code == 2
        assert "is not a web address" in done.stderr
        assert done.stdout == ""


def test_id_names_the_key(server: SourcesServer) -> None:
    done = source(f"{server.base}/page/wire.html", "--id", "ap-0914")
    assert entry_of(done.stdout)[0] == "ap-0914"
    done = source(f"{server.base}/page/wire.html", "--id", "two words")
    assert done.exit_code == 2
    assert "cannot be a source key" in done.stderr


# --- --write ------------------------------------------------------------------------------

SIDE = """\
factcmp: 1
side: {name: Armenia}   # the side
speakers:
  mod: {name: Ministry of Defence of Armenia}
sources:
  ap-0914:
    outlet: AP
    # the report the claims quote
    title: 'Armenia and Azerbaijan trade blame'

  rferl: {outlet: RFE/RL}
    # a comment at the entries' fields

# the claims, newest last
claims:
  - id: troops-killed-0914
    topic: casualties.military
    text: 105 Armenian troops have been killed.
    by: mod
    source: ap-0914
    said: 2022-09-14
"""


SHARED = """\
factcmp: 1
speakers:
  un-sg: {name: António Guterres, role: UN Secretary-General}
sources:
  ap-0914:
    outlet: AP
    # the report both sides cite
    title: 'Armenia and Azerbaijan trade blame'

  rferl: {outlet: RFE/RL}
    # a comment at the entries' fields

# more sources to come, newest last
"""


def claims_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def write(server: SourcesServer, folder: Path, *args: str, page: str = "wire.html") -> Result:
    return source(f"{server.base}/page/{page}", "--claims-dir", str(folder), "--write", *args)


def added(before: str, after: str) -> str:
    """What was inserted into `before` to make `after` (nothing else may differ)."""
    start = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), len(before)
    )
    inserted = after[start : start + len(after) - len(before)]
    assert after == before[:start] + inserted + before[start:], "more than one insertion"
    return inserted


def wire_entry(indent: int = 2, step: int = 2) -> str:
    fields = (
        "outlet: AP",
        'title: "Armenia, Azerbaijan trade blame for clashes that killed 155"',
        'author: "Aida Sultanova, Avet Demourian"',
        "published: 2022-09-14",
        "url: https://apnews.example/article/armenia-azerbaijan-clashes-0914",
    )
    lines = [" " * indent + "ap-2022-09-14:", *(" " * (indent + step) + f for f in fields)]
    return "\n".join(lines) + "\n"


WIRE_ENTRY = wire_entry()
WIRE_VALUE = {
    "outlet": "AP",
    "title": "Armenia, Azerbaijan trade blame for clashes that killed 155",
    "author": "Aida Sultanova, Avet Demourian",
    "published": dt.date(2022, 9, 14),
    "url": "https://apnews.example/article/armenia-azerbaijan-clashes-0914",
}


def test_write_creates_the_shared_sources_file(server: SourcesServer, tmp_path: Path) -> None:
    folder = claims_folder(tmp_path)
    done = write(server, folder)
    assert done.exit_code == 0, done.stderr
    path = folder / "sources.yaml"
    assert done.stderr == f"factcmp: created {path} with source ap-2022-09-14\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert text.endswith("factcmp: 1\nsources:\n" + WIRE_ENTRY)
    assert yaml.safe_load(text) == {"factcmp": 1, "sources": {"ap-2022-09-14": WIRE_VALUE}}
    assert_checks(path)


def assert_checks(path: Path) -> None:
    """`factcmp check` finds no error in the file written."""
    checked = CliRunner().invoke(main, ["check", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "\n0 errors, " in checked.output


def test_write_into_a_file_with_comments_changes_no_other_byte(
    server: SourcesServer, tmp_path: Path
) -> None:
    before = SHARED
    folder = claims_folder(tmp_path, sources=before)
    done = write(server, folder)
    assert done.exit_code == 0, done.stderr
    assert done.stderr == f"factcmp: added source ap-2022-09-14 to {folder / 'sources.yaml'}\n"
    after = (folder / "sources.yaml").read_text(encoding="utf-8")
    assert added(before, after) == WIRE_ENTRY
    assert after.index(WIRE_ENTRY) > after.index("# a comment at the entries' fields")
    assert after.index(WIRE_ENTRY) < after.index("\n# more sources to come")
    expected = yaml.safe_load(before)
    expected["sources"]["ap-2022-09-14"] = WIRE_VALUE
    assert yaml.safe_load(after) == expected
    assert_checks(folder / "sources.yaml")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("factcmp: 1\nsources: {}\n", "factcmp: 1\nsources:\n" + WIRE_ENTRY),
        (
            "factcmp: 1\nsources: {}  # none yet\n",
            "factcmp: 1\nsources:   # none yet\n" + WIRE_ENTRY,
        ),
        ("factcmp: 1\nsources:\n", "factcmp: 1\nsources:\n" + WIRE_ENTRY),
        ("factcmp: 1\nsources: ~", "factcmp: 1\nsources:\n" + WIRE_ENTRY),
        ("\ufefffactcmp: 1\nsources: {}\n", "\ufefffactcmp: 1\nsources:\n" + WIRE_ENTRY),
        ("factcmp: 1\n", "factcmp: 1\nsources:\n" + WIRE_ENTRY),
        ("# nothing yet\n", "# nothing yet\nfactcmp: 1\nsources:\n" + WIRE_ENTRY),
        (
            "factcmp: 1\r\nsources:\r\n    old: {outlet: AP}\r\n",
            "factcmp: 1\r\nsources:\r\n    old: {outlet: AP}\r\n"
            + wire_entry(indent=4).replace("\n", "\r\n"),
        ),
        (
            "factcmp: 1\nsources:\n    old:\n        outlet: AP",
            "factcmp: 1\nsources:\n    old:\n        outlet: AP\n" + wire_entry(indent=4, step=4),
        ),
    ],
)
def test_write_into_each_shape_of_sources(
    server: SourcesServer, tmp_path: Path, before: str, after: str
) -> None:
    folder = claims_folder(tmp_path)
    (folder / "sources.yaml").write_bytes(before.encode())
    done = write(server, folder)
    assert done.exit_code == 0, done.stderr
    assert (folder / "sources.yaml").read_bytes() == after.encode()


def test_write_into_a_side_file_that_still_checks(server: SourcesServer, tmp_path: Path) -> None:
    before = SIDE.replace(SIDE[SIDE.index("sources:") : SIDE.index("\n# the claims")], "")
    before = before.replace("    source: ap-0914\n", "")
    assert "sources" not in before
    folder = claims_folder(tmp_path, armenia=before)
    done = write(server, folder, "armenia")
    assert done.exit_code == 0, done.stderr
    assert done.stderr == f"factcmp: added source ap-2022-09-14 to {folder / 'armenia.yaml'}\n"
    after = (folder / "armenia.yaml").read_text(encoding="utf-8")
    assert added(before, after) == "sources:\n" + WIRE_ENTRY + "\n"
    assert after.index("sources:") < after.index("# the claims, newest last")
    assert yaml.safe_load(after)["sources"] == {"ap-2022-09-14": WIRE_VALUE}
    assert_checks(folder / "armenia.yaml")


def test_a_side_by_path_and_a_missing_side(server: SourcesServer, tmp_path: Path) -> None:
    folder = claims_folder(tmp_path, armenia=SIDE)
    done = write(server, folder, str(folder / "armenia.yaml"))
    assert done.exit_code == 0, done.stderr
    done = write(server, folder, "russia")
    assert done.exit_code == 2
    assert "no claim file claims/russia.yaml" in done.stderr.replace(str(tmp_path) + "/", "")


def test_write_refuses_what_is_not_a_claim_file(server: SourcesServer, tmp_path: Path) -> None:
    """topics.yaml, or any YAML file named by path (a CI workflow), is not where a
    source goes: refused, and nothing written."""
    folder = claims_folder(tmp_path, armenia=SIDE)
    (folder / "topics.yaml").write_text("factcmp: 1\ntopics: {}\n", encoding="utf-8")
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs: {}\n", encoding="utf-8")
    for name in ("topics", str(folder / "topics.yaml"), str(workflow)):
        target = workflow if name == str(workflow) else folder / "topics.yaml"
        before = target.read_bytes()
        done = write(server, folder, name)
        assert done.exit_code == 2, name
        assert "is not a side's claim file" in done.stderr
        assert target.read_bytes() == before


def test_an_existing_key_is_refused_and_nothing_written(
    server: SourcesServer, tmp_path: Path
) -> None:
    folder = claims_folder(tmp_path, armenia=SIDE)
    before = (folder / "armenia.yaml").read_bytes()
    done = write(server, folder, "armenia", "--id", "ap-0914")
    assert done.exit_code == 2
    assert "'ap-0914' is there already: nothing written" in done.stderr
    assert (folder / "armenia.yaml").read_bytes() == before
    assert done.stdout == ""  # refused before fetching


def test_a_derived_key_is_made_unique(server: SourcesServer, tmp_path: Path) -> None:
    folder = claims_folder(tmp_path)
    for expected in ("ap-2022-09-14", "ap-2022-09-14-2", "ap-2022-09-14-3"):
        done = write(server, folder)
        assert done.exit_code == 0, done.stderr
        assert expected in done.stderr
    assert list(yaml.safe_load((folder / "sources.yaml").read_text())["sources"]) == [
        "ap-2022-09-14",
        "ap-2022-09-14-2",
        "ap-2022-09-14-3",
    ]


def test_keys_stay_unique_between_the_sides_and_the_shared_file(
    server: SourcesServer, tmp_path: Path
) -> None:
    """A key defined in a side's file and in sources.yaml is an error for check."""
    shared = "factcmp: 1\nsources:\n  ap-2022-09-14: {outlet: AP}\n"
    folder = claims_folder(tmp_path, armenia=SIDE, sources=shared)
    done = write(server, folder, "armenia")
    assert "added source ap-2022-09-14-2 to" in done.stderr
    done = write(server, folder, "armenia", "--id", "ap-2022-09-14")
    assert done.exit_code == 2
    assert f"{folder / 'sources.yaml'}: source 'ap-2022-09-14' is there already" in done.stderr
    done = write(server, folder, "--id", "ap-0914")  # into sources.yaml: every side's keys count
    assert done.exit_code == 2
    assert f"{folder / 'armenia.yaml'}: source 'ap-0914' is there already" in done.stderr
    assert (folder / "sources.yaml").read_text() == shared


def test_a_shared_file_named_sources_yml_is_used(server: SourcesServer, tmp_path: Path) -> None:
    folder = claims_folder(tmp_path)
    (folder / "sources.yml").write_text("factcmp: 1\nsources: {}\n", encoding="utf-8")
    done = write(server, folder)
    assert done.exit_code == 0, done.stderr
    assert not (folder / "sources.yaml").exists()
    assert "ap-2022-09-14" in yaml.safe_load((folder / "sources.yml").read_text())["sources"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("factcmp: 1\nsources:\n  a: [unclosed\n", "invalid YAML"),
        ("factcmp: 1\nsources: {a: {outlet: AP}}\n", "flow mapping"),
        ("factcmp: 1\nsources: [a, b]\n", "is not a mapping"),
        ("factcmp: 1\nsources:\n  a: 1\n  a: 2\n", "duplicate key"),
        ("[factcmp, 1]\n", "not a mapping"),
    ],
)
def test_files_that_cannot_take_the_entry_are_left_alone(
    server: SourcesServer, tmp_path: Path, text: str, message: str
) -> None:
    folder = claims_folder(tmp_path, sources=text)
    done = write(server, folder)
    assert done.exit_code == 2
    assert message in done.stderr
    assert (folder / "sources.yaml").read_text() == text


def test_a_failed_fetch_writes_nothing(server: SourcesServer, tmp_path: Path) -> None:
    folder = claims_folder(tmp_path)
    done = write(server, folder, page="missing.html")
    assert done.exit_code == 2
    last = done.stderr.splitlines()[-1]
    assert last.startswith(f"factcmp: nothing written to {folder / 'sources.yaml'}: fill in")
    assert not (folder / "sources.yaml").exists()


def test_write_needs_a_claims_folder(
    server: SourcesServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = source(f"{server.base}/page/wire.html", "--write")
    assert done.exit_code == 2
    assert "no claims directory found: run factcmp init to start one" in done.stderr


def test_the_installed_command_with_write_url_in_either_order(
    server: SourcesServer, tmp_path: Path
) -> None:
    assert FACTCMP, "the factcmp command is not installed (pip install -e '.[test]')"
    claims_folder(tmp_path, armenia=SIDE)
    env = {k: v for k, v in os.environ.items() if k not in ("FACTCMP_CLAIMS", "COLUMNS")}
    runs = [
        [FACTCMP, "source", f"{server.base}/page/og-only.html", "--write", "armenia"],
        [FACTCMP, "source", "--write", f"{server.base}/page/wire.html"],
    ]
    for args in runs:
        done = subprocess.run(
            args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
    side = yaml.safe_load((tmp_path / "claims" / "armenia.yaml").read_text())
    assert list(side["sources"]) == ["ap-0914", "rferl", "tass-2022-09-13"]
    shared = yaml.safe_load((tmp_path / "claims" / "sources.yaml").read_text())
    assert list(shared["sources"]) == ["ap-2022-09-14"]


# --- the pieces -----------------------------------------------------------------------------

PAGE_URL = "https://news.example/world/2022/09/14/clashes/"


def meta_of(head: str, body: str = "", url: str = PAGE_URL) -> dict[str, Any]:
    meta = read_meta(f"<html><head>{head}</head><body>{body}</body></html>", url)
    return {
        name: (getattr(meta, name).value, getattr(meta, name).guess)
        for name in ("outlet", "title", "author", "published", "url")
    }


def test_json_ld_in_a_list_with_references_and_json_in_strings() -> None:
    found = meta_of(
        '<script type="application/ld+json">[{"@type": "Organization", "@id": "#o", '
        '"name": "South China Morning Post"}, {"@type": ["http://schema.org/NewsArticle"], '
        '"headline": "Tsai\'s playbook should be essential reading for ...", '
        '"author": "{ \\"@type\\":\\"Person\\", \\"name\\":\\"Alice Wu\\" }", '
        '"publisher": {"@id": "#o"}, "datePublished": "2020-01-20T10:00:08+08:00", '
        '"mainEntityOfPage": {"@id": "/comment/3046526"}}]</script>'
        "<title>Tsai's playbook should be essential reading for Carrie Lam | SCMP</title>"
    )
    assert found == {
        "outlet": ("South China Morning Post", None),
        "title": (
            "Tsai's playbook should be essential reading for Carrie Lam",
            "completed from <title>: the JSON-LD headline is cut short",
        ),
        "author": ("Alice Wu", None),
        "published": (dt.date(2020, 1, 20), None),
        "url": ("https://news.example/comment/3046526", None),
    }


def test_opengraph_title_without_the_site_and_dates_from_the_page() -> None:
    found = meta_of(
        '<meta property="og:title" content="Berlin confronts its past | DW | 19.01.2020">'
        '<meta property="og:site_name" content="DW.COM">',
        '<p><time datetime="2020-01-19">19.01.2020</time></p>',
    )
    assert found["title"] == (
        "Berlin confronts its past",
        "guessed: og:title without the site's name",
    )
    assert found["published"] == (dt.date(2020, 1, 19), "guessed from the first <time> on the page")
    assert meta_of("<title>x</title>")["published"] == (
        dt.date(2022, 9, 14),
        "guessed from the URL",
    )
    marked = meta_of("", '<time datetime="2022-01-01"></time><time pubdate datetime="2022-02-02">')
    assert marked["published"] == (dt.date(2022, 2, 2), None)


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("Vigil review – twisty, explosive … and so boring | Television | The Guardian",
         "Vigil review – twisty, explosive … and so boring"),
        ("Vigil review – so boring", "Vigil review – so boring"),
        ("Chinese FM urges restraint - Xinhua", "Chinese FM urges restraint"),
        ("News Example - Floods hit the valley", "Floods hit the valley"),
    ],
)  # fmt: skip
def test_a_titles_site_name_is_cut(title: str, headline: str) -> None:
    assert meta_of(f"<title>{title}</title>")["title"][0] == headline


@given(st.text(st.characters(exclude_categories=())))  # surrogates too
def test_every_value_reads_back_as_written(text: str) -> None:
    value, _cut = clean(text)
    entry = Entry("k", (Line("title", value or None, "a # comment: here"),))
    assert yaml.safe_load(entry_text(entry)) == {"k": {"title": value or None}}
    assert inert(value) == value
    assert len(value) <= MAX_LENGTH


def test_cleaning_shows_what_would_act_or_not_be_written() -> None:
    assert clean("a\x1b[2J\u202eb\u2028c\r\nd\ud800\uffff\ufeff") == (
        "a\\x1b[2J\\u202eb c d\\ud800\\uffff",
        False,
    )
    long, cut = clean("word " * 200)
    assert cut
    assert long == ("word " * 80)[: MAX_LENGTH - 1].rstrip() + "…"


def test_derived_keys() -> None:
    meta = read_meta("<title>x</title>", "https://www.tass.ru/politika/1")
    assert derive_key(meta, "https://www.tass.ru/politika/1") == "tass"
    assert derive_key(None, "https://english.news.cn/a") == "news"
    assert derive_key(None, "https://bbc.co.uk/a", ["bbc", "bbc-2"]) == "bbc-3"
    assert derive_key(None, "http://[::1]:8000/a") == "source"


def test_a_side_file_without_sources_or_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "side.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(EditError, match="the file is empty"):
        add_to_file(path, Entry("k", (Line("outlet", "AP"),)), shared=False)
    assert path.read_text() == ""


def test_a_page_titled_with_a_date_that_does_not_exist_is_quoted(
    server: SourcesServer, tmp_path: Path
) -> None:
    folder = claims_folder(tmp_path)
    url = f"{server.base}/page/impossible-date.html"
    done = subprocess.run(
        [FACTCMP or "factcmp", "source", url, "--claims-dir", str(folder), "--write", *FAST],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert '    title: "2022-02-30"  # guessed from <title>\n' in done.stdout
    assert '    outlet: "2022-13-45"\n' in done.stdout
    assert '    author: "2022-02-29"\n' in done.stdout
    [(_key, fields)] = yaml.safe_load((folder / "sources.yaml").read_text("utf-8"))[
        "sources"
    ].items()
    assert (fields["title"], fields["outlet"], fields["author"]) == (
        "2022-02-30",
        "2022-13-45",
        "2022-02-29",
    )
    assert_checks(folder / "sources.yaml")


def test_write_waits_while_another_command_holds_the_folder(
    server: SourcesServer, tmp_path: Path
) -> None:
    """source --write takes the folder's lock, as topics rename does (factcmp.edit.guard):
    it adds its entry after the other command is done, never beside it."""
    import fcntl
    import time

    folder = claims_folder(tmp_path, sources=SHARED)
    url = f"{server.base}/page/wire.html"
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        process = subprocess.Popen(
            [FACTCMP or "factcmp", "source", url, "--claims-dir", str(folder), "--write", *FAST],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.5)
        assert process.poll() is None  # waiting for the lock
        assert (folder / "sources.yaml").read_text(encoding="utf-8") == SHARED
    finally:
        os.close(fd)
    _out, err = process.communicate()
    assert process.returncode == 0, err
    assert "ap-2022-09-14:" in (folder / "sources.yaml").read_text(encoding="utf-8")
