"""Working time: add a working duration to an instant, and measure working time between two.

Instants are timezone-aware datetimes (any zone); working periods are local times of the site's
IANA timezone, turned into real instants day by day, so a DST change is handled by the zone
database (a period's length on a DST day is its real elapsed length).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from gridwatch.escalation.config import DeadlineConfig, WorkingHoursConfig

MAX_DAYS = 3660  # a deadline further than ten years of working days away is a config error
Interval = tuple[datetime, datetime]


class DeadlineClock(Protocol):
    """How deadlines are counted: working hours, or the wall clock."""

    def add(self, start: datetime, duration: timedelta) -> datetime: ...

    def between(self, start: datetime, end: datetime) -> timedelta: ...


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


class WallClock:
    """Around the clock (24/7 incidents)."""

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return _aware(start, "start") + duration

    def between(self, start: datetime, end: datetime) -> timedelta:
        return max(_aware(end, "end") - _aware(start, "start"), timedelta(0))


class WorkingCalendar:
    """Working days (weekdays, minus holidays, plus make-up days) × daily working periods."""

    def __init__(
        self,
        tz: str | ZoneInfo,
        weekdays: Iterable[int] = (1, 2, 3, 4, 5),
        periods: Iterable[tuple[time, time]] = ((time(8, 30), time(12)), (time(14), time(18))),
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
    ) -> None:
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self.weekdays = frozenset(weekdays)
        self.periods = tuple(periods)
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        if any(end <= start for start, end in self.periods):
            raise ValueError("every working period must end after it starts")

    @classmethod
    def from_config(cls, config: WorkingHoursConfig, tz: str) -> WorkingCalendar:
        return cls(
            tz,
            config.weekdays,
            [(p.start, p.end) for p in config.periods],
            config.holidays,
            config.workdays,
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def intervals_on(self, day: date) -> list[Interval]:
        """The working periods of local ``day`` as UTC instants (empty on a day off)."""
        if not self.is_working_day(day):
            return []
        out = []
        for start, end in self.periods:
            a = datetime.combine(day, start, self.tz).astimezone(UTC)
            b = datetime.combine(day, end, self.tz).astimezone(UTC)
            if b > a:
                out.append((a, b))
        return out

    def _intervals_from(self, start: datetime, days: int = MAX_DAYS) -> Iterator[Interval]:
        day = start.astimezone(self.tz).date() - timedelta(days=1)  # a period may straddle UTC dates
        for offset in range(days):
            yield from self.intervals_on(day + timedelta(days=offset))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of working time after ``start`` (UTC)."""
        start = _aware(start, "start").astimezone(UTC)
        if duration < timedelta(0):
            raise ValueError(f"cannot add a negative working duration ({duration})")
        remaining = duration
        if remaining == timedelta(0):
            return start
        for a, b in self._intervals_from(start):
            if b <= start:
                continue
            begin = max(a, start)
            if remaining <= b - begin:
                return begin + remaining
            remaining -= b - begin
        raise ValueError(f"no working time within {MAX_DAYS} days after {start.isoformat()}")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero when ``end`` is not after ``start``."""
        start = _aware(start, "start").astimezone(UTC)
        end = _aware(end, "end").astimezone(UTC)
        total = timedelta(0)
        if end <= start:
            return total
        days = (end - start).days + 3
        for a, b in self._intervals_from(start, days):
            if a >= end:
                break
            overlap = min(b, end) - max(a, start)
            if overlap > timedelta(0):
                total += overlap
        return total


def clock_for(deadline: DeadlineConfig, calendar: WorkingCalendar) -> DeadlineClock:
    """The clock a category's deadlines count on."""
    return WallClock() if deadline.clock == "wall" else calendar
