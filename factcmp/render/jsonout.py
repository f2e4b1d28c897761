"""The JSON contract of `factcmp diff --format json` (documented in docs/json.md).

Stable: keys are only ever added. Claim text is kept exactly as written (JSON
escapes control characters itself); consumers that display it must make it inert.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import msgspec.json

from factcmp import __version__
from factcmp.facets import JSON_LAYOUT, columns, resolve
from factcmp.model import Claim
from factcmp.plain import json_text
from factcmp.result import Comparison, Reason, TopicResult, Verdict

JSON_VERSION = 1


def claim_json(claim: Claim) -> dict[str, Any]:
    """A claim in JSON: its facets' keys (factcmp.facets.JSON_LAYOUT), then where it is."""
    out: dict[str, Any] = {}
    for name, value in _claim_keys():
        out[name] = value(claim)
    return out


@functools.cache
def _claim_keys() -> tuple[tuple[str, Callable[[Claim], Any]], ...]:
    """Each key of a claim in JSON, in order, with its value."""
    given = columns("json")
    own: dict[str, Callable[[Claim], Any]] = {
        "file": lambda claim: claim.file,
        "line": lambda claim: claim.line,
    }
    return tuple(
        (name, resolve(given[name].value) if name in given else own[name]) for name in JSON_LAYOUT
    )


def topic_json(result: TopicResult) -> dict[str, Any]:
    return {
        "topic": result.topic.key,
        "label": result.topic.label,
        "claim": result.topic.claim,
        "description": result.topic.description,
        "verdict": result.verdict.value,
        "reasons": list(result.reasons),
        "pairs": [
            {
                "sides": list(pair.sides),
                "verdict": pair.verdict.value,
                "reasons": _reasons_json(pair.reasons),
                "agreeing": _reasons_json(pair.agreeing),
            }
            for pair in result.pairs
        ],
        "claims": {side: [claim_json(c) for c in cs] for side, cs in result.claims.items()},
        "history": {side: [claim_json(c) for c in cs] for side, cs in result.history.items()},
    }


def _reasons_json(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """One object per reason and pair of claims behind it."""
    return [{"text": r.text, "claims": list(ids)} for r in reasons for ids in r.claims]


def selection_json(comparison: Comparison) -> dict[str, Any]:
    selection = comparison.selection
    narrowed = selection.only is not None or selection.topics is not None
    return {
        "as_of": selection.as_of.isoformat() if selection.as_of else None,
        "only": [v.value for v in selection.only] if selection.only is not None else None,
        "topics": list(selection.topics) if selection.topics is not None else None,
        "all_topics": selection.all_topics if narrowed else len(comparison.topics),
        "undated_left_out": selection.undated,
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "factcmp": __version__,
        "format": JSON_VERSION,
        "sides": [side.id for side in comparison.sides],
        "side_names": {side.id: side.name for side in comparison.sides},
        "files": {side.id: side.file for side in comparison.sides},
        "side_roles": {side.id: side.role for side in comparison.sides},
        "summary": {v.value: n for v, n in comparison.summary().items()},
        "selection": selection_json(comparison),
        "topics": [topic_json(t) for t in comparison.topics],
    }


def render_json(comparison: Comparison) -> str:
    """Indented UTF-8 JSON (msgspec's encoder: a 100,000-topic result in a second,
    where the standard library's takes ten). A comparison from the cache gives the
    JSON written of it before, if any (`Comparison.rendered`)."""

    def render() -> str:
        encoded = msgspec.json.encode(comparison_json(comparison))
        return json_text(msgspec.json.format(encoded, indent=2).decode("utf-8")) + "\n"

    return comparison.rendered(["json", str(JSON_VERSION)], render)


__all__ = ["Verdict", "claim_json", "comparison_json", "render_json", "topic_json"]
