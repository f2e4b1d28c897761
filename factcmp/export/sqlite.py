"""`factcmp export sqlite`: the comparison as a SQLite database for Datasette and
sqlite-utils (the optional extra `factcmp[datasette]`).

Tables (factcmp.export.rows says how rows are keyed): `sides`, `speakers`, `sources`,
`topics`, `claims` (every claim, in force or not), `pairs` (each pair of sides on a
topic, its verdict and reasons with the claims behind them) and `meta` (what was
exported, by which factcmp, from which commit). Claims link to their side, speaker,
source and topic by foreign keys, so Datasette shows their labels; claims are
searchable by text, quote and topic label (FTS5), and indexed by the columns a
reader facets on.

The database is built in a temporary file beside OUT and moved over it in one
step: a reader of OUT sees the old export or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcmp.export.rows import Tables
from factcmp.facets import SQLITE_LAYOUT, sqlite_columns

if TYPE_CHECKING:
    import sqlite_utils

FACETS = ("side", "topic", "verdict", "speaker", "status", "in_force", "source")
SEARCHED = ("text", "quote", "topic_label")


SQLITE_HEADER = b"SQLite format 3\x00"
EXPORTED_BY = "factcmp_version"  # the `meta` key every export has: what says factcmp wrote it


class NotReplaced(ValueError):
    """OUT is something an export must not replace (its message says what)."""


class NotWritten(Exception):
    """The export could not be written (a full disk, a file size limit, no room for
    the temporary file): its message says why, in one line. Nothing is left behind
    and OUT is unchanged."""


def target(out: str) -> Path:
    """The file an export of OUT writes: OUT, or the file a link at OUT points to (the
    link is kept). Replaced: nothing yet, an empty file, or an earlier export (a SQLite
    database whose `meta` table has factcmp's version: `replaceable`). Refused, with
    what OUT is and what to do: a folder, a device, a FIFO or socket, a file that is
    not a SQLite database (a claim file named by mistake), and a database factcmp did
    not write, or cannot read to tell (corrupt, locked by another program)."""
    if not out or out.endswith(("/", os.sep)):
        raise NotReplaced(f"{out!r} names a folder: give a file name, e.g. claims.db")
    path = Path(os.path.realpath(out))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise NotReplaced(f"cannot use {out}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise NotReplaced(f"{out} is a folder: give a file name inside it, e.g. {out}/claims.db")
    if not stat.S_ISREG(mode):
        raise NotReplaced(f"{out} is not a regular file (a device, FIFO or socket): "
                          "export writes a database file")  # fmt: skip
    replaceable(path, out)
    return path


def replaceable(path: Path, out: str) -> None:
    """Raise NotReplaced unless the regular file `path` (named `out` to the user) is
    missing, empty or an earlier export. The database is opened read-only (a
    `mode=ro` URI: nothing is written, no journal made; a database in WAL mode, which
    factcmp never writes, is read `immutable` so that no -wal or -shm file appears
    either), and only its `meta` table is read."""
    try:
        with path.open("rb") as existing:
            header = existing.read(100)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise NotReplaced(f"cannot read {out}: {exc.strerror or exc}") from None
    if not header:
        return  # an empty file is an empty database: nothing to lose
    if not header.startswith(SQLITE_HEADER):
        raise NotReplaced(
            f"{out} exists and is not a SQLite database: an export replaces only an earlier "
            "export; remove the file or name another one"
        )
    wal = len(header) > 19 and 2 in (header[18], header[19])  # the file format's WAL flags
    if wal and os.path.lexists(f"{path}-wal"):
        raise NotReplaced(
            f"{out} is a SQLite database in WAL mode with a {path.name}-wal beside it: another "
            f"program has it open, or did not close it; {_what_to_do(out)}"
        )
    if _exported_by_factcmp(path, out, immutable=wal) is None:
        raise NotReplaced(
            f"{out} is a SQLite database that factcmp did not export (it has no meta table "
            f"naming factcmp's version): an export replaces only an earlier export; "
            f"{_what_to_do(out)}"
        )


def _exported_by_factcmp(path: Path, out: str, *, immutable: bool) -> str | None:
    """The factcmp version the database's `meta` table names; None when it has none."""
    import sqlite3

    uri = path.as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    try:
        db = sqlite3.connect(uri, uri=True, timeout=1.0)
    except sqlite3.Error as exc:
        raise NotReplaced(_unreadable(out, path, exc)) from None
    try:
        try:
            tables = db.execute(
                "select count(*) from sqlite_master where type = 'table' and name = 'meta'"
            ).fetchone()[0]
        except sqlite3.Error as exc:
            raise NotReplaced(_unreadable(out, path, exc)) from None
        if not tables:
            return None
        try:
            found = db.execute("select value from meta where key = ?", [EXPORTED_BY]).fetchone()
        except sqlite3.Error:  # a `meta` of some other program's, without these columns
            return None
    finally:
        db.close()
    value = found[0] if found else None
    return value if isinstance(value, str) and value else None


def _unreadable(out: str, path: Path, exc: Exception) -> str:
    """Why a database could not be read, and what to do, in one line."""
    reason = str(exc)
    name = getattr(exc, "sqlite_errorname", "")  # Python 3.11+
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in reason:
        return (f"{out} is a SQLite database locked by another program: try again when it "
                f"is done, or choose another name")  # fmt: skip
    if name == "SQLITE_READONLY_ROLLBACK" or os.path.lexists(f"{path}-journal"):
        return (f"{out} is a SQLite database with an unfinished write ({path.name}-journal "
                f"beside it), so factcmp cannot tell whether it wrote it: "
                f"{_what_to_do(out)}")  # fmt: skip
    return (f"{out} looks like a SQLite database but cannot be read ({reason}), so factcmp "
            f"cannot tell whether it wrote it: {_what_to_do(out)}")  # fmt: skip


def _what_to_do(out: str) -> str:
    return f"choose another name, or delete {out} yourself if it is to be replaced"


def write_database(out: Path, tables: Tables, meta: dict[str, Any], *, name: str = "") -> None:
    """Write the tables to a new database, then put it at `out` (from `target`, which
    the user called `name`) atomically, after checking once more that `out` is still
    something an export may replace (NotReplaced). Every error of SQLite or of the
    file system becomes NotWritten, the temporary file removed and `out` untouched."""
    import sqlite3

    name = name or str(out)
    folder = out.parent if str(out.parent) else Path(".")
    temp: Path | None = None
    try:
        handle, made = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
        temp = Path(made)
        _build(temp, tables, meta)
        with temp.open("rb") as data:
            os.fsync(data.fileno())
        replaceable(out, name)  # it may have changed while the comparison ran
        os.replace(temp, out)
    except (sqlite3.Error, OSError) as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise NotWritten(f"cannot write {name}: {reason}; {name} is unchanged") from None
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise


def _build(path: Path, tables: Tables, meta: dict[str, Any]) -> None:
    import sqlite_utils

    path.unlink(missing_ok=True)  # mkstemp's empty file: sqlite_utils makes its own
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = OFF")  # a new file, replaced whole: no journal
    db.execute("PRAGMA synchronous = OFF")  # fsynced once, before the move
    with db.conn:
        _table(db, "sides", tables.sides, pk="id", not_null={"name"})
        _table(db, "speakers", tables.speakers.values(), pk="id",
               foreign_keys=[("side", "sides", "id")])  # fmt: skip
        _table(db, "sources", tables.sources.values(), pk="id",
               foreign_keys=[("side", "sides", "id")])  # fmt: skip
        _table(db, "topics", tables.topics, pk="key", not_null={"label", "verdict"})
        _table(db, "claims", tables.claims, pk="id", not_null={"side", "topic", "text"},
               foreign_keys=[("side", "sides", "id"), ("topic", "topics", "key"),
                             ("speaker", "speakers", "id"), ("source", "sources", "id")],
               column_order=_CLAIM_COLUMNS)  # fmt: skip
        _table(db, "pairs", tables.pairs, pk="id",
               foreign_keys=[("topic", "topics", "key"), ("side_a", "sides", "id"),
                             ("side_b", "sides", "id")])  # fmt: skip
        _table(db, "meta", [{"key": k, "value": v} for k, v in meta.items()], pk="key")
    claims = db.table("claims")
    for column in FACETS:
        claims.create_index([column], if_not_exists=True)
    db.table("pairs").create_index(["topic"], if_not_exists=True)
    db.table("pairs").create_index(["verdict"], if_not_exists=True)
    db.table("topics").create_index(["verdict"], if_not_exists=True)
    claims.enable_fts(list(SEARCHED), create_triggers=False, tokenize="unicode61")
    db.conn.commit()
    db.close()


# the claims' own columns; the facets give the others (factcmp.facets.SQLITE_LAYOUT)
_OWN_CLAIM_TYPES: dict[str, type] = {
    "id": str,
    "side": str,
    "topic_label": str,
    "verdict": str,
    "in_force": int,
    "file": str,
    "line": int,
}


def _claim_types() -> dict[str, type]:
    given = sqlite_columns()
    return {
        name: given[name].kind if name in given else _OWN_CLAIM_TYPES[name]
        for name in SQLITE_LAYOUT
    }


_TYPES: dict[str, dict[str, type]] = {
    "sides": {"id": str, "name": str, "file": str, "aliases": str, "claims_in_force": int,
              "claims": int, "role": str},
    "speakers": {"id": str, "side": str, "key": str, "name": str, "role": str, "shared": int},
    "sources": {"id": str, "side": str, "key": str, "outlet": str, "title": str, "author": str,
                "url": str, "published": str, "archived": str, "shared": int},
    "topics": {"key": str, "label": str, "proposition": str, "description": str,
               "verdict": str, "reasons": str, "in_topics_yaml": int},
    "claims": _claim_types(),
    "pairs": {"id": int, "topic": str, "side_a": str, "side_b": str, "verdict": str,
              "why": str, "reasons": str, "agreeing": str},
    "meta": {"key": str, "value": str},
}  # fmt: skip
_CLAIM_COLUMNS = tuple(_TYPES["claims"])


def _table(
    db: sqlite_utils.Database,
    name: str,
    rows: Iterable[dict[str, Any]],
    *,
    pk: str,
    not_null: set[str] | None = None,
    foreign_keys: list[tuple[str, str, str]] | None = None,
    column_order: tuple[str, ...] | None = None,
) -> None:
    """Create the table with its declared columns (so that an empty export has
    every table, and a column that happens to be all NULL keeps its type), then
    insert the rows: one prepared statement for all of them (sqlite-utils' own
    insert_all, which batches by SQLite's variable limit and inspects every value,
    took three times as long at 100,000 claims)."""
    table = db.table(name)
    table.create(
        _TYPES[name],
        pk=pk,
        not_null=not_null or set(),
        foreign_keys=foreign_keys or [],
        column_order=list(column_order) if column_order else None,
    )
    columns = list(_TYPES[name])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    values = itemgetter(*columns)  # every row has every column (factcmp.export.rows)
    db.conn.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', map(values, rows))


def meta_rows(
    *, files: list[str], commit: str | None, dirty: bool | None, selection: dict[str, Any]
) -> dict[str, Any]:
    """What was exported: by which factcmp, when, from which files and commit."""
    import json

    from factcmp import __version__

    return {
        "factcmp_version": __version__,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "files": json.dumps(files, ensure_ascii=False),
        "git_commit": commit,
        "git_uncommitted_changes": None if dirty is None else json.dumps(dirty),
        "as_of": selection.get("as_of"),
        "only": json.dumps(selection["only"]) if selection.get("only") else None,
        "topic": json.dumps(selection["topics"]) if selection.get("topics") else None,
    }
