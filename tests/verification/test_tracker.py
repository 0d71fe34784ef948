"""VerificationTracker on scripted observations (pure logic; the clip test uses real video)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridwatch.alerts.zones import Observation
from gridwatch.config.models import CameraConfig
from gridwatch.verification.tracker import VerificationRequest, VerificationTracker

T0 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
BOX = (0.4, 0.5, 0.5, 0.6)
AWAY = (0.8, 0.1, 0.9, 0.2)
CAMERA = CameraConfig.model_validate({
    "id": "cam", "url": "rtsp://127.0.0.1/x",
    "zones": [{"name": "cover", "polygon": [[0, 0], [1, 0], [1, 1]],
               "rules": [{"incident": "manhole_missing", "min_seconds": 3, "clear_seconds": 5}]}],
})


def run(pattern: str, **kw: float) -> tuple[str, float] | None:
    """Feed one observation per 0.5 s: 'x' hole at the box, 'a' a sighting away, '.' nothing."""
    tracker = VerificationTracker(CAMERA)
    tracker.request(VerificationRequest("case-1", "cam", "cover", "manhole_missing", BOX, **kw))
    for i, ch in enumerate(pattern):
        bbox = {"x": BOX, "a": AWAY}.get(ch)
        obs = Observation("cover", "manhole_missing", bbox is not None, 0.9 if bbox else 0.0, bbox)
        at = T0 + timedelta(seconds=0.5 * i)
        for result in tracker.update(at, [obs]):
            return result.outcome, (result.at - T0).total_seconds()
    return None


@pytest.mark.parametrize(
    ("pattern", "kw", "expected"),
    [
        ("." * 12, {}, ("verified", 5.0)),  # absent for clear_seconds (5 s)
        ("x" * 12, {}, ("reopened", 3.0)),  # still there for min_seconds (3 s)
        ("xx.x.xx.xxxx", {}, ("reopened", 3.0)),  # flickering detections still count
        ("a" * 12, {}, ("verified", 5.0)),  # a sighting elsewhere is not the hole
        ("xx" + "." * 12, {}, ("verified", 5.5)),  # gone after a moment: 5 s from the last sighting
        ("." * 6 + "x" + "." * 12, {}, ("verified", 8.0)),  # a sighting restarts the quiet period
        ("." * 6, {}, None),  # not long enough to decide
        ("." * 30, {"absent_s": 10.0}, ("verified", 10.0)),  # per-request duration
        ("x" * 30, {"present_s": 1.0}, ("reopened", 1.0)),
    ],
)
def test_outcomes(pattern: str, kw: dict[str, float], expected: tuple[str, float] | None) -> None:
    assert run(pattern, **kw) == expected


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (VerificationRequest("r", "other", "cover", "manhole_missing", BOX), "is for camera"),
        (VerificationRequest("r", "cam", "nope", "manhole_missing", BOX), "no rule"),
        (VerificationRequest("r", "cam", "cover", "bare_soil", BOX), "no rule"),
    ],
)
def test_bad_request_is_a_clear_error(request_: VerificationRequest, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VerificationTracker(CAMERA).request(request_)
