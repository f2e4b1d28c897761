"""What `factcmp export sqlite` replaces and what it refuses (issue 20): only an
earlier export, never another program's database, a corrupt, locked or half-written
one; `--metadata` only factcmp's own metadata, never a claim file; a full disk is one
line and exit 2, the old export kept; and any search typed in Datasette is a page,
not an error."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CLAIMS
from tests.helpers import FACTCMP, export, get

pytest.importorskip("datasette")
pytest.importorskip("sqlite_utils")


def one_error_line(done: Result) -> str:
    """The one line an error is: no traceback, nothing else on standard error."""
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def foreign_database(path: Path, kind: str) -> None:
    """A SQLite database factcmp did not write, of the given kind."""
    db = sqlite3.connect(path)
    if kind == "invoices":
        db.execute("create table invoices (id integer primary key, amount real)")
        db.execute("insert into invoices values (1, 100.5)")
    elif kind == "another meta":  # a meta table of another program's
        db.execute("create table meta (key text primary key, value text)")
        db.execute("insert into meta values ('app_version', '3.1')")
    elif kind == "meta without a key":
        db.execute("create table meta (name, version)")
    elif kind == "wal":
        db.execute("pragma journal_mode = wal")
        db.execute("create table notes (body)")
    db.commit()
    db.close()


@pytest.mark.parametrize("kind", ["invoices", "another meta", "meta without a key", "wal"])
def test_a_database_factcmp_did_not_export_is_never_replaced(kind: str, tmp_path: Path) -> None:
    out = tmp_path / "invoices.db"
    foreign_database(out, kind)
    before = out.read_bytes()
    done = export(str(out), "--claims-dir", str(CLAIMS))
    assert done.exit_code == 2
    line = one_error_line(done)
    assert f"{out} is a SQLite database that factcmp did not export" in line
    assert f"choose another name, or delete {out} yourself" in line
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["invoices.db"]  # no journal, -wal, -shm


def test_an_earlier_export_in_wal_mode_is_replaced_and_read_without_a_trace(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.db"
    assert export(str(out), "--claims-dir", str(CLAIMS), "armenia", "azerbaijan").exit_code == 0
    with sqlite3.connect(out) as db:
        db.execute("pragma journal_mode = wal")  # as `sqlite-utils enable-wal` makes it
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.db"]
    from factcmp.export.sqlite import replaceable

    replaceable(out, str(out))  # an export: read immutable, so no -wal or -shm appears
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.db"]
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    with sqlite3.connect(out) as db:
        assert db.execute("select count(*) from sides").fetchone() == (3,)


def test_a_corrupt_database_is_refused_with_what_to_do(tmp_path: Path) -> None:
    out = tmp_path / "broken.db"
    out.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    before = out.read_bytes()
    done = export(str(out), "--claims-dir", str(CLAIMS))
    assert done.exit_code == 2
    line = one_error_line(done)
    assert f"{out} looks like a SQLite database but cannot be read" in line
    assert "choose another name" in line
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["broken.db"]


@pytest.mark.slow
def test_a_locked_database_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    holder = sqlite3.connect(out, isolation_level=None)
    holder.execute("begin exclusive")  # another program writing it
    try:
        done = export(str(out), "--claims-dir", str(CLAIMS))
    finally:
        holder.execute("rollback")
        holder.close()
    assert done.exit_code == 2
    assert f"{out} is a SQLite database locked by another program" in one_error_line(done)


HALF_WRITTEN = """
import os, shutil, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("pragma cache_size = 1")  # pages spill into the file before the commit
db.execute("begin")
for i in range(3000):
    db.execute("insert into sides (id, name) values (?, randomblob(500))", [f"x{i}"])
os._exit(0)  # killed mid-write: the rollback journal is left, hot
"""


def test_a_database_with_an_unfinished_write_is_refused_and_not_recovered(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    subprocess.run([sys.executable, "-c", HALF_WRITTEN, str(out)], check=True, timeout=60)
    journal = tmp_path / "out.db-journal"
    assert journal.is_file()
    before = (out.read_bytes(), journal.read_bytes())
    done = export(str(out), "--claims-dir", str(CLAIMS))
    assert done.exit_code == 2
    assert "with an unfinished write (out.db-journal beside it)" in one_error_line(done)
    assert (out.read_bytes(), journal.read_bytes()) == before  # read-only: nothing rolled back


@pytest.mark.parametrize("kind", ["claim file", "new yaml", "other json", "text", "the database"])
def test_metadata_never_replaces_what_factcmp_did_not_write(kind: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims"
    shutil.copytree(CLAIMS, claims)
    out = tmp_path / "out.db"
    metadata = {
        "claim file": claims / "armenia.yaml",
        "new yaml": claims / "georgia.yaml",
        "other json": tmp_path / "metadata.json",
        "text": tmp_path / "notes.json",
        "the database": out,
    }[kind]
    if kind == "other json":
        metadata.write_text('{"title": "our own Datasette settings"}\n', encoding="utf-8")
    elif kind == "text":
        metadata.write_text("notes\n", encoding="utf-8")
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    done = export(str(out), "--claims-dir", str(claims), "--metadata", str(metadata))
    assert done.exit_code == 2
    assert f"--metadata {metadata}" in one_error_line(done)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files
    assert not out.exists()  # refused before anything is written
    assert not (claims / "georgia.yaml").exists()


def test_metadata_replaces_an_earlier_metadata_file(tmp_path: Path) -> None:
    from factcmp.export.metadata import MARKER, datasette_metadata

    out, metadata = tmp_path / "sample.db", tmp_path / "metadata.json"
    assert export(str(out), "--claims-dir", str(CLAIMS), "--metadata", str(metadata)).exit_code == 0
    assert json.loads(metadata.read_text(encoding="utf-8"))[MARKER]["version"]
    done = export(str(out), "--claims-dir", str(CLAIMS), "--metadata", str(metadata),
                  "--title", "Again")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(metadata.read_text(encoding="utf-8"))["title"] == "Again"
    older = datasette_metadata("sample", "Before the marker")  # as factcmp wrote it then
    del older[MARKER]
    metadata.write_text(json.dumps(older), encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(metadata.name)
    assert export(str(out), "--claims-dir", str(CLAIMS), "--metadata", str(link)).exit_code == 0
    assert link.is_symlink()
    assert MARKER in json.loads(metadata.read_text(encoding="utf-8"))
    empty = tmp_path / "empty.json"
    empty.touch()
    assert export(str(out), "--claims-dir", str(CLAIMS), "--metadata", str(empty)).exit_code == 0


FACTCMP_LIMITED = """
import resource, subprocess, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ: EFBIG
done = subprocess.run(sys.argv[2:])
sys.exit(done.returncode)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_file_size_limit_is_exit_2_in_one_line_and_the_old_export_kept(tmp_path: Path) -> None:
    """A disk that fills up, unprivileged: no file may grow past 40 KB (the sample's
    export is 120 KB), so SQLite's writes fail (an OperationalError, disk I/O error)."""
    assert FACTCMP
    out = tmp_path / "out.db"
    assert export(str(out), "--claims-dir", str(CLAIMS), "armenia", "azerbaijan").exit_code == 0
    before = out.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", FACTCMP_LIMITED, str(40_000), FACTCMP, "export", "sqlite",
         str(out), "--claims-dir", str(CLAIMS), "--no-cache"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"Error: cannot write {out}: disk I/O error; {out} is unchanged\n"
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.db"]  # the temporary file removed


@pytest.mark.slow
def test_a_full_disk_is_exit_2_in_one_line(tmp_path: Path) -> None:
    """A real full disk: a 64 KB tmpfs, mounted in a user namespace of its own (no
    root needed where unprivileged user namespaces are allowed; skipped elsewhere)."""
    unshare = shutil.which("unshare")
    if unshare is None or not FACTCMP:
        pytest.skip("no unshare(1) to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = 'mount -t tmpfs -o size=64k tmpfs "$1" && shift && exec "$@"'
    probe = [unshare, "--user", "--map-root-user", "--mount", "sh", "-c", mount, "sh", str(disk)]
    if subprocess.run([*probe, "true"], capture_output=True, timeout=60).returncode != 0:
        pytest.skip("cannot mount a tmpfs in a user namespace here")
    out = disk / "out.db"
    done = subprocess.run(
        [*probe, FACTCMP, "export", "sqlite", str(out), "--claims-dir", str(CLAIMS), "--no-cache"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"Error: cannot write {out}: database or disk is full; {out} is unchanged\n"
    )


SEARCHES = ['"', '""', '"""', " ", "\t", '"\n)', '"\n-', '":\n:', "\x00", "a\x00b", "NEAR(",
            "AND", "*", "text:x", "^x"]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("search", SEARCHES)
def test_any_search_in_datasette_is_a_page_not_an_error(search: str, tmp_path: Path) -> None:
    from urllib.parse import quote

    out = tmp_path / "sample.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0
    for path in (f"/sample/claims.json?_shape=array&_search={quote(search)}",
                 f"/sample/claims.json?_shape=array&_search_text={quote(search)}",
                 f"/sample/claims?_search={quote(search)}"):  # fmt: skip
        get(out, path)  # 200, or it fails


def test_quotes_in_a_search_make_a_phrase_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "sample.db"
    assert export(str(out), "--claims-dir", str(CLAIMS)).exit_code == 0

    def found(search: str) -> set[str]:
        from urllib.parse import quote

        rows = get(out, f"/sample/claims.json?_shape=array&_search={quote(search)}")
        return {row["id"] for row in rows}

    jermuk = {"armenia/drones-jermuk-0914", "armenia/shelling-jermuk-verin-shorzha-0914"}
    assert found('"') == set()
    assert found('Jermuk "') == found('"Jermuk') == found('"Jermuk"') == jermuk
    assert found("Jermuk drones") == found("drones Jermuk") == {"armenia/drones-jermuk-0914"}
    assert found('"town of Jermuk"') == {"armenia/drones-jermuk-0914"}  # a phrase
    assert found('"Jermuk of town"') == set()  # its words, but not in that order
    assert found("AND") == found('"and"')  # an operator is a word like any other


@given(st.text(max_size=40))
@settings(max_examples=400, deadline=None)
def test_every_text_is_a_query_sqlite_accepts(search: str) -> None:
    from factcmp.export.datasette_plugin import fts_query

    db = sqlite3.connect(":memory:")
    db.execute("create virtual table t using fts5(a, tokenize = 'unicode61')")
    db.execute("insert into t values (?)", [search])
    db.execute("select count(*) from t where t match ?", [fts_query(search)]).fetchone()
    db.close()
