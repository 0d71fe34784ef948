"""WorkingCalendar: working durations added to instants and measured between them.

Week of the tables (site tz Asia/Shanghai): Wed 2026-12-02 … Sun 12-06, Mon 12-07; the calendar
under test declares Tue 12-08 a holiday and Sat 12-12 a make-up working day (synthetic dates).
Working periods: 08:30-12:00 and 14:00-18:00 (7 h 30 min a day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridwatch.escalation.calendar import WallClock, WorkingCalendar

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar(SH, holidays=[date(2026, 12, 8)], workdays=[date(2026, 12, 12)])


def local(text: str, tz: ZoneInfo = SH) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


H, M = timedelta(hours=1), timedelta(minutes=1)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2026-12-02 09:00", 1 * H, "2026-12-02 10:00"),  # inside the morning
        ("2026-12-02 11:30", 1 * H, "2026-12-02 14:30"),  # across lunch
        ("2026-12-02 12:30", 1 * H, "2026-12-02 15:00"),  # starting in lunch
        ("2026-12-02 08:30", 3 * H + 30 * M, "2026-12-02 12:00"),  # ends exactly at a period end
        ("2026-12-02 12:00", 1 * M, "2026-12-02 14:01"),  # from a period end
        ("2026-12-02 17:30", 1 * H, "2026-12-03 09:00"),  # across the night
        ("2026-12-02 18:00", 1 * M, "2026-12-03 08:31"),  # from the day's end
        ("2026-12-02 20:00", 1 * H, "2026-12-03 09:30"),  # starting at night
        ("2026-12-02 07:00", 30 * M, "2026-12-02 09:00"),  # starting before work
        ("2026-12-02 09:00", 7 * H + 30 * M, "2026-12-03 09:00"),  # one working day
        ("2026-12-04 17:00", 2 * H, "2026-12-07 09:30"),  # Friday → Monday across the weekend
        ("2026-12-05 10:00", 1 * H, "2026-12-07 09:30"),  # starting on a Saturday
        ("2026-12-06 23:59", 1 * M, "2026-12-07 08:31"),  # Sunday night
        ("2026-12-07 17:00", 2 * H, "2026-12-09 09:30"),  # Tuesday 12-08 is a holiday
        ("2026-12-11 17:00", 2 * H, "2026-12-12 09:30"),  # Saturday 12-12 is a make-up day
        ("2026-12-12 17:30", 1 * H, "2026-12-14 09:00"),  # Sunday after the make-up day is off
        ("2026-12-04 17:00", 3 * (7 * H + 30 * M), "2026-12-10 17:00"),  # 3 days: weekend + holiday
        ("2026-12-05 10:00", timedelta(0), "2026-12-05 10:00"),  # zero: the start itself
    ],
)
def test_add_working_time(start: str, duration: timedelta, expected: str) -> None:
    got = CAL.add(local(start), duration)
    assert got == local(expected), f"{start} + {duration}: {got.astimezone(SH)}"
    assert got.tzinfo is UTC
    assert CAL.between(local(start), got) == duration


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-12-02 09:00", "2026-12-02 10:15", 75 * M),
        ("2026-12-02 11:00", "2026-12-02 15:00", 2 * H),  # lunch does not count
        ("2026-12-02 12:10", "2026-12-02 13:50", timedelta(0)),  # all lunch
        ("2026-12-02 00:00", "2026-12-03 00:00", 7 * H + 30 * M),  # a whole working day
        ("2026-12-02 18:00", "2026-12-03 08:30", timedelta(0)),  # a night
        ("2026-12-04 17:00", "2026-12-07 09:00", 90 * M),  # a weekend
        ("2026-12-05 00:00", "2026-12-07 00:00", timedelta(0)),  # Saturday + Sunday
        ("2026-12-08 00:00", "2026-12-09 00:00", timedelta(0)),  # the holiday
        ("2026-12-12 00:00", "2026-12-13 00:00", 7 * H + 30 * M),  # the make-up day
        ("2026-12-07 00:00", "2026-12-14 00:00", 5 * (7 * H + 30 * M)),  # that week: 5 days
        ("2026-12-02 10:00", "2026-12-02 09:00", timedelta(0)),  # end before start
    ],
)
def test_working_time_between(start: str, end: str, expected: timedelta) -> None:
    assert CAL.between(local(start), local(end)) == expected


@pytest.mark.parametrize(
    ("tz", "start_utc", "duration", "expected_utc"),
    [
        # New York springs forward on Sun 2026-03-08: Friday 17:00 EST + 2 h → Monday 09:30 EDT.
        ("America/New_York", "2026-03-06 22:00", 2 * H, "2026-03-09 13:30"),
        # London falls back on Sun 2026-10-25: Friday 17:00 BST + 2 h → Monday 09:30 GMT.
        ("Europe/London", "2026-10-23 16:00", 2 * H, "2026-10-26 09:30"),
        # Auckland (UTC+13): local Wednesday 08:00 is Tuesday 19:00 UTC.
        ("Pacific/Auckland", "2026-12-01 19:00", 1 * H, "2026-12-01 20:30"),
        # Kolkata (UTC+5:30): 17:30 local + 1 h → next day 09:00 local (03:30 UTC).
        ("Asia/Kolkata", "2026-12-02 12:00", 1 * H, "2026-12-03 03:30"),
    ],
)
def test_other_timezones(tz: str, start_utc: str, duration: timedelta, expected_utc: str) -> None:
    cal = WorkingCalendar(tz)
    got = cal.add(local(start_utc, ZoneInfo("UTC")), duration)
    assert got == local(expected_utc, ZoneInfo("UTC"))


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31)),
    minutes=st.integers(0, 60 * 40),
    tz=st.sampled_from(["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe"]),
)
def test_add_then_between_round_trips(start: datetime, minutes: int, tz: str) -> None:
    cal = WorkingCalendar(tz, holidays=[date(2026, 12, 8)], workdays=[date(2026, 12, 12)])
    begin = start.replace(tzinfo=UTC)
    end = cal.add(begin, timedelta(minutes=minutes))
    assert end >= begin
    assert cal.between(begin, end) == timedelta(minutes=minutes)


def test_wall_clock_counts_every_minute() -> None:
    start = local("2026-12-05 23:50")
    assert WallClock().add(start, 20 * M) == local("2026-12-06 00:10")
    assert WallClock().between(start, local("2026-12-06 00:10")) == 20 * M


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: CAL.add(datetime(2026, 12, 2, 9), H), "must be timezone-aware"),
        (lambda: CAL.add(local("2026-12-02 09:00"), -H), "negative working duration"),
        (lambda: WorkingCalendar(SH, weekdays=()).add(local("2026-12-02 09:00"), H), "no working time"),
    ],
)
def test_bad_input_is_a_clear_error(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
