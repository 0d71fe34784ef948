"""Tracked rules through the whole camera pipeline: stalls, parked cars, heaps of bikes, crowds.

Scripted scenes (``tests.pipeline.scripted``): the frames are drawn from the same objects the
scripted detector reports, so tracking, dwell, motion gating and persistence all run for real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.pipeline.scripted import Prop, camera, run

KERB = [[0.3, 0.3], [0.7, 0.3], [0.7, 0.9], [0.3, 0.9]]
CAR = (0.2, 0.12)
PERSON = (0.04, 0.12)


def parked(x: float, y: float, enter: float = 5.0, leave: float = 1e9, cls: str = "car",
           size: tuple[float, float] = CAR) -> Prop:
    return Prop(cls, (x, y), size=size, enter_s=enter, leave_s=leave)


def bikes(n: int, speed: float = 0.0) -> list[Prop]:
    return [Prop("bicycle", (0.34 + 0.06 * i, 0.7), (speed, 0.0), size=(0.04, 0.06), enter_s=4.0)
            for i in range(n)]


def walkers(n: int) -> list[Prop]:  # people milling about inside the zone, each moving
    return [Prop("person", (0.35 + 0.05 * i, 0.5), (0.004 * (-1) ** i, 0.003), size=PERSON, enter_s=3.0)
            for i in range(n)]


CASES: list[tuple[str, dict[str, Any], list[Prop], float | None]] = [
    # (incident, rule options, scene, expected start of the alert; None: no alert)
    ("illegal_parking_motor", {}, [parked(0.5, 0.6)], 5.0),
    ("illegal_parking_motor", {}, [Prop("car", (0.0, 0.6), (0.05, 0.0), CAR)], None),  # drives by
    ("illegal_parking_motor", {}, [Prop("car", (0.2, 0.6), (0.01, 0.0), CAR)], None),  # creeps by
    ("illegal_parking_motor", {}, [parked(0.5, 0.6, leave=15.0)], None),  # leaves before 20 s
    ("illegal_parking_motor", {}, [parked(0.85, 0.6)], None),  # parked outside the zone
    ("illegal_parking_motor", {}, [parked(0.5, 0.6, cls="person", size=PERSON)], None),
    ("street_vending", {}, [parked(0.5, 0.5, 3.0, cls="umbrella", size=(0.1, 0.1)),
                            parked(0.56, 0.62, 3.0, cls="person", size=PERSON)], 3.0),
    ("street_vending", {}, [parked(0.5, 0.5, 3.0, cls="umbrella", size=(0.1, 0.1))], None),  # unkept
    ("street_vending", {"with_classes": []}, [parked(0.5, 0.5, 3.0, cls="umbrella", size=(0.1, 0.1))], 3.0),
    ("street_vending", {}, [parked(0.5, 0.5, 3.0, cls="umbrella", size=(0.1, 0.1)),
                            Prop("person", (0.0, 0.6), (0.1, 0.0), PERSON)], None),  # passer-by only
    ("out_of_store_business", {}, [parked(0.45, 0.7, 6.0, cls="dining table", size=(0.12, 0.08)),
                                   parked(0.4, 0.6, 6.0, cls="person", size=PERSON)], 6.0),
    ("illegal_parking_nonmotor", {"min_count": 5}, bikes(6), 4.0),
    ("illegal_parking_nonmotor", {"min_count": 5}, bikes(4), None),
    ("illegal_parking_nonmotor", {"min_count": 5}, bikes(6, speed=0.03), None),  # riders passing
    ("crowd_gathering", {"min_count": 5}, walkers(6), 3.0),
    ("crowd_gathering", {"min_count": 5}, walkers(4), None),
]


@pytest.mark.parametrize(("incident", "options", "props", "start"), CASES)
def test_tracked_rule(incident: str, options: dict[str, Any], props: list[Prop], start: float | None,
                      tmp_path: Path) -> None:
    rule = {"incident": incident, "min_seconds": 20, "clear_seconds": 10, **options}
    cam = camera([{"name": "kerb", "polygon": KERB, "rules": [rule]}])
    alerts, _, _ = run(cam, props, 40.0, 1.0, tmp_path)
    if start is None:
        assert alerts == []
        return
    (alert,) = alerts
    assert alert.incident == incident and alert.zone == "kerb"
    assert alert.started_s == pytest.approx(start, abs=1.01)
    assert alert.raised_s == pytest.approx(start + 20, abs=1.01)  # min_seconds from the arrival


def test_a_stall_outside_its_schedule_raises_nothing(tmp_path: Path) -> None:
    """Vending is watched 07:00-12:00 only; the scene is at 18:00 local time."""
    rule = {"incident": "street_vending", "min_seconds": 10, "with_classes": [],
            "schedule": [{"start": "07:00", "end": "12:00"}]}
    cam = camera([{"name": "kerb", "polygon": KERB, "rules": [rule]}])
    alerts, _, _ = run(cam, [parked(0.5, 0.5, 2.0, cls="umbrella", size=(0.1, 0.1))], 30.0, 1.0, tmp_path)
    assert alerts == []


def test_overlapping_zones_each_see_the_car(tmp_path: Path) -> None:
    rule = {"incident": "illegal_parking_motor", "min_seconds": 10}
    whole = [[0, 0], [1, 0], [1, 1], [0, 1]]
    cam = camera([{"name": "kerb", "polygon": KERB, "rules": [rule]},
                  {"name": "all", "polygon": whole, "rules": [rule]},
                  {"name": "far", "polygon": [[0, 0], [0.2, 0], [0.2, 0.2], [0, 0.2]], "rules": [rule]}])
    alerts, _, _ = run(cam, [parked(0.5, 0.6)], 25.0, 1.0, tmp_path)
    assert sorted(a.zone for a in alerts) == ["all", "kerb"]
    assert len({a.alert_id for a in alerts}) == 2


def test_a_stall_set_up_before_its_watched_hours_is_an_incident_from_their_start(tmp_path: Path) -> None:
    """Watched from 18:01 local (60 s into the scene, which begins at 18:00): the stall that stood
    there since 2 s is an incident from 18:01, so min_seconds counts from then, not from 2 s."""
    rule = {"incident": "street_vending", "min_seconds": 10, "with_classes": [],
            "schedule": [{"start": "18:01", "end": "23:00"}]}
    cam = camera([{"name": "kerb", "polygon": KERB, "rules": [rule]}])
    alerts, _, _ = run(cam, [parked(0.5, 0.5, 2.0, cls="umbrella", size=(0.1, 0.1))], 90.0, 1.0, tmp_path)
    (alert,) = alerts
    assert alert.started_s == pytest.approx(60.0, abs=1.01)
    assert alert.raised_s == pytest.approx(70.0, abs=1.01)
