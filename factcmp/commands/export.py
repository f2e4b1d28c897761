"""`export sqlite`: the comparison as a SQLite database, for Datasette and sqlite-utils."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from factcmp.commands.common import (
    BadInput,
    compare_asked,
)
from factcmp.commands.options import (
    Asked,
    selection_options,
)

if TYPE_CHECKING:
    from factcmp.export.rows import Tables
    from factcmp.pipeline import Selected
    from factcmp.result import Comparison

EXPORT_EPILOG = """\b
Examples:
  factcmp export sqlite claims.db --metadata metadata.json
  datasette claims.db --metadata metadata.json      # browse, facet, search
  factcmp export sqlite contradictions.db armenia azerbaijan --only contradiction

Needs the optional extra: pip install 'factcmp[datasette]'. Exit codes: 0 written;
2 bad input (a claim file with problems), an OUT.db or --metadata FILE that is not
factcmp's own earlier export (never replaced), a file that cannot be written (a full
disk: the old export is kept), bad usage or the extra missing. Docs: docs/export.md.
"""

INSTALL_HINT = (
    "factcmp export needs sqlite-utils, which is not installed: "
    "pip install 'factcmp[datasette]' (Datasette comes with it)"
)


@click.group(short_help="Export the comparison for other tools (SQLite for Datasette).")
def export() -> None:
    """Export the comparison for other tools."""


@export.command("sqlite", epilog=EXPORT_EPILOG)
@click.argument("out", metavar="OUT.db")
@selection_options
@click.option(
    "--metadata",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write Datasette metadata (JSON): title, the caveat, facets, column notes. "
    "Replaces only an earlier metadata file of factcmp's.",
)
@click.option("--title", metavar="TEXT", help="The title Datasette shows (with --metadata).")
def sqlite(asked: Asked, out: str, metadata: Path | None, title: str | None) -> None:
    """Write the comparison of the SIDEs to the SQLite database OUT.db: sides,
    speakers, sources, topics, every claim (in force or not) and each pair of sides'
    verdict with its reasons, linked by foreign keys, searchable (full text) and
    indexed for facets. OUT.db is replaced whole, in one step, and only when it
    is an earlier export (its `meta` table says factcmp wrote it): any other file
    or database is refused, untouched.

    SIDEs, --only, --topic and --as-of select as for `diff`; what was selected is
    recorded in the `meta` table with factcmp's version and the last git commit of
    the files (the one the brief names).
    """
    try:
        import sqlite_utils  # noqa: F401 (only whether it is there)
    except ImportError:
        raise BadInput(INSTALL_HINT) from None
    from factcmp.export.rows import tables
    from factcmp.load.files import collector_paused
    from factcmp.plain import display_path, escaped

    path = _target(out, metadata)
    with collector_paused():
        selected = compare_asked(asked)
        rows = tables(selected.comparison)
    _write(path, rows, _meta(selected), out, metadata, title, selected.comparison)
    click.echo(
        f"wrote {escaped(display_path(out))}: {len(rows.claims):,} claims, "
        f"{len(rows.topics):,} topics, {len(rows.pairs):,} verdicts of two sides on a topic",
        err=True,
    )


def _target(out: str, metadata: Path | None) -> Path:
    """The database file OUT.db writes (factcmp.export.sqlite.target), once it and
    --metadata FILE are known to be replaceable: before anything is compared."""
    from factcmp.export import metadata as datasette
    from factcmp.export.sqlite import NotReplaced, target
    from factcmp.plain import display_path, escaped

    try:
        path = target(out)
        if metadata is not None:
            datasette.target(str(metadata), path)
    except NotReplaced as exc:
        raise BadInput(escaped(display_path(str(exc)))) from None
    return path


def _meta(selected: Selected) -> dict[str, Any]:
    """The `meta` table: what was selected, from which files and commit."""
    from factcmp.export.sqlite import meta_rows
    from factcmp.load.provenance import provenance
    from factcmp.render.jsonout import selection_json

    source = provenance(selected.files)  # as the brief says it: the same commit
    return meta_rows(
        files=source.files,
        commit=source.commit,
        dirty=source.dirty if source.commit else None,
        selection=selection_json(selected.comparison),
    )


def _write(
    path: Path,
    rows: Tables,
    meta: dict[str, Any],
    out: str,
    metadata: Path | None,
    title: str | None,
    comparison: Comparison,
) -> None:
    """Write the database (and the Datasette metadata with --metadata), each checked
    once more to be replaceable: the comparison took a while."""
    from factcmp.atomic import write_output
    from factcmp.export import metadata as datasette
    from factcmp.export.sqlite import NotReplaced, NotWritten, write_database
    from factcmp.load.files import collector_paused
    from factcmp.plain import display_path, escaped

    try:
        with collector_paused():  # hundreds of thousands of rows, and no cycles
            write_database(path, rows, meta, name=out)
        if metadata is not None:
            datasette.target(str(metadata), path)  # again: the comparison took a while
            write_output(str(metadata), _metadata_json(Path(out), title, comparison))
    except (NotReplaced, NotWritten) as exc:
        raise BadInput(escaped(display_path(str(exc)))) from None
    except OSError as exc:  # the metadata's: the database's errors are NotWritten
        raise BadInput(f"cannot write {escaped(display_path(str(metadata)))}: "
                       f"{exc.strerror or exc}") from None  # fmt: skip


def _metadata_json(out: Path, title: str | None, comparison: Any) -> str:
    import json

    from factcmp.export.metadata import datasette_metadata

    names = " vs ".join(side.name for side in comparison.sides)
    body = datasette_metadata(out.stem, title or f"{names}: what each side claims")
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
