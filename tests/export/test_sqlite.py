"""`factcmp export sqlite`, checked through Datasette itself (its own test client):
facets, full-text search, a claim's page linking its speaker and source, nothing lost,
hostile text kept as text; the atomic replace, the `meta` table, the metadata file, and
the message when the extra is not installed."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from factcmp.load.discover import available_sides, shared_file
from factcmp.load.files import load_sides
from tests.conftest import CLAIMS, REPO
from tests.helpers import FACTCMP, export, get

pytest.importorskip("datasette")
pytest.importorskip("sqlite_utils")


FIXTURES = REPO / "tests" / "fixtures"
DISPUTES = {
    "sample": CLAIMS,
    **{
        name: FIXTURES / name / "claims"
        for name in ("galwan", "kerch", "balakot", "kramatorsk", "kakhovka")
    },
}


def claims_in_files(folder: Path) -> dict[str, int]:
    sides = available_sides(folder)
    loaded = load_sides([(s.id, s.path) for s in sides], None, shared_file(folder, sides))
    return {side.id: len(side.claims) for side in loaded}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(DISPUTES))
def test_nothing_is_lost_and_each_side_is_a_facet(name: str, tmp_path: Path) -> None:
    folder = DISPUTES[name]
    out = tmp_path / "claims.db"
    done = export(str(out), "--claims-dir", str(folder), "--no-cache")
    assert done.exit_code == 0, done.output
    expected = claims_in_files(folder)
    data = get(out, "/claims/claims.json?_facet=side&_size=0")
    facet = {row["value"]: row["count"] for row in data["facet_results"]["side"]["results"]}
    assert facet == expected
    with sqlite3.connect(out) as db:
        assert db.execute("select count(*) from claims").fetchone()[0] == sum(expected.values())
        assert db.execute("pragma foreign_key_check").fetchall() == []
        in_force = db.execute("select count(*) from claims where in_force").fetchone()[0]
        topics = db.execute("select count(*) from topics").fetchone()[0]
    diff = json.loads(
        CliRunner()
        .invoke(main, ["diff", "--claims-dir", str(folder), "--format", "json", "--no-cache"])
        .output
    )
    assert topics == len(diff["topics"])
    assert in_force == sum(len(c) for t in diff["topics"] for c in t["claims"].values())


def test_values_read_as_the_files_give_them(tmp_path: Path) -> None:
    out = tmp_path / "sample.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    (claim,) = get(out, "/sample/claims.json?id=armenia/troops-killed-0914&_shape=array")
    assert (claim["count_best"], claim["count_min"], claim["count_max"]) == (105, 105, 105)
    assert (claim["said"], claim["said_at"]) == ("2022-09-14", None)
    pairs = get(out, "/sample/pairs.json?topic=casualties.military&_shape=array")
    assert [(p["side_a"], p["side_b"], p["verdict"]) for p in pairs] == [
        ("armenia", "azerbaijan", "discrepancy")
    ]
    assert "Nikol Pashinyan, 14 Sep 2022" in pairs[0]["why"]
    reasons = json.loads(pairs[0]["reasons"])
    assert ["armenia/troops-killed-0914", "azerbaijan/troops-killed-0914"] in [
        r["claims"] for r in reasons
    ]


def test_full_text_search_finds_jermuk(tmp_path: Path) -> None:
    out = tmp_path / "sample.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    rows = get(out, "/sample/claims.json?_search=Jermuk&_shape=array")
    assert {row["id"] for row in rows} == {
        "armenia/drones-jermuk-0914",
        "armenia/shelling-jermuk-verin-shorzha-0914",
    }
    # the topic label is searched too
    rows = get(out, "/sample/claims.json?_search=outpost&_shape=array")
    assert {row["topic"] for row in rows} == {"russian-outpost"}


def test_a_claims_page_links_its_speaker_and_source(tmp_path: Path) -> None:
    """Through factcmp's Datasette plugin (installed with factcmp, loaded by Datasette)."""
    out = tmp_path / "sample.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    html = get(out, "/sample/claims/armenia~2Fdrones-jermuk-0914")
    assert '<a href="/sample/speakers/armenia~2Fmod">Ministry of Defence of Armenia</a>' in html
    assert (
        '<a href="/sample/sources/armenia~2Fap-0914">'
        "Armenia and Azerbaijan trade blame for clashes that killed 155</a>" in html
    )
    # and the speaker's page lists the claims that name it
    speaker = get(out, "/sample/speakers/armenia~2Fmod")
    assert '<a href="/sample/claims?speaker=armenia/mod">' in speaker


HOSTILE = [
    "<script>alert('x')</script>",
    '<a href="javascript:alert(1)">click</a>',
    "[link](javascript:alert(1)) **bold** <b>b</b>",
    "\x1b]8;;https://evil.example\x1b\\\\link\x1b]8;;\x1b\\\\",
]


def test_hostile_text_stays_text_in_datasettes_html(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    claims.mkdir()
    for side in ("north", "south"):
        entries = "".join(
            f"  - id: c{i}\n    topic: t{i}\n    text: {json.dumps(text)}\n"
            f"    quote: {json.dumps(text)}\n    by: spk\n"
            for i, text in enumerate(HOSTILE)
        )
        (claims / f"{side}.yaml").write_text(
            f"factcmp: 1\nside: {{name: {side.title()}}}\n"
            f"speakers:\n  spk: {{name: {json.dumps(HOSTILE[0])}}}\nclaims:\n{entries}",
            encoding="utf-8",
        )
    out = tmp_path / "h.db"
    assert export(str(out), "--claims-dir", str(claims)).exit_code == 0
    pages = [
        get(out, "/h/claims"),
        get(out, "/h/claims/north~2Fc0"),
        get(out, "/h/claims/north~2Fc1"),
        get(out, "/h/speakers/north~2Fspk"),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert 'href="javascript:' not in html
        assert "<b>b</b>" not in html
        assert 'href="https://evil.example' not in html  # an escape stays characters
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in pages[1]


def test_a_re_export_replaces_the_database_whole(tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    shutil.copytree(CLAIMS, claims)
    out = tmp_path / "out.db"
    assert export(str(out), "--claims-dir", str(claims)).exit_code == 0
    reader = sqlite3.connect(out)
    before = reader.execute("select count(*) from claims").fetchone()[0]
    text = (claims / "russia.yaml").read_text(encoding="utf-8")
    (claims / "russia.yaml").write_text(text.split("claims:")[0] + "claims: []\n", "utf-8")
    assert export(str(out), "--claims-dir", str(claims)).exit_code == 0
    # a reader that had it open still reads the whole old export; a new one the new
    assert reader.execute("select count(*) from claims").fetchone()[0] == before
    with sqlite3.connect(out) as fresh:
        after = fresh.execute("select count(*) from claims").fetchone()[0]
        assert fresh.execute("select count(*) from claims where side = 'russia'").fetchone() == (0,)
    assert after < before
    reader.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims", "out.db"]


def test_meta_records_the_selection_the_version_and_the_commit(tmp_path: Path) -> None:
    from factcmp import __version__

    claims = tmp_path / "claims"
    shutil.copytree(CLAIMS, claims)
    out = tmp_path / "out.db"
    args = ["--only", "contradiction", "--topic", "shelling", "--as-of", "2022-09-14"]
    assert export(str(out), "--claims-dir", str(claims), *args).exit_code == 0
    with sqlite3.connect(out) as db:
        meta = dict(db.execute("select key, value from meta").fetchall())
        verdicts = {v for (v,) in db.execute("select distinct verdict from topics")}
    assert meta["factcmp_version"] == __version__
    assert (meta["as_of"], json.loads(meta["only"]), json.loads(meta["topic"])) == (
        "2022-09-14",
        ["contradiction"],
        ["shelling"],
    )
    assert verdicts == {"contradiction"}
    assert meta["git_commit"] is None  # not a git repository
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}  # fmt: skip
    for command in (["init", "-q"], ["add", "claims"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, env=env)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert export(str(out), "--claims-dir", str(claims)).exit_code == 0
    with sqlite3.connect(out) as db:
        meta = dict(db.execute("select key, value from meta").fetchall())
    assert (meta["git_commit"], meta["git_uncommitted_changes"]) == (head, "false")


@pytest.mark.slow
def test_the_metadata_file_gives_datasette_the_facets_and_the_caveat(tmp_path: Path) -> None:
    out, metadata = tmp_path / "sample.db", tmp_path / "metadata.json"
    done = export(str(out), "--claims-dir", str(CLAIMS), "--metadata", str(metadata))
    assert done.exit_code == 0
    meta = json.loads(metadata.read_text(encoding="utf-8"))
    data = get(out, "/sample/claims.json?_size=0", metadata=meta)
    assert set(data["facet_results"]) == {"side", "topic", "verdict", "speaker"}
    for page in ("claims", "topics", "pairs", "pairs/1", "speakers", "sources", "meta"):
        html = get(out, f"/sample/{page}", metadata=meta)
        assert "it does not verify whether any claim is true" in html, page
    assert meta["title"] == "Armenia vs Azerbaijan vs Russia: what each side claims"


@pytest.mark.slow
def test_the_installed_command_and_datasettes_own_cli(tmp_path: Path) -> None:
    assert FACTCMP
    out = tmp_path / "sample.db"
    done = subprocess.run(
        [FACTCMP, "export", "sqlite", str(out), "armenia", "azerbaijan"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"wrote {out}: ")
    datasette = shutil.which("datasette")
    assert datasette
    page = subprocess.run(
        [datasette, str(out), "--get", "/sample/sides.json?_shape=array"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert [row["id"] for row in json.loads(page.stdout)] == ["armenia", "azerbaijan"]


def test_without_the_extra_export_says_how_to_install_it(tmp_path: Path) -> None:
    blocked = (
        "import sys; sys.modules['sqlite_utils'] = None\n"
        "from factcmp.cli import main\n"
        "main(['export', 'sqlite', sys.argv[1], '--claims-dir', sys.argv[2]])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocked, str(tmp_path / "x.db"), str(CLAIMS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "pip install 'factcmp[datasette]'" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_an_unwritable_output_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        main, ["export", "sqlite", str(tmp_path / "no" / "such" / "x.db"), "--claims-dir",
               str(CLAIMS)],
    )  # fmt: skip
    assert done.exit_code == 2
    assert "Traceback" not in done.output
    assert "cannot write" in done.output


@pytest.mark.parametrize("kind", ["claim file", "fifo", "folder", "trailing slash", "text"])
def test_what_is_not_an_export_is_never_replaced(kind: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    shutil.copytree(CLAIMS, claims)
    out = tmp_path / "out.db"
    if kind == "claim file":
        out = claims / "armenia.yaml"
    elif kind == "fifo":
        os.mkfifo(out)
    elif kind == "folder":
        out.mkdir()
    elif kind == "text":
        out.write_text("notes\n", encoding="utf-8")
    before = out.read_bytes() if out.is_file() and kind != "fifo" else None
    name = str(out) + ("/" if kind == "trailing slash" else "")
    done = CliRunner().invoke(main, ["export", "sqlite", name, "--claims-dir", str(claims)])
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    if before is not None:
        assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    if kind == "fifo":
        assert stat.S_ISFIFO(out.lstat().st_mode)


def test_a_link_to_an_export_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    real, link = tmp_path / "real.db", tmp_path / "link.db"
    assert export(str(real), "--claims-dir", str(CLAIMS), "armenia", "azerbaijan").exit_code == 0
    link.symlink_to(real)
    assert export(str(link), "--claims-dir", str(CLAIMS)).exit_code == 0
    assert link.is_symlink()
    with sqlite3.connect(real) as db:
        assert db.execute("select count(*) from sides").fetchone() == (3,)
    empty = tmp_path / "empty.db"
    empty.touch()  # an empty file is an empty database: replaced
    assert export(str(empty), "--claims-dir", str(CLAIMS)).exit_code == 0
