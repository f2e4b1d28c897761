"""factcmp's Datasette plugin (registered under Datasette's `datasette` entry point,
so Datasette loads it when factcmp is installed beside it; no factcmp command
imports it).

Datasette 0.65 links a foreign key to the row it names on a table's page, where it
looks up labels, but shows the bare key on a row's own page. A claim's page is where
a reader checks who said it and where, so in a database factcmp exported (one with
factcmp's `meta` table) this plugin links each foreign key cell that Datasette left
bare to its row, labelled with that row's label column. Values are escaped: claim
text is data, never markup.

It also makes search in such a database take any text. Datasette 0.65 turns a
search into an FTS5 query with its SQL function `escape_fts`, which gives an
invalid query for a search of only quotes or spaces (`"`), a quote before a line
break, or a NUL, and the page is an "Invalid SQL" error. For a database factcmp
exported, the plugin registers its own `escape_fts` (`fts_query`) on the
connection: each word and each "quoted phrase" must occur, FTS5's operators are
words like any other, and a search with no words finds nothing. `_searchmode=raw`
still passes FTS5 syntax through, errors and all, as Datasette documents.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from datasette import hookimpl

# table -> {column: (table it refers to, the column that labels a row there)}
_LINKS = {
    "claims": {
        "side": ("sides", "name"),
        "topic": ("topics", "label"),
        "speaker": ("speakers", "name"),
        "source": ("sources", "title"),
    },
    "pairs": {"topic": ("topics", "label"), "side_a": ("sides", "name"),
              "side_b": ("sides", "name")},
    "speakers": {"side": ("sides", "name")},
    "sources": {"side": ("sides", "name")},
}  # fmt: skip
_EXPORTED: dict[str, bool] = {}  # database name -> whether factcmp exported it
# a "quoted phrase" (to the next quote, across lines; to the end when unclosed), or a word
_PIECE = re.compile(r'"([^"]*)"?|([^\s"]+)')


def fts_query(search: str) -> str:
    """`search`, as a person types it in Datasette's search box, as an FTS5 query that
    SQLite always accepts: every word and every "quoted phrase" of it as a phrase, all
    of which must occur (no operators, column filters or prefix stars: they are text
    like the rest). With no word at all (`"`, spaces) the empty phrase, which matches
    nothing."""
    pieces = [phrase or word for phrase, word in _PIECE.findall(search.replace("\x00", " "))]
    quoted = [f'"{piece}"' for piece in pieces if piece.strip()]  # no piece holds a quote
    return " ".join(quoted) or '""'


def _exported(conn: sqlite3.Connection) -> bool:
    """Whether factcmp exported the database `conn` is open on (its meta table names a
    factcmp version)."""
    try:
        found = conn.execute(
            "select 1 from sqlite_master where type = 'table' and name = 'meta'"
        ).fetchone()
        return found is not None and (
            conn.execute("select 1 from meta where key = 'factcmp_version'").fetchone() is not None
        )
    except sqlite3.Error:
        return False


@hookimpl(trylast=True)  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    """After Datasette's own `prepare_connection` (trylast), so that in an export this
    `escape_fts` is the one its search calls."""
    if _exported(conn):
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)


@hookimpl  # type: ignore[untyped-decorator]
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    link = _LINKS.get(table or "", {}).get(column)
    if link is None or not isinstance(value, str) or not value:
        return None  # an expanded key (a dict) Datasette links itself

    async def linked() -> Any:
        import markupsafe
        from datasette.utils import tilde_encode

        db = datasette.get_database(database)
        if database not in _EXPORTED:
            found = await db.execute(
                "select count(*) from sqlite_master where type = 'table' and name = 'meta'"
            )
            exported = found.first()[0] == 1
            if exported:
                version = await db.execute("select value from meta where key = 'factcmp_version'")
                exported = version.first() is not None
            _EXPORTED[database] = exported
        if not _EXPORTED[database]:
            return None
        other, label_column = link
        key = "key" if other == "topics" else "id"
        found = await db.execute(
            f"select {label_column} from {other} where {key} = ?",  # names from _LINKS only
            [value],
        )
        row = found.first()
        label = row[0] if row is not None and row[0] else value
        href = f"{datasette.urls.table(database, other)}/{tilde_encode(value)}"
        return markupsafe.Markup('<a href="{}">{}</a>&nbsp;<em>{}</em>').format(href, label, value)

    return linked
