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

if TYPE_CHECKING:
    import sqlite_utils

FACETS = ("side", "topic", "verdict", "speaker", "status", "in_force", "source")
SEARCHED = ("text", "quote", "topic_label")


SQLITE_HEADER = b"SQLite format 3\x00"


class NotReplaced(ValueError):
    """OUT is something an export must not replace (its message says what)."""


def target(out: str) -> Path:
    """The file an export of OUT writes: OUT, or the file a link at OUT points to (the
    link is kept). Refused: a folder, a device, a FIFO or socket, and an existing file
    that is not a SQLite database (a claim file named by mistake), which an export would
    destroy; an empty file, or an earlier export, is replaced."""
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
    try:
        with path.open("rb") as existing:
            header = existing.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotReplaced(f"cannot read {out}: {exc.strerror or exc}") from None
    if header and header != SQLITE_HEADER:
        raise NotReplaced(
            f"{out} exists and is not a SQLite database: an export replaces only an earlier "
            "export; remove the file or name another one"
        )
    return path


def write_database(out: Path, tables: Tables, meta: dict[str, Any]) -> None:
    """Write the tables to a new database, then put it at `out` (from `target`)
    atomically."""
    folder = out.parent if str(out.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        _build(temp, tables, meta)
        with temp.open("rb") as data:
            os.fsync(data.fileno())
        os.replace(temp, out)
    except BaseException:
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


_TYPES: dict[str, dict[str, type]] = {
    "sides": {"id": str, "name": str, "file": str, "aliases": str, "claims_in_force": int,
              "claims": int},
    "speakers": {"id": str, "side": str, "key": str, "name": str, "role": str, "shared": int},
    "sources": {"id": str, "side": str, "key": str, "outlet": str, "title": str, "author": str,
                "url": str, "published": str, "archived": str, "shared": int},
    "topics": {"key": str, "label": str, "proposition": str, "description": str,
               "verdict": str, "reasons": str, "in_topics_yaml": int},
    "claims": {"id": str, "side": str, "claim_id": str, "topic": str, "topic_label": str,
               "verdict": str, "in_force": int, "status": str, "text": str, "quote": str,
               "original": str, "lang": str, "speaker": str, "source": str, "statement": str,
               "said": str, "said_at": str,
               # INTEGER affinity keeps 105 an integer and 2.5 a real (REAL makes 105.0)
               "count_best": int, "count_min": int, "count_max": int,
               "subject": str, "actor": str, "places": str,
               "stance": str, "period_from": str, "period_to": str, "file": str, "line": int},
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
