"""Datasette metadata for an exported database (`factcmp export sqlite --metadata`):
its title and description, the caveat a reader must see, the facets a desk
explores by, which column labels each table's rows, and what every column means."""

from __future__ import annotations

from typing import Any

CAVEAT = (
    "These are claims as each side made them, attributed to their speakers and sources. "
    "factcmp compares what the sides say; it does not verify whether any claim is true."
)

_COLUMNS: dict[str, dict[str, str]] = {
    "claims": {
        "id": "side/claim id: unique across the export",
        "side": "the side whose claim it is",
        "claim_id": "the claim's id in its side's file",
        "topic": "the topic key: claims of different sides on one topic are compared",
        "topic_label": "the topic's label",
        "verdict": "the topic's verdict across the sides",
        "in_force": "1 when the claim is the side's current one on the topic",
        "status": "current, superseded or retracted, as the file says",
        "text": "the claim, in the curator's words",
        "quote": "the speaker's words (a translation when `original` is given)",
        "original": "the words as spoken, when `quote` translates them",
        "lang": "the language of `original`",
        "speaker": "who made the claim",
        "source": "where it was reported",
        "statement": "the statement several claims come from, if any",
        "said": "the day the claim was made",
        "said_at": "the moment (ISO 8601), when the file gives a time of day; else empty",
        "count_best": "the figure the side gave",
        "count_min": "the lowest the figure can be",
        "count_max": "the highest (empty: no upper bound)",
        "subject": "whose or what the figure or event is about",
        "actor": "who did it",
        "places": "where (a JSON list)",
        "stance": "affirms or denies the topic's proposition (empty: affirms)",
        "file": "the claim file",
        "line": "the claim's line in it",
    },
    "pairs": {
        "verdict": "the verdict between these two sides on the topic",
        "why": "the reasons, each with who said what and when",
        "reasons": "the reasons as JSON, each with the two claims behind it (side/claim id)",
        "agreeing": "where they agree all the same",
    },
    "topics": {
        "proposition": "what a stance affirms or denies, when the topic has one",
        "verdict": "the verdict across the sides",
        "reasons": "why",
        "in_topics_yaml": "1 when topics.yaml lists it",
    },
    "sources": {"shared": "1 when defined once in sources.yaml for every side"},
    "speakers": {"shared": "1 when defined once in sources.yaml for every side"},
}


def datasette_metadata(database: str, title: str) -> dict[str, Any]:
    """The metadata of the database named `database` (the file's stem)."""
    return {
        "title": title,
        "description": CAVEAT,
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
