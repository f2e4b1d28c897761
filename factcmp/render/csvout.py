"""`factcmp diff --format csv`: one row per claim, for spreadsheets.

Text cells are made inert and kept on one line, and a cell that a spreadsheet
would run as a formula (starting with = + - @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable

from factcmp.facets import CSV_LAYOUT, Column, columns, resolve
from factcmp.model import Claim
from factcmp.render.safe import one_line
from factcmp.result import Comparison

COLUMNS = list(CSV_LAYOUT)


def cell(value: str | None) -> str:
    if not value:
        return ""
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _row(
    topic_key: str, label: str, verdict: str, reasons: str, claim: Claim, in_force: bool
) -> list[str]:
    own = {
        "topic": cell(topic_key),
        "label": cell(label),
        "verdict": verdict,
        "side": cell(claim.side),
        "in_force": "yes" if in_force else "no",
        "file": cell(claim.file),
        "line": str(claim.line),
        "reasons": cell(" | ".join(reasons.split("\n"))),
    }
    return [own[name] if value is None else value(claim) for name, value in _cells()]


@functools.cache
def _cells() -> tuple[tuple[str, Callable[[Claim], str] | None], ...]:
    """Each column, in order, with the cell a facet gives (None: the row's own)."""
    given = columns("csv")

    def made(column: Column) -> Callable[[Claim], str]:
        value = resolve(column.value)
        if column.text:  # words from the file: inert, on one line, never a formula
            return lambda claim: cell(value(claim))
        return lambda claim: str(value(claim))

    return tuple((name, made(given[name]) if name in given else None) for name in COLUMNS)


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
