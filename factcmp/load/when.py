"""When a claim was made: `said` as a date, or a date and a time of day.

The one place that reads a `said` value, orders claims by it and shows it. A
side often updates a figure on the day it gave the first one (3 soldiers killed in
the morning, 20 in the evening): the time, when both claims give one, tells which
is later. Dates are compared as written; on the same date, times are compared as
instants when every claim gives a zone, as the clocks read when none does; times
with and without a zone cannot be ordered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from factcmp.model import Claim, Clock

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# `2020-06-16T21:30`, `2020-06-16 21:30:15`, `2020-06-16T21:30+05:30`, `...Z`: YAML
# reads the forms with seconds as timestamps itself, and leaves the others as text.
_DATE_TIME = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
    r"[ \t]*(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$"
)
_MAX_OFFSET = 14 * 60  # minutes: the farthest zones from UTC


class BadTime(ValueError):
    """A `said` value written as a date and time that is not one."""


def parse_said(value: object) -> tuple[dt.date, Clock] | None:
    """A date and time as YAML gives it (a datetime, or text such as
    `2020-06-16T21:30`): its date and clock. None when `value` is no date-time
    form at all (a plain date, a number, other text: the schema judges those).
    Raises `BadTime` for a date-time form that names no real moment."""
    if isinstance(value, dt.datetime):
        if value.microsecond:
            raise BadTime("give the time to the minute or the second")
        offset = value.utcoffset()
        minutes = None if offset is None else int(offset.total_seconds()) // 60
        if minutes is not None and abs(minutes) > _MAX_OFFSET:
            raise BadTime("no time zone is more than 14 hours from UTC")
        return value.date(), Clock(value.hour, value.minute, value.second, minutes)
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, utc, sign, zone_h, zone_m = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
        dt.time(int(hour), int(minute), int(second or 0))
    except ValueError as exc:
        raise BadTime(str(exc)) from None
    zone: int | None = None
    if utc:
        zone = 0
    elif sign:
        hours, minutes = int(zone_h), int(zone_m or 0)
        if minutes > 59 or hours * 60 + minutes > _MAX_OFFSET:
            raise BadTime("no time zone is more than 14 hours from UTC")
        zone = (hours * 60 + minutes) * (-1 if sign == "-" else 1)
    return date, Clock(int(hour), int(minute), int(second or 0), zone)


def latest(claims: Sequence[Claim]) -> list[Claim]:
    """The latest of `claims`, in their order: those with the latest date (`said`,
    else the day it was reported: `Claim.dated`; an undated claim is never later
    than a dated one) and, when their times can be ordered (see
    `orderable`), the latest time. Claims that cannot be told apart are all latest."""
    dated = [c.dated for c in claims if c.dated is not None]
    newest = max(dated) if dated else None
    tied = [c for c in claims if c.dated == newest]
    if len(tied) < 2 or not orderable(tied):
        return tied
    keys = _time_keys(tied)
    last = max(keys)
    return [c for c, key in zip(tied, keys, strict=True) if key == last]


def orderable(claims: Sequence[Claim]) -> bool:
    """Whether claims of one date can be put in order by their times: every one gives
    a time, and either all give a zone or none does (21:30 in an unnamed zone is
    neither before nor after 16:00 UTC)."""
    clocks = [c.said_time for c in claims]
    if any(clock is None for clock in clocks):
        return False
    zoned = {clock.offset is not None for clock in clocks if clock is not None}
    return len(zoned) == 1


def same_moment_unknown(a: Claim, b: Claim) -> bool:
    """Whether two claims said on one date cannot be ordered: a time is missing, one
    gives a zone and the other not, or both times are the same moment."""
    if not orderable([a, b]):
        return True
    key_a, key_b = _time_keys([a, b])
    return key_a == key_b


def _time_keys(claims: Sequence[Claim]) -> list[int]:
    """Seconds into the (shared) date: as instants when every claim gives a zone,
    else as the clock reads (`orderable` says when the two may be compared)."""
    clocks = [c.said_time for c in claims]
    zoned = all(clock is not None and clock.offset is not None for clock in clocks)
    keys = []
    for clock in clocks:
        assert clock is not None
        seconds = clock.hour * 3600 + clock.minute * 60 + clock.second
        if zoned:
            assert clock.offset is not None
            seconds -= clock.offset * 60
        keys.append(seconds)
    return keys


def clock_text(clock: Clock) -> str:
    """`21:30`, `21:30:15`, `21:30 UTC`, `21:30 UTC+05:30`."""
    text = f"{clock.hour:02d}:{clock.minute:02d}"
    if clock.second:
        text += f":{clock.second:02d}"
    if clock.offset is not None:
        text += " UTC" + _zone(clock.offset) if clock.offset else " UTC"
    return text


def _zone(offset: int) -> str:
    sign = "+" if offset >= 0 else "−"
    hours, minutes = divmod(abs(offset), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def iso(claim: Claim) -> str | None:
    """The moment as ISO 8601 (`2020-06-16T21:30`, `2020-06-16T21:30+05:30`), or None
    when the claim gives no time."""
    clock = claim.said_time
    if claim.said is None or clock is None:
        return None
    text = f"{claim.said.isoformat()}T{clock.hour:02d}:{clock.minute:02d}"
    if clock.second:
        text += f":{clock.second:02d}"
    if clock.offset == 0:
        text += "Z"
    elif clock.offset is not None:
        text += _zone(clock.offset).replace("−", "-")
    return text


def short_date(date: dt.date, *, year: bool = True) -> str:
    """`21 Jun 2020`: the date in a reason or a table cell; `21 Jun` without the
    year (a timeline within one year)."""
    day = f"{date.day} {MONTHS[date.month - 1][:3]}"
    return f"{day} {date.year}" if year else day


def long_date(date: dt.date) -> str:
    """`21 June 2020`: the date in a brief."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def said_short(claim: Claim) -> str:
    """`21 Jun 2020`, `16 Jun 2020, 21:30`, `reported 26 Nov 2023` (no `said`, a
    dated source: revision 3), or `undated`."""
    if claim.said is None:
        reported = claim.reported
        return f"reported {short_date(reported)}" if reported else "undated"
    text = short_date(claim.said)
    if claim.said_time is not None:
        text += ", " + clock_text(claim.said_time)
    return text


def said_iso(claim: Claim) -> str:
    """`2022-09-14` or `2020-06-16 21:30`, for table cells; `reported 26 Nov 2023`
    for a claim placed by its report's date; empty when undated."""
    if claim.said is None:
        return said_short(claim) if claim.reported else ""
    if claim.said_time is None:
        return claim.said.isoformat()
    return f"{claim.said.isoformat()} {clock_text(claim.said_time)}"


def on_short(claim: Claim) -> str:
    """`on 14 Sep 2022`, `reported 26 Nov 2023`, or "" (undated): after a figure."""
    if claim.said is not None:
        return f"on {said_short(claim)}"
    return said_short(claim) if claim.reported else ""


def reported_long(claim: Claim) -> str:
    """`according to a report of 26 November 2023`, or "" when the claim gives its
    own `said` or has no dated source."""
    reported = claim.reported
    return f"according to a report of {long_date(reported)}" if reported else ""


def said_long(claim: Claim) -> str:
    """`on 16 June 2020`, `on 16 June 2020 at 21:30`, for "X said on ... that"."""
    if claim.said is None:
        return ""
    text = f"on {long_date(claim.said)}"
    if claim.said_time is not None:
        text += f" at {clock_text(claim.said_time)}"
    return text
