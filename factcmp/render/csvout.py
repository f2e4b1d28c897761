"""`factcmp diff --format csv`: one row per claim, for spreadsheets.

Text cells are made inert and kept on one line, and a cell that a spreadsheet
would run as a formula (starting with = + - @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from factcmp.model import Claim
from factcmp.render.safe import one_line
from factcmp.result import Comparison

COLUMNS = [
    "topic",
    "label",
    "verdict",
    "side",
    "in_force",
    "id",
    "text",
    "count",
    "subject",
    "actor",
    "places",
    "stance",
    "status",
    "said",
    "speaker",
    "quote",
    "original",
    "lang",
    "source",
    "file",
    "line",
    "reasons",
]


def cell(value: str | None) -> str:
    if not value:
        return ""
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _row(
    topic_key: str, label: str, verdict: str, reasons: str, claim: Claim, in_force: bool
) -> list[str]:
    source = claim.source
    return [
        cell(topic_key),
        cell(label),
        verdict,
        cell(claim.side),
        "yes" if in_force else "no",
        cell(claim.id),
        cell(claim.text),
        cell(claim.count.shown()) if claim.count else "",
        cell(claim.subject),
        cell(claim.actor),
        cell("; ".join(claim.places)) if claim.places else "",
        "denies" if claim.denies else "affirms",
        claim.status,
        claim.said.isoformat() if claim.said else "",
        cell(claim.speaker.shown()) if claim.speaker else "",
        cell(claim.quote),
        cell(claim.original),
        cell(claim.lang),
        cell(source.outlet or source.title or source.key) if source else "",
        cell(claim.file),
        str(claim.line),
        cell(" | ".join(reasons.split("\n"))),
    ]


def render_csv(comparison: Comparison) -> str:
    """One row per claim; a comparison from the cache gives the CSV written of it
    before, if any (`Comparison.rendered`)."""
    return comparison.rendered(["csv", ",".join(COLUMNS)], lambda: _render(comparison))


def _render(comparison: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for result in comparison.topics:
        reasons = "\n".join(result.reasons)
        for side in comparison.sides:
            for in_force, claims in ((True, result.claims), (False, result.history)):
                for claim in claims[side.id]:
                    writer.writerow(
                        _row(
                            result.topic.key,
                            result.topic.label,
                            result.verdict.value,
                            reasons,
                            claim,
                            in_force,
                        )
                    )
    return buffer.getvalue()
