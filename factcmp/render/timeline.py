"""`timeline`: one compact line per series ("Armenia, on Armenia: 49 (13 Sep) → 105
(14 Sep) → 135 (16 Sep)"), a step chart in a terminal, JSON and CSV (docs/json.md).
Names, labels and ids are data: through `one_line`."""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from factcmp import __version__
from factcmp.compare.timeline import Point, Series, TopicSeries
from factcmp.load.when import short_date
from factcmp.model import Names, fold
from factcmp.plain import json_text
from factcmp.render.csvout import cell
from factcmp.render.jsonout import selection_json
from factcmp.render.safe import one_line
from factcmp.render.words import figure
from factcmp.result import Comparison

if TYPE_CHECKING:
    from rich.console import Console

JSON_VERSION = 1
MARKS = "●■▲◆▼★✚✖"
COLOURS = ["cyan", "magenta", "yellow", "green", "red", "blue", "bright_white", "bright_red"]
CHART_HEIGHT = 8


def series_name(series: Series, names: Names, *, unit: bool = False) -> str:
    """`Armenia, on Armenia (period)`; with `unit`, what it counts when not people
    (`, in kg`), for a chart's legend, where its figures do not say it."""
    side = names.shown(series.side)
    subject = series.subject_as_written
    cited = [p.claim.subject for p in series.points]
    name = side if subject is None else f"{side}, on {names.shown(subject, *cited)}"
    if series.period is not None:
        name += f" ({series.period.shown()})"
    if unit and series.unit is not None:
        name += f", in {series.unit}"
    return name


def _day(point: Point, with_year: bool) -> str:
    assert point.said is not None
    day = short_date(point.said, year=with_year)
    return f"reported {day}" if point.reported else day


def _figure(point: Point) -> str:
    """`105`, `5 kg`, `hundreds (at least 100)`, `not 40`, `leaves 500 undetermined`:
    the speaker's words beside the figure, and its unit."""
    return figure(point.claim)


def series_line(series: Series, names: Names, with_year: bool = False) -> str:
    """`Armenia, on Armenia: 49 (13 Sep) → 105 (14 Sep); undated: 40`; a figure
    placed by its report's date is marked: `480 (reported 18 Oct)`."""
    dated = " → ".join(f"{_figure(p)} ({_day(p, with_year)})" for p in series.dated)
    undated = ", ".join(_figure(p) for p in series.undated)
    parts = [dated] if dated else []
    if undated:
        parts.append(f"undated: {undated}")
    return f"{series_name(series, names)}: {'; '.join(parts)}"


def _spans_years(topic: TopicSeries) -> bool:
    years = {p.said.year for s in topic.series for p in s.dated if p.said}
    return len(years) > 1


def timeline_lines(topics: Sequence[TopicSeries], comparison: Comparison) -> list[str]:
    names = Names(comparison.sides)
    out = []
    for topic in topics:
        out.append(f"{topic.label} ({topic.topic})")
        year = _spans_years(topic)
        out += [f"  {series_line(s, names, year)}" for s in topic.series]
    return out


def render_table(
    topics: Sequence[TopicSeries], comparison: Comparison, console: Console, *, chart: bool
) -> None:
    from rich.text import Text

    names = Names(comparison.sides)
    if not topics:
        console.print("No topic has counts.")
        return
    for i, topic in enumerate(topics):
        if i:
            console.print()
        console.print(Text(one_line(f"{topic.label} ({topic.topic})"), style="bold"))
        year = _spans_years(topic)
        for n, series in enumerate(topic.series):
            line = Text("  ")
            if chart:
                line.append(MARKS[n % len(MARKS)] + " ", style=COLOURS[n % len(COLOURS)])
            line.append(one_line(series_line(series, names, year)))
            console.print(line, soft_wrap=True)
        if chart:
            units = chart_units(topic)
            for unit in units:  # a chart per unit: never two units on one axis
                rows = step_chart(topic, console.width, unit)
                if rows and len(units) > 1:
                    console.print(Text(one_line(f"  in {unit or 'people'}:"), style="dim"))
                for row in rows:
                    console.print(row, soft_wrap=True)


def _value(point: Point) -> float:
    count = point.count
    if count.best is not None:
        return float(count.best)
    return float(count.low if math.isinf(count.high) else (count.low + count.high) / 2)


def unit_as_compared(unit: str | None) -> str | None:
    """A series' unit as compared (`KG` and `kg` are one unit); None: people."""
    return fold(unit) if unit is not None else None


def chart_units(topic: TopicSeries) -> list[str | None]:
    """The units of a topic's series, in their order, each as first written (None:
    people): a chart each."""
    found: dict[str | None, str | None] = {}
    for series in topic.series:
        found.setdefault(unit_as_compared(series.unit), series.unit)
    return list(found.values())


def step_chart(topic: TopicSeries, width: int, unit: str | None = None) -> list[Any]:
    """A step chart of the topic's dated series in one unit (None: people), one mark
    per series, dates on x; no rows when it does not fit (narrow) or says nothing
    (one day, one point)."""
    from rich.text import Text

    dated = [
        p
        for s in topic.series
        if unit_as_compared(s.unit) == unit_as_compared(unit)
        for p in s.dated
        if p.tally
    ]
    if len(dated) < 2 or width < 40:
        return []
    first = min(p.said for p in dated if p.said)
    last = max(p.said for p in dated if p.said)
    days = (last - first).days
    if days == 0:
        return []
    top = max(_value(p) for p in dated) or 1.0
    label = max(len(f"{top:,.0f}"), 1)
    plot = width - label - 4
    grid: list[list[tuple[str, int]]] = [[(" ", -1)] * plot for _ in range(CHART_HEIGHT)]

    def col(point: Point) -> int:
        assert point.said is not None
        return round((point.said - first).days / days * (plot - 1))

    def row(value: float) -> int:
        return CHART_HEIGHT - 1 - round(value / top * (CHART_HEIGHT - 1))

    for n, series in enumerate(topic.series):
        if unit_as_compared(series.unit) != unit_as_compared(unit):
            continue
        points = [p for p in series.dated if p.tally]  # a denial is no tally
        for a, b in itertools.pairwise(points):
            r = row(_value(a))
            for x in range(col(a), col(b)):
                grid[r][x] = ("─", n)
            r0, r1 = sorted((r, row(_value(b))))
            for y in range(r0, r1 + 1):
                grid[y][col(b)] = ("│", n)
        for p in points:
            grid[row(_value(p))][col(p)] = (MARKS[n % len(MARKS)], n)
    out = []
    for y, cells in enumerate(grid):
        tick = f"{top:,.0f}" if y == 0 else ("0" if y == CHART_HEIGHT - 1 else "")
        line = Text(f"  {tick:>{label}} ┤", style="dim")
        for char, n in cells:
            line.append(char, style=COLOURS[n % len(COLOURS)] if n >= 0 else "")
        out.append(line)
    start, end = short_date(first, year=False), short_date(last, year=False)
    axis = " " * (label + 4) + start + end.rjust(max(1, plot - len(start)))
    out.append(Text(axis, style="dim"))
    return out


def _series_json(series: Series) -> dict[str, Any]:
    period = series.period
    return {
        "side": series.side,
        "subject": series.subject,
        "unit": series.unit,
        "period": (
            {
                "from": period.start.isoformat() if period.start else None,
                "to": period.end.isoformat() if period.end else None,
            }
            if period
            else None
        ),
        "points": [
            {
                "claim": p.claim.id,
                "said": p.claim.said.isoformat() if p.claim.said else None,
                "reported": None
                if p.claim.said or not p.claim.reported
                else p.claim.reported.isoformat(),
                "count": p.count.as_json(),
                "stance": p.claim.stance_shown,
                "in_force": p.in_force,
            }
            for p in series.points
        ],
    }


def render_json(topics: Sequence[TopicSeries], comparison: Comparison) -> str:
    data = {
        "factcmp": __version__,
        "format": JSON_VERSION,
        "sides": [side.id for side in comparison.sides],
        "selection": selection_json(comparison),
        "topics": [
            {
                "topic": t.topic,
                "label": t.label,
                "series": [_series_json(s) for s in t.series],
            }
            for t in topics
        ],
    }
    encoded = msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8")
    return json_text(encoded) + "\n"


COLUMNS = (
    "topic", "label", "side", "subject", "period_from", "period_to", "claim", "said",
    "count_best", "count_min", "count_max", "stance", "in_force", "reported", "unit",
    "count_words",
)  # fmt: skip


def render_csv(topics: Sequence[TopicSeries]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in topics:
        for s in t.series:
            for p in s.points:
                count = p.count
                writer.writerow(
                    [
                        cell(t.topic),
                        cell(t.label),
                        cell(s.side),
                        cell(s.subject),
                        s.period.start.isoformat() if s.period and s.period.start else "",
                        s.period.end.isoformat() if s.period and s.period.end else "",
                        cell(p.claim.id),
                        p.claim.said.isoformat() if p.claim.said else "",
                        "" if count.best is None else count.best,
                        "" if count.given_min is None else count.given_min,
                        "" if count.given_max is None else count.given_max,
                        p.claim.stance_shown,
                        "true" if p.in_force else "false",
                        p.said.isoformat() if p.said and p.reported else "",
                        cell(s.unit),
                        cell(count.words),
                    ]
                )
    return out.getvalue()
