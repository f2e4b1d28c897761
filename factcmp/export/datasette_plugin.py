"""factcmp's Datasette plugin (registered under Datasette's `datasette` entry point,
so Datasette loads it when factcmp is installed beside it; no factcmp command
imports it).

Datasette 0.65 links a foreign key to the row it names on a table's page, where it
looks up labels, but shows the bare key on a row's own page. A claim's page is where
a reader checks who said it and where, so in a database factcmp exported (one with
factcmp's `meta` table) this plugin links each foreign key cell that Datasette left
bare to its row, labelled with that row's label column. Values are escaped: claim
text is data, never markup.
"""

from __future__ import annotations

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
