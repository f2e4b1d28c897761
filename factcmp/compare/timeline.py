"""How each side's figures moved: every count of every side on a topic, in force or
in history, in series by (side, subject, period), ordered by when it was said (or,
without `said`, reported).

Beside compare.py: it reads the same topic results. Undated counts are kept, apart:
they have no place on a time axis.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from factcmp.model import PEOPLE, Claim, Count, Names, Period, unit_key
from factcmp.result import Comparison, TopicResult


class Point(msgspec.Struct, frozen=True):
    claim: Claim
    in_force: bool

    @property
    def said(self) -> dt.date | None:
        """Its day on the time axis: `said`, else the day it was reported."""
        return self.claim.dated

    @property
    def reported(self) -> bool:
        """Placed by its report's date, not by when it was said (shown marked)."""
        return self.claim.reported is not None  # None whenever the claim gives `said`

    @property
    def denies(self) -> bool:
        """A denial of a figure ("not 40"): the side's word against it, not its tally."""
        return self.claim.denies

    @property
    def tally(self) -> bool:
        """A figure the side gives as its own: not a denial of one, nor a figure it
        leaves undetermined (revision 3). Only tallies are charted."""
        return self.claim.affirms

    @property
    def count(self) -> Count:
        assert self.claim.count is not None
        return self.claim.count


class Series(msgspec.Struct, frozen=True):
    side: str
    subject: str | None  # a side's id when the subject names a side, else as compared
    period: Period | None
    points: tuple[Point, ...]  # dated, oldest first; then the undated, in file order
    unit: str | None = None  # what it counts, as its first claim writes it (None: people)

    @property
    def subject_as_written(self) -> str | None:
        """The subject as the first of its claims writes it."""
        return self.points[0].claim.subject if self.points else None

    @property
    def dated(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.said is not None)

    @property
    def undated(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.said is None)


class TopicSeries(msgspec.Struct, frozen=True):
    topic: str
    label: str
    series: tuple[Series, ...]


def timeline(comparison: Comparison) -> list[TopicSeries]:
    """The series of every topic with counts, in the comparison's topic order."""
    names = Names(comparison.sides)
    order = {side.id: i for i, side in enumerate(comparison.sides)}
    out = []
    for result in comparison.topics:
        series = _series(result, names, order)
        if series:
            out.append(TopicSeries(result.topic.key, result.topic.label, tuple(series)))
    return out


def _series(result: TopicResult, names: Names, order: dict[str, int]) -> list[Series]:
    # a series per unit too (revision 3): 5 kg of explosive is no point of a death toll
    groups: dict[tuple[str, str | None, str, Period | None], list[Point]] = {}
    for in_force, by_side in ((True, result.claims), (False, result.history)):
        for side, claims in by_side.items():
            for claim in claims:
                if claim.count is not None:
                    key = (side, names.key(claim.subject), unit_key(claim), claim.period)
                    groups.setdefault(key, []).append(Point(claim, in_force))
    out = []
    for (side, subject, _unit, period), points in groups.items():
        by_line = sorted(points, key=lambda p: (p.claim.file, p.claim.line))
        dated = sorted((p for p in by_line if p.said is not None), key=_when)
        undated = [p for p in by_line if p.said is None]
        unit = by_line[0].claim.unit if unit_key(by_line[0].claim) != PEOPLE else None
        out.append(Series(side, subject, period, (*dated, *undated), unit))
    out.sort(
        key=lambda s: (
            order.get(s.side, 0),
            s.subject or "",
            s.unit is not None,
            s.unit or "",
            _period_key(s.period),
        )
    )
    return out


def _when(point: Point) -> tuple[dt.date, int, int]:
    clock = point.claim.said_time
    assert point.said is not None
    return (point.said, clock.hour if clock else -1, clock.minute if clock else -1)


def _period_key(period: Period | None) -> tuple[str, str]:
    if period is None:
        return ("", "")
    return (str(period.start or ""), str(period.end or ""))
