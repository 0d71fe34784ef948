"""Count rules (``min_count``): a crowd or a heap of bikes is the incident, not one object."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from gridwatch.alerts.zones import ZoneWatcher
from gridwatch.config.models import RuleConfig, ZoneConfig
from gridwatch.types import Detections

NAMES = ("person", "bicycle", "car")
LEFT_HALF = [[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]


def people(*boxes: tuple[float, float, float, float, float, int]) -> Detections:
    """Detections from (x1, y1, x2, y2, confidence, class id) rows."""
    rows = np.asarray(boxes, np.float64).reshape(-1, 6)
    return Detections(
        rows[:, :4].astype(np.float32), rows[:, 4].astype(np.float32), rows[:, 5].astype(np.int64), NAMES
    )


def crowd_watcher(min_count: int | None, incident: str = "crowd_gathering") -> ZoneWatcher:
    rule = {"incident": incident, "min_confidence": 0.4}
    if min_count is not None:
        rule["min_count"] = min_count
    return ZoneWatcher([ZoneConfig.model_validate({"name": "plaza", "polygon": LEFT_HALF, "rules": [rule]})])


P1 = (0.1, 0.1, 0.2, 0.4, 0.9, 0)
P2 = (0.2, 0.3, 0.3, 0.6, 0.7, 0)
P3 = (0.3, 0.5, 0.4, 0.9, 0.5, 0)
OUTSIDE = (0.6, 0.1, 0.7, 0.4, 0.9, 0)
FAINT = (0.1, 0.5, 0.2, 0.8, 0.2, 0)
BIKE = (0.1, 0.1, 0.2, 0.2, 0.9, 1)


@pytest.mark.parametrize(
    ("boxes", "min_count", "present", "count", "bbox"),
    [
        ((P1, P2, P3), 3, True, 3, (0.1, 0.1, 0.4, 0.9)),
        ((P1, P2, OUTSIDE), 3, False, 2, None),
        ((P1, P2, FAINT), 3, False, 2, None),
        ((P1, P2, BIKE), 3, False, 2, None),
        ((P1, P2), 2, True, 2, (0.1, 0.1, 0.3, 0.6)),
        ((P2, P1), None, True, 2, (0.1, 0.1, 0.2, 0.4)),  # no min_count: the best single object
        ((), 1, False, 0, None),
    ],
)
def test_count_rule(
    boxes: tuple[tuple[float, ...], ...], min_count: int | None, present: bool, count: int,
    bbox: tuple[float, float, float, float] | None,
) -> None:
    (obs,) = crowd_watcher(min_count).observe(people(*boxes))
    assert (obs.present, obs.count) == (present, count)
    if bbox is None:
        assert obs.bbox is None
    else:
        assert obs.bbox == pytest.approx(bbox, abs=1e-6)


def test_group_confidence_is_the_mean() -> None:
    (obs,) = crowd_watcher(3).observe(people(P1, P2, P3))
    assert obs.confidence == pytest.approx((0.9 + 0.7 + 0.5) / 3, abs=1e-6)


def test_bikes_counted_for_nonmotor_parking() -> None:
    bikes = [(0.05 * i, 0.5, 0.05 * i + 0.04, 0.6, 0.8, 1) for i in range(1, 7)]
    (obs,) = crowd_watcher(5, "illegal_parking_nonmotor").observe(people(*bikes))
    assert obs.present and obs.count == 6


@pytest.mark.parametrize("incident", ["manhole_missing", "bare_soil", "street_vending"])
def test_min_count_only_for_count_incidents(incident: str) -> None:
    with pytest.raises(ValidationError, match="min_count applies to"):
        RuleConfig.model_validate({"incident": incident, "min_count": 3})


@pytest.mark.parametrize("count", [0, -2])
def test_min_count_must_be_positive(count: int) -> None:
    with pytest.raises(ValidationError, match="min_count"):
        RuleConfig.model_validate({"incident": "crowd_gathering", "min_count": count})
