"""factcmp.load.when: `said` as a date or a date and time, read, ordered and shown; and
the loader and `check` reading it from claim files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factcmp.check.files import check
from factcmp.load.files import load_side
from factcmp.load.when import BadTime, iso, parse_said, said_iso, said_long, said_short
from factcmp.model import Clock
from tests.helpers import CLAIM, HEAD, at, claim, one, write


@pytest.mark.parametrize(
    ("written", "clock"),
    [
        ("2020-06-16T21:30", Clock(21, 30)),
        ("2020-06-16 21:30", Clock(21, 30)),
        ("2020-06-16T21:30:15", Clock(21, 30, 15)),
        ("2020-06-16T21:30Z", Clock(21, 30, 0, 0)),
        ("2020-06-16T21:30+05:30", Clock(21, 30, 0, 330)),
        ("2020-06-16T21:30+0530", Clock(21, 30, 0, 330)),
        ("2020-06-16T21:30-04", Clock(21, 30, 0, -240)),
        (dt.datetime(2020, 6, 16, 21, 30), Clock(21, 30)),
        (dt.datetime(2020, 6, 16, 21, 30, tzinfo=dt.timezone.utc), Clock(21, 30, 0, 0)),
    ],
)
def test_a_date_and_time_is_read(written: object, clock: Clock) -> None:
    assert parse_said(written) == (dt.date(2020, 6, 16), clock)


@pytest.mark.parametrize(
    "written", ["2020-06-16", "16 June", "2020-06-16T21", 2020, "２０２０-06-16T21:30"]
)
def test_what_is_no_date_and_time_is_left_to_the_schema(written: object) -> None:
    assert parse_said(written) is None


@pytest.mark.parametrize(
    "written",
    [
        "2020-06-31T10:00",
        "2020-06-16T24:00",
        "2020-06-16T21:60",
        "2020-06-16T21:30+15:00",
        "2020-06-16T21:30+14:01",
        dt.datetime(2020, 6, 16, 21, 30, 0, 500),
        dt.datetime(2020, 6, 16, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=15))),
    ],
)
def test_a_date_and_time_that_is_no_moment_is_refused(written: object) -> None:
    with pytest.raises(BadTime):
        parse_said(written)


def test_moments_are_shown_for_each_output() -> None:
    timed = claim("a", said="2020-06-16", said_time=Clock(21, 30, 0, 330))
    assert said_short(timed) == "16 Jun 2020, 21:30 UTC+05:30"
    assert said_long(timed) == "on 16 June 2020 at 21:30 UTC+05:30"
    assert said_iso(timed) == "2020-06-16 21:30 UTC+05:30"
    assert iso(timed) == "2020-06-16T21:30+05:30"
    west = claim("a", said="2020-06-16", said_time=Clock(9, 5, 7, -240))
    assert iso(west) == "2020-06-16T09:05:07-04:00"
    assert said_short(west) == "16 Jun 2020, 09:05:07 UTC−04:00"
    utc = claim("a", said="2020-06-16", said_time=Clock(9, 5, 0, 0))
    assert (iso(utc), said_short(utc)) == ("2020-06-16T09:05Z", "16 Jun 2020, 09:05 UTC")
    day = claim("a", said="2020-06-16")
    assert (said_short(day), said_long(day), iso(day)) == ("16 Jun 2020", "on 16 June 2020", None)
    assert said_short(claim("a")) == "undated"


# --- in claim files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "clock"),
    [
        ("    said: 2020-06-16T21:30\n", Clock(21, 30)),
        ('    said: "2020-06-16T21:30+05:30"\n', Clock(21, 30, 0, 330)),
        ("    said: 2020-06-16 21:30:00+05:30\n", Clock(21, 30, 0, 330)),  # a YAML timestamp
        ("    said: 2020-06-16T21:30:00Z\n", Clock(21, 30, 0, 0)),
    ],
)
def test_a_claim_file_gives_said_with_a_time(tmp_path: Path, line: str, clock: Clock) -> None:
    (loaded,) = load_side(write(tmp_path, HEAD + CLAIM + line)).claims
    assert (loaded.said, loaded.said_time) == (dt.date(2020, 6, 16), clock)


@pytest.mark.parametrize("value", ["2020-06-16T25:30", "2020-02-30T10:00", "2020-06-16 21:30:00.5"])
def test_a_said_time_that_is_no_moment_is_reported_at_its_place(tmp_path: Path, value: str) -> None:
    problem = one(tmp_path, HEAD + CLAIM + f"    said: {value}\n")
    assert at(problem) == (13, 11)
    assert problem.message.startswith(f"`said: {value}` is not a real date and time (")
    assert "YYYY-MM-DDTHH:MM" in problem.message
    assert problem.rule == "date"


def test_a_time_yaml_cannot_read_says_that_times_are_allowed(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + CLAIM + "    said: 2020-06-16T23:59:60\n")
    assert at(problem) == (13, 11)
    assert "or a real date and time, as YYYY-MM-DDTHH:MM" in problem.message


def test_a_zone_too_far_from_utc_is_refused_however_written(tmp_path: Path) -> None:
    for value in ("2020-06-16T21:30:00+15:00", "2020-06-16T21:30+15:00"):
        problem = one(tmp_path, HEAD + CLAIM + f"    said: {value}\n")
        assert "no time zone is more than 14 hours from UTC" in problem.message


def test_a_plain_date_still_gets_its_own_message(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + CLAIM + "    said: 14.09.2022\n")
    assert problem.message.startswith("`said: 14.09.2022` is not a date")


SAME_DAY = (
    HEAD
    + """\
  - id: three
    topic: casualties.military
    text: Three soldiers were killed.
    said: {first}
    count: 3
    subject: armenia
  - id: twenty
    topic: casualties.military
    text: Twenty soldiers were killed.
    said: {second}
    count: 20
    subject: armenia
"""
)


def _check(tmp_path: Path, first: str, second: str) -> list[str]:
    path = write(tmp_path, SAME_DAY.replace("{first}", first).replace("{second}", second))
    findings = check([path], today=dt.date(2026, 1, 1)).findings
    return [p.message for p in findings if p.rule in ("count-conflict", "future-date")]


def test_check_asks_for_times_for_two_counts_on_one_day(tmp_path: Path) -> None:
    (message,) = _check(tmp_path, "2020-06-16", "2020-06-16")
    assert "on the same day (2020-06-16): which is the later cannot be told" in message
    assert "give both a time of day (e.g. `said: 2020-06-16T21:30`)" in message
    assert "`status: superseded`" in message
    assert "contradicts itself" not in message
    (one_timed,) = _check(tmp_path, "2020-06-16T13:00", "2020-06-16")
    assert "on the same day" in one_timed


def test_check_accepts_two_counts_on_one_day_at_different_times(tmp_path: Path) -> None:
    assert _check(tmp_path, "2020-06-16T13:00", "2020-06-16T21:30") == []


def test_check_names_two_counts_at_the_same_time(tmp_path: Path) -> None:
    (message,) = _check(tmp_path, "2020-06-16T21:30", "2020-06-16T21:30")
    assert "at the same time (2020-06-16 21:30 and 2020-06-16 21:30)" in message
    # the same instant in two zones
    (message,) = _check(tmp_path, "2020-06-16T21:30+05:30", "2020-06-16T16:00Z")
    assert "at the same time (2020-06-16 21:30 UTC+05:30 and 2020-06-16 16:00 UTC)" in message
    assert "correct its time" in message


def test_check_names_two_times_of_which_one_has_a_zone(tmp_path: Path) -> None:
    (message,) = _check(tmp_path, "2020-06-16T21:30+05:30", "2020-06-16T22:00")
    assert "one time with a zone and one without" in message
    assert "Give both times a zone (e.g. `+05:30`), or neither" in message


def test_check_lints_the_date_of_a_timed_said(tmp_path: Path) -> None:
    (message,) = _check(tmp_path, "2030-06-16T13:00", "2020-06-16")
    assert message.startswith("`said: 2030-06-16` is in the future")
