"""When a rule is active: weekly time windows in the site's timezone, midnight crossings allowed.

A window ``{days: [fri], start: "22:00", end: "06:00"}`` covers Friday 22:00 to Saturday 06:00:
the days name the day a window *starts*. ``end`` is exclusive. An empty schedule means always.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class TimeWindow(BaseModel):
    """One weekly window: from ``start`` to ``end`` on each of ``days``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: list[Weekday] = Field(
        default_factory=lambda: list(WEEKDAYS),
        min_length=1,
        description="Days the window starts on (mon..sun); default every day.",
    )
    start: time = Field(description="Local start time, HH:MM (site timezone).")
    end: time = Field(
        description="Local end time, HH:MM, exclusive; earlier than start: ends the next day."
    )

    @model_validator(mode="after")
    def _not_empty(self) -> TimeWindow:
        if self.start == self.end:
            raise ValueError(
                f"window {self.start:%H:%M}-{self.end:%H:%M} is empty; "
                "for all day leave the schedule out"
            )
        return self

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    def contains(self, local: datetime) -> bool:
        """Whether the local (site-timezone) moment ``local`` falls in this window."""
        clock = local.time().replace(tzinfo=None)
        today = WEEKDAYS[local.weekday()]
        if not self.crosses_midnight:
            return today in self.days and self.start <= clock < self.end
        yesterday = WEEKDAYS[(local - timedelta(days=1)).weekday()]
        return (today in self.days and clock >= self.start) or (
            yesterday in self.days and clock < self.end
        )


def schedule_active(windows: list[TimeWindow], local: datetime) -> bool:
    """Whether a rule with ``windows`` is active at ``local``; no windows: always."""
    return not windows or any(window.contains(local) for window in windows)
