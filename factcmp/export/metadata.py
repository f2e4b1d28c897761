"""Datasette metadata for an exported database (`factcmp export sqlite --metadata`):
its title and description, the caveat a reader must see, the facets a desk
explores by, which column labels each table's rows, and what every column means;
and which existing files `--metadata` may replace (`target`): only an earlier
metadata file of factcmp's, recognised by the `factcmp` key it writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from factcmp.export.sqlite import NotReplaced
from factcmp.facets import SQLITE_LAYOUT, sqlite_columns

MARKER = "factcmp"  # the top-level key of factcmp's metadata: {"written_by": WRITTEN_BY, ...}
WRITTEN_BY = "factcmp export sqlite --metadata"
_LARGEST = 1 << 20  # factcmp's metadata is about 6 KB: a bigger file is not one

CAVEAT = (
    "These are claims as each side made them, attributed to their speakers and sources. "
    "factcmp compares what the sides say; it does not verify whether any claim is true."
)

# what the claims' own columns mean; the facets say what theirs do (factcmp.facets)
_OWN_CLAIM_COLUMNS = {
    "id": "side/claim id: unique across the export",
    "side": "the side whose claim it is",
    "topic_label": "the topic's label",
    "verdict": "the topic's verdict across the sides",
    "in_force": "1 when the claim is the side's current one on the topic",
    "file": "the claim file",
    "line": "the claim's line in it",
}


def _claim_columns() -> dict[str, str]:
    """What every column of the claims table means, in its order."""
    given = sqlite_columns()
    out = {}
    for name in SQLITE_LAYOUT:
        about = given[name].about if name in given else _OWN_CLAIM_COLUMNS[name]
        if about is not None:
            out[name] = about
    return out


_COLUMNS: dict[str, dict[str, str]] = {
    "claims": _claim_columns(),
    "pairs": {
        "verdict": "the verdict between these two sides on the topic",
        "why": "the reasons, each with who said what and when",
        "reasons": "the reasons as JSON, each with the two claims behind it (side/claim id)",
        "agreeing": "where they agree all the same",
    },
    "topics": {
        "proposition": (
            "what a stance affirms, denies or leaves undetermined, when the topic has one"
        ),
        "verdict": "the verdict across the sides",
        "reasons": "why",
        "in_topics_yaml": "1 when topics.yaml lists it",
    },
    "sources": {"shared": "1 when defined once in sources.yaml for every side"},
    "speakers": {"shared": "1 when defined once in sources.yaml for every side"},
}


def datasette_metadata(database: str, title: str) -> dict[str, Any]:
    """The metadata of the database named `database` (the file's stem)."""
    from factcmp import __version__

    return {
        "title": title,
        "description": CAVEAT,
        MARKER: {"written_by": WRITTEN_BY, "version": __version__},  # Datasette ignores it
        "databases": {
            database: {
                "description": CAVEAT,
                "tables": {
                    "claims": {
                        "description": "Every claim of every side, in force or not (facet "
                        "counts are claims: the topics table counts topics). " + CAVEAT,
                        "facets": ["side", "topic", "verdict", "speaker"],
                        "sort": "id",
                        "label_column": "text",
                        "columns": _COLUMNS["claims"],
                    },
                    "pairs": {
                        "description": "Each pair of sides on each topic, and its verdict. "
                        + CAVEAT,
                        "facets": ["verdict", "topic"],
                        "columns": _COLUMNS["pairs"],
                    },
                    "topics": {
                        "description": "Each topic, and its verdict across the sides. " + CAVEAT,
                        "facets": ["verdict"],
                        "label_column": "label",
                        "columns": _COLUMNS["topics"],
                    },
                    "speakers": {
                        "description": "Who made the claims. " + CAVEAT,
                        "label_column": "name",
                        "columns": _COLUMNS["speakers"],
                    },
                    "sources": {
                        "description": "Where the claims were reported. " + CAVEAT,
                        "label_column": "title",
                        "columns": _COLUMNS["sources"],
                    },
                    "sides": {"description": CAVEAT, "label_column": "name"},
                    "meta": {
                        "description": "What was exported, by which factcmp, from which "
                        "commit. " + CAVEAT
                    },
                },
            }
        },
    }


def target(name: str, database: Path) -> None:
    """Raise NotReplaced unless `--metadata NAME` may be written: nothing there yet, an
    empty file, or an earlier metadata file of factcmp's (a JSON object with the
    `factcmp` key it writes, or, from before that key, factcmp's caveat as its
    description). Refused: a YAML name (a claim file, topics.yaml: the JSON would take
    its place), a folder, the exported database itself (`database`, from
    factcmp.export.sqlite.target), and any other file. A link is judged by what it
    leads to. Standard output, a character device or a FIFO is written through, as
    `-o` does (factcmp.atomic.write_output): nothing is replaced there."""
    if not name or name.endswith(("/", os.sep)):
        raise NotReplaced(f"--metadata {name!r} names a folder: give a file name, e.g. "
                          "metadata.json")  # fmt: skip
    path = Path(os.path.realpath(name))
    if any(p.suffix.lower() in (".yaml", ".yml") for p in (Path(name), path)):
        raise NotReplaced(f"--metadata {name} names a YAML file: the metadata is JSON, never "
                          "written where a claim file goes; give a .json name, e.g. "
                          "metadata.json")  # fmt: skip
    if path == database:
        raise NotReplaced(f"--metadata {name} is the database being exported: give the "
                          "metadata a name of its own, e.g. metadata.json")  # fmt: skip
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise NotReplaced(f"cannot use --metadata {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotReplaced(f"--metadata {name} is a folder: give a file name inside it, e.g. "
                          f"{name}/metadata.json")  # fmt: skip
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0 or _is_ours(path):
        return
    raise NotReplaced(
        f"--metadata {name} exists and is not a metadata file factcmp wrote (a JSON object "
        f'with a "{MARKER}" key): --metadata replaces only its own; choose another name, or '
        f"delete {name} yourself if it is to be replaced"
    )


def _is_ours(path: Path) -> bool:
    """Whether the file holds metadata factcmp wrote."""
    import json

    try:
        with path.open("rb") as handle:
            data = handle.read(_LARGEST + 1)
    except OSError:
        return False
    if len(data) > _LARGEST:
        return False
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested a million deep
        return False
    if not isinstance(body, dict):
        return False
    marker = body.get(MARKER)
    if isinstance(marker, dict) and marker.get("written_by") == WRITTEN_BY:
        return True
    # written before the marker: factcmp's caveat, and Datasette's databases
    return body.get("description") == CAVEAT and isinstance(body.get("databases"), dict)
