"""A suspended alert engine (the camera's view moved): it raises nothing and clears nothing."""

from __future__ import annotations

import pytest

from gridwatch.alerts.engine import AlertEngine
from gridwatch.alerts.record import Alert
from gridwatch.alerts.zones import ZoneWatcher
from gridwatch.config.models import GridwatchConfig
from tests.alerts.test_engine import HOLE, camera, dets, frame

STEP_S = 0.5


def run(timeline: str) -> list[Alert]:
    """One tick per character, ``STEP_S`` apart: ``H`` a hole in the zone, ``.`` nothing,
    ``S`` suspend, ``R`` resume (no observation on those ticks)."""
    cam = camera(min_seconds=2, clear_seconds=3)
    engine = AlertEngine(cam, GridwatchConfig().category, replay=True)
    zones = ZoneWatcher(cam.zones)
    alerts: list[Alert] = []
    for i, tick in enumerate(timeline):
        t = frame(i * STEP_S)
        if tick == "S":
            engine.suspend(t.wall_time.timestamp())
        elif tick == "R":
            engine.resume(t.wall_time.timestamp())
        else:
            alerts += engine.update(t, zones.observe(dets(HOLE) if tick == "H" else dets()))
    return alerts


@pytest.mark.parametrize(
    ("timeline", "started_s"),
    [
        ("H" * 10 + "." * 22 + "H" * 10, [0.0, 16.0]),  # control: a long gap is two episodes
        ("H" * 10 + "S" + "." * 20 + "R" + ".." + "H" * 10, [0.0]),  # blind time does not clear
        ("H" * 10 + "SR" + "." * 8 + "H" * 10, [0.0, 10.0]),  # absent clear_seconds after: clears
        ("HHH" + "S" + "H" * 20, []),  # nothing is raised while suspended
        ("HHH" + "S" + "H" * 6 + "R" + "H" * 10, [5.5]),  # pending is dropped: starts again
    ],
)
def test_suspension_neither_raises_nor_clears(timeline: str, started_s: list[float]) -> None:
    assert [a.started_s for a in run(timeline)] == started_s


def test_a_camera_alert_has_no_zone_and_the_camera_category() -> None:
    from gridwatch.alerts.persistence import Episode

    engine = AlertEngine(camera(), GridwatchConfig().category, replay=True)
    alert = engine.camera_alert("camera_moved", Episode(1e9, 1e9 + 1, 0.8, (0, 0, 1, 1)), frame(0))
    assert (alert.zone, alert.incident, alert.category_code, alert.bbox) == (
        "", "camera_moved", "M004", (0.0, 0.0, 1.0, 1.0))
    assert alert.evidence == f"cam-1/{alert.alert_id}.jpg"
