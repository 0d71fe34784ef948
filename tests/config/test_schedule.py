"""Rule schedules: weekly local windows, midnight crossings, and the engine honouring them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from pydantic import ValidationError

from gridwatch.alerts.engine import AlertEngine
from gridwatch.alerts.zones import ZoneWatcher
from gridwatch.config.models import GridwatchConfig
from gridwatch.config.schedule import TimeWindow, schedule_active
from gridwatch.types import Frame
from tests.alerts.test_engine import HOLE, camera, dets

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT_FRI = TimeWindow.model_validate({"days": ["fri"], "start": "22:00", "end": "06:00"})
DAYTIME = TimeWindow.model_validate({"start": "07:00", "end": "22:00"})


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """2026-11-<day> (the 27th is a Friday) at hour:minute in Shanghai."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("window", "when", "active"),
    [
        (NIGHT_FRI, local(27, 22), True),  # Friday 22:00, start inclusive
        (NIGHT_FRI, local(27, 21, 59), False),
        (NIGHT_FRI, local(28, 3), True),  # Saturday 03:00 belongs to Friday's night
        (NIGHT_FRI, local(28, 6), False),  # end exclusive
        (NIGHT_FRI, local(28, 23), False),  # Saturday night is not in the window
        (NIGHT_FRI, local(27, 3), False),  # Friday 03:00 belongs to Thursday's night
        (DAYTIME, local(29, 7), True),
        (DAYTIME, local(29, 21, 59), True),
        (DAYTIME, local(29, 22), False),
        (DAYTIME, local(29, 6, 59), False),
    ],
)
def test_window_contains(window: TimeWindow, when: datetime, active: bool) -> None:
    assert window.contains(when) is active


def test_empty_schedule_is_always_active() -> None:
    assert schedule_active([], local(27, 3))
    assert schedule_active([DAYTIME, NIGHT_FRI], local(28, 2))


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"start": "08:00", "end": "08:00"}, "is empty"),
        ({"start": "25:00", "end": "08:00"}, "start"),
        ({"days": ["fr"], "start": "08:00", "end": "09:00"}, "days"),
        ({"days": [], "start": "08:00", "end": "09:00"}, "days"),
        ({"start": "08:00"}, "end"),
    ],
)
def test_bad_windows_are_rejected(window: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TimeWindow.model_validate(window)


def alerts_at(start_local: datetime) -> int:
    """Alerts from a hole seen for 6 s from ``start_local`` by a rule active only at night."""
    cam = camera(schedule=[{"start": "22:00", "end": "06:00"}])
    engine = AlertEngine(cam, GridwatchConfig().category, replay=False, tz=SHANGHAI)
    zones = ZoneWatcher(cam.zones)
    start = start_local.astimezone(UTC)
    raised = 0
    for i in range(12):
        when = start + timedelta(seconds=i * 0.5)
        frame = Frame("cam-1", np.zeros((4, 4, 3), np.uint8), i * 0.5, when)
        raised += len(engine.update(frame, zones.observe(dets(HOLE))))
    return raised


@pytest.mark.parametrize(("when", "expected"), [(local(28, 2), 1), (local(28, 12), 0)])
def test_engine_alerts_only_inside_the_schedule(when: datetime, expected: int) -> None:
    assert alerts_at(when) == expected
