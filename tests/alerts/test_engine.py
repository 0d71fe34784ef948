"""Alert engine logic on synthetic detections (the detector itself is tested elsewhere)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from gridwatch.alerts.engine import AlertEngine
from gridwatch.alerts.zones import ZoneWatcher
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.types import Detections, Frame

NAMES = ("manhole_cover", "manhole_open", "bare_soil")
T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def camera(**rule: object) -> CameraConfig:
    return CameraConfig.model_validate(
        {
            "id": "cam-1",
            "url": "rtsp://127.0.0.1:8554/a",
            "street": "洛龙街道",
            "grid": "LL-02",
            "zones": [
                {
                    "name": "cover-a",
                    "polygon": [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3], [0.1, 0.3]],
                    "shop": "老王面馆",
                    "rules": [{"incident": "manhole_missing", "min_seconds": 2, **rule}],
                }
            ],
        }
    )


def dets(*boxes: tuple[str, float, tuple[float, float, float, float]]) -> Detections:
    if not boxes:
        return Detections.empty(NAMES)
    return Detections(
        xyxy=np.array([b for _, _, b in boxes], dtype=np.float32),
        confidence=np.array([c for _, c, _ in boxes], dtype=np.float32),
        class_id=np.array([NAMES.index(n) for n, _, _ in boxes], dtype=np.int64),
        names=NAMES,
    )


def frame(t: float) -> Frame:
    return Frame("cam-1", np.zeros((4, 4, 3), np.uint8), t, T0 + timedelta(seconds=t))


HOLE = ("manhole_open", 0.9, (0.15, 0.15, 0.25, 0.25))
HOLE_OUTSIDE = ("manhole_open", 0.9, (0.6, 0.6, 0.7, 0.7))
COVER = ("manhole_cover", 0.9, (0.15, 0.15, 0.25, 0.25))
WEAK_HOLE = ("manhole_open", 0.2, (0.15, 0.15, 0.25, 0.25))


def run(cam: CameraConfig, timeline: list[Detections], replay: bool = True) -> list[object]:
    engine = AlertEngine(cam, GridwatchConfig().category, replay=replay)
    zones = ZoneWatcher(cam.zones)
    alerts = []
    for i, d in enumerate(timeline):
        alerts += engine.update(frame(i * 0.5), zones.observe(d))
    return alerts


@pytest.mark.parametrize(
    ("timeline", "count"),
    [
        ([dets(COVER)] * 10 + [dets(HOLE)] * 20, 1),  # cover gone: one alert, no repeats
        ([dets(COVER)] * 30, 0),
        ([dets(HOLE_OUTSIDE)] * 30, 0),  # outside the zone
        ([dets(WEAK_HOLE)] * 30, 0),  # below min_confidence
        ([dets(HOLE)] * 3 + [dets()] * 27, 0),  # too brief
        ([dets(HOLE)] * 10 + [dets()] * 30 + [dets(HOLE)] * 10, 2),  # two episodes
    ],
)
def test_alert_count(timeline: list[Detections], count: int) -> None:
    assert len(run(camera(), timeline)) == count


def test_alert_record_is_routed_and_timed() -> None:
    (alert,) = run(camera(category_code="0102"), [dets(COVER)] * 10 + [dets(HOLE)] * 20)
    assert alert.incident == "manhole_missing"  # type: ignore[attr-defined]
    record = alert.model_dump(mode="json")  # type: ignore[attr-defined]
    assert record["category_code"] == "0102"
    assert record["level"] == "red"
    assert record["department"] == "市政设施应急队"
    assert (record["street"], record["grid"], record["shop"]) == ("洛龙街道", "LL-02", "老王面馆")
    assert record["started_s"] == 5.0 and record["raised_s"] == 7.0
    assert record["started_at"] == "2026-11-29T08:00:05Z"
    assert record["bbox"] == [0.15, 0.15, 0.25, 0.25]
    assert record["evidence"] == f"cam-1/{record['alert_id']}.jpg"


def test_live_alerts_have_no_video_seconds() -> None:
    (alert,) = run(camera(), [dets(HOLE)] * 10, replay=False)
    assert alert.started_s is None  # type: ignore[attr-defined]


def test_alert_id_is_stable_across_runs() -> None:
    timeline = [dets(COVER)] * 4 + [dets(HOLE)] * 10
    assert run(camera(), timeline)[0] == run(camera(), timeline)[0]
