"""`topics list` and `topics suggest`, as tables for people and JSON for scripts
(docs/json.md). Every key, label and name is data: printed through `one_line`."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from factcmp import __version__
from factcmp.model import Side, Topic
from factcmp.plain import json_text
from factcmp.render.safe import one_line
from factcmp.render.words import SYMBOL
from factcmp.result import Comparison, TopicResult

if TYPE_CHECKING:  # rich only for the tables: JSON output never imports it
    from rich.console import Console

    from factcmp.compare.suggest import Suggestion

JSON_VERSION = 1


def _encode(value: Any) -> str:
    encoded = msgspec.json.format(msgspec.json.encode(value), indent=2).decode("utf-8")
    return json_text(encoded) + "\n"


def _claims(topic: TopicResult, side: str) -> int:
    return len(topic.claims.get(side, ())) + len(topic.history.get(side, ()))


def _by_key(comparison: Comparison) -> list[TopicResult]:
    return sorted(comparison.topics, key=lambda t: t.topic.key)


def list_json(comparison: Comparison) -> str:
    sides = [side.id for side in comparison.sides]
    return _encode(
        {
            "factcmp": __version__,
            "format": JSON_VERSION,
            "sides": sides,
            "topics": [
                {
                    "topic": t.topic.key,
                    "label": t.topic.label,
                    "listed": t.topic.order != Topic.UNLISTED,
                    "claims": {side: _claims(t, side) for side in sides},
                    "verdict": t.verdict.value,
                }
                for t in _by_key(comparison)
            ],
        }
    )


def list_table(comparison: Comparison, console: Console) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from factcmp.render.table import STYLE

    sides = comparison.sides
    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    longest = max((len(t.topic.key) for t in comparison.topics), default=5)
    table.add_column("Topic", overflow="fold", min_width=min(longest, 16))
    table.add_column("Label", overflow="fold", ratio=1)
    for side in sides:
        table.add_column(one_line(side.name), justify="right")
    table.add_column("Verdict", overflow="fold")
    unlisted = 0
    for t in _by_key(comparison):
        listed = t.topic.order != Topic.UNLISTED
        unlisted += not listed
        label = (
            Text(one_line(t.topic.label))
            if listed
            else Text("not in topics.yaml", style="yellow italic")
        )
        table.add_row(
            Text(one_line(t.topic.key)),
            label,
            *(Text(str(_claims(t, s.id) or "·")) for s in sides),
            Text(f"{SYMBOL[t.verdict]} {t.verdict.value}", style=STYLE[t.verdict][1]),
        )
    console.print(table)
    total = len(comparison.topics)
    line = f"{total} topic{'s' if total != 1 else ''} in use"
    if unlisted:
        line += f"; {unlisted} not in topics.yaml"
    console.print(Text(line))


def suggest_json(sides: Sequence[Side], found: Sequence[Suggestion]) -> str:
    return _encode(
        {
            "factcmp": __version__,
            "format": JSON_VERSION,
            "sides": [side.id for side in sides],
            "suggestions": [
                {
                    "side": s.side,
                    "topic": s.topic,
                    "candidates": [
                        {
                            "side": c.side,
                            "topic": c.topic,
                            "score": c.score,
                            "reasons": list(c.reasons),
                        }
                        for c in s.candidates
                    ],
                }
                for s in found
            ],
        }
    )


def suggest_table(
    sides: Sequence[Side], topics: dict[str, Topic], found: Sequence[Suggestion], console: Console
) -> None:
    from rich.table import Table
    from rich.text import Text

    names = {side.id: side.name for side in sides}

    def shown(side: str, key: str) -> Text:
        text = Text(f"{one_line(names.get(side, side))}: ", style="bold")
        text.append(one_line(key))
        topic = topics.get(key)
        if topic is not None:
            text.append(f" ({one_line(topic.label)})", style="dim")
        return text

    if not found:
        console.print("No one-sided topic looks like another side's.")
        return
    table = Table(show_lines=True, header_style="bold")
    table.add_column("One-sided topic", overflow="fold", ratio=2)
    table.add_column("May be the same as", overflow="fold", ratio=2)
    table.add_column("Score", justify="right")
    table.add_column("Why", overflow="fold", ratio=3)
    for suggestion in found:
        for i, c in enumerate(suggestion.candidates):
            table.add_row(
                shown(suggestion.side, suggestion.topic) if i == 0 else Text(""),
                shown(c.side, c.topic),
                Text(f"{c.score:.2f}"),
                Text(one_line("; ".join(c.reasons))),
            )
    console.print(table)
    first = found[0]
    best = first.candidates[0]
    command = shlex.join(
        ["factcmp", "topics", "rename", first.topic, best.topic, "--side", first.side]
    )
    console.print(
        Text(
            f"{len(found)} one-sided topic{'s' if len(found) != 1 else ''} with candidates. "
            "factcmp suggests; you decide. To merge two keys, rename one, e.g.: "
            + one_line(command)
            + " --dry-run"
        )
    )
