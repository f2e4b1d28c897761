"""The brief's "How the figures moved": a line per series and, when the brief is
written to a file, a chart beside it as a static SVG (no script; its words are SVG
text, selectable and read aloud).

The chart is drawn by Vega-Lite through vl-convert (an optional extra,
`pip install 'factcmp[charts]'`: chosen by measurement over matplotlib, with a
third smaller install, no numpy, 4 ms to import against 580; 0.6 s for a first
chart either way). Imported only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factcmp.compare.timeline import TopicSeries, timeline
from factcmp.model import Names
from factcmp.render import markdown as md
from factcmp.render.timeline import chart_units, series_line, series_name, unit_as_compared
from factcmp.result import Comparison

HEADING = "How the figures moved"


class NoCharts(Exception):
    """vl-convert is not installed: the brief goes without its chart."""

    HOW = "charts need vl-convert: pip install 'factcmp[charts]'"


def figures(comparison: Comparison) -> list[TopicSeries]:
    """The series of the topics whose figures moved (a series with two dated figures
    or more), for the section and the chart; none when no figure moved."""
    topics = timeline(comparison)
    moved = any(len([p for p in s.dated if p.tally]) > 1 for t in topics for s in t.series)
    return topics if moved else []


def section(topics: Sequence[TopicSeries], comparison: Comparison, image: str | None) -> list[str]:
    """The section's markdown: per topic its label and a line per series, and the
    chart (`image`, a path relative to the brief) when there is one."""
    if not topics:
        return []
    names = Names(comparison.sides)
    out = [f"## {HEADING}", ""]
    if image is not None:
        out += [f"![{HEADING}: each side's figures by the date they were given]({image})", ""]
    for topic in topics:
        out += [f"**{md.text(topic.label)}**", ""]
        out += [f"- {md.text(series_line(s, names, with_year=True))}" for s in topic.series]
        out.append("")
    return out


def chart_svg(topics: Sequence[TopicSeries], comparison: Comparison) -> str:
    """One step chart per topic with dated figures (denials left out: no tally), one
    line per series, dates on x; as SVG ("" when no figure moved). Raises NoCharts
    without vl-convert."""
    if not topics:
        return ""
    try:
        import vl_convert
    except ImportError:
        raise NoCharts(NoCharts.HOW) from None
    names = Names(comparison.sides)
    values: list[dict[str, Any]] = []
    for topic in topics:
        units = chart_units(topic)  # each as first written: KG and kg are one unit
        shown = {unit_as_compared(unit): unit for unit in units}
        for series in topic.series:
            # a panel per topic and unit: a chart never puts two units on one axis
            panel = topic.label
            unit = shown[unit_as_compared(series.unit)]
            if len(units) > 1 or unit is not None:
                panel += f", in {unit or 'people'}"
            name = series_name(series, names, unit=True)
            for point in series.dated:
                if not point.tally or point.said is None:
                    continue
                count = point.count
                best = count.best if count.best is not None else count.low
                values.append(
                    {
                        "topic": panel,
                        "series": name,
                        "said": point.said.isoformat(),
                        "count": float(best),
                        "shown": count.shown(series.unit),
                        "date": "reported" if point.reported else "said",
                        "words": count.words or "",  # the speaker's words, beside the mark
                    }
                )
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "facet": {"row": {"field": "topic", "type": "nominal", "title": None}},
        "resolve": {"scale": {"y": "independent", "x": "independent"}},
        "spec": {
            "width": 520,
            "height": 160,
            "encoding": {
                "x": {
                    "field": "said",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": "said (or reported) on",
                    "axis": {"format": "%d %b %Y", "labelOverlap": True},
                },
                "y": {"field": "count", "type": "quantitative", "title": "figure given"},
                "color": {"field": "series", "type": "nominal", "title": "side, on"},
            },
            # a figure placed by its report's date is a point of its own shape
            "layer": [
                {"mark": {"type": "line", "interpolate": "step-after"}},
                {
                    "mark": {"type": "point", "filled": True},
                    "encoding": {"shape": {"field": "date", "type": "nominal", "title": "date"}},
                },
                {
                    "transform": [{"filter": "datum.words != ''"}],
                    "mark": {"type": "text", "align": "left", "dx": 6, "dy": -6},
                    "encoding": {"text": {"field": "words"}},
                },
            ],
        },
    }
    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg
