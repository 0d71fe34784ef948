"""Operator feedback: suppressions in Redis, the engine dropping suppressed episodes, negatives."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
import redis

from gridwatch.alerts.engine import AlertEngine
from gridwatch.alerts.evidence import EvidenceStore, frame_reference
from gridwatch.alerts.feedback import FeedbackRecorder
from gridwatch.alerts.record import Alert
from gridwatch.alerts.suppression import RedisSuppressions, Suppression, SuppressionList, iou
from gridwatch.alerts.zones import ZoneWatcher
from gridwatch.config.feedback import FeedbackConfig
from gridwatch.config.models import GridwatchConfig
from gridwatch.pipeline.factory import DetectorPool, build_pipeline
from gridwatch.pipeline.suppressions import SuppressionRefresher
from gridwatch.training.negatives import crop_box, export_negatives
from gridwatch.types import Frame
from tests.alerts.test_engine import HOLE, T0, camera, dets, frame

BOX = (0.15, 0.15, 0.25, 0.25)


def suppression(**changes: object) -> Suppression:
    base: dict[str, object] = {
        "camera_id": "cam-1", "zone": "cover-a", "incident": "manhole_missing", "bbox": BOX,
        "until": T0.timestamp() + 3600, "alert_id": "a1", "reason": "a drain grate, not a hole",
    }
    base.update(changes)
    return Suppression(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (BOX, BOX, 1.0),
        ((0.0, 0.0, 0.2, 0.2), (0.1, 0.1, 0.3, 0.3), 0.01 / 0.07),
        ((0.0, 0.0, 0.1, 0.1), (0.5, 0.5, 0.6, 0.6), 0.0),
        ((0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0), 0.0),
    ],
)
def test_iou(a: tuple[float, ...], b: tuple[float, ...], expected: float) -> None:
    assert iou(a, b) == pytest.approx(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zone", "incident", "bbox", "dt", "hit"),
    [
        ("cover-a", "manhole_missing", BOX, 0, True),
        ("cover-a", "manhole_missing", (0.16, 0.16, 0.26, 0.26), 0, True),
        ("cover-b", "manhole_missing", BOX, 0, False),
        ("cover-a", "manhole_damaged", BOX, 0, False),
        ("cover-a", "manhole_missing", (0.5, 0.5, 0.6, 0.6), 0, False),
        ("cover-a", "manhole_missing", BOX, 7200, False),  # expired
    ],
)
def test_match(zone: str, incident: str, bbox: tuple[float, ...], dt: float, hit: bool) -> None:
    found = SuppressionList((suppression(),)).match(zone, incident, bbox, T0.timestamp() + dt)  # type: ignore[arg-type]
    assert (found is not None) is hit


@pytest.fixture
def store(redis_url: str, stream_name: str) -> Iterator[RedisSuppressions]:
    client = redis.Redis.from_url(redis_url)
    yield RedisSuppressions(client, prefix=stream_name)
    client.close()


def test_redis_round_trip_and_expiry(store: RedisSuppressions) -> None:
    now = time.time()
    store.add(suppression(until=now + 60))
    store.add(suppression(alert_id="old", until=now - 1))
    live = store.for_camera("cam-1", now)
    assert [s.alert_id for s in live.items] == ["a1"]
    assert live.items[0].bbox == BOX and live.items[0].reason == "a drain grate, not a hole"
    assert store.client.hkeys(store.key("cam-1")) == [b"a1"]  # the expired one was deleted
    assert 0 < store.client.ttl(store.key("cam-1")) <= 62
    assert store.for_camera("cam-2").items == ()
    assert store.remove("cam-1", "a1") and store.for_camera("cam-1").items == ()


def run_engine(suppressions: SuppressionList) -> tuple[AlertEngine, list[Alert]]:
    cam = camera()
    engine = AlertEngine(cam, GridwatchConfig().category, replay=True)
    engine.suppressions = suppressions
    zones = ZoneWatcher(cam.zones)
    alerts = [a for i in range(12) for a in engine.update(frame(i * 0.5), zones.observe(dets(HOLE)))]
    return engine, alerts


def test_engine_drops_a_suppressed_episode() -> None:
    engine, alerts = run_engine(SuppressionList((suppression(),)))
    assert alerts == [] and engine.suppressed == 1


def test_engine_alerts_elsewhere_despite_a_suppression() -> None:
    engine, alerts = run_engine(SuppressionList((suppression(bbox=(0.5, 0.5, 0.6, 0.6)),)))
    assert len(alerts) == 1 and engine.suppressed == 0


def saved_alert(tmp_path: Path) -> tuple[Alert, EvidenceStore, np.ndarray]:
    cam = camera()
    engine = AlertEngine(cam, GridwatchConfig().category, replay=False)
    zones = ZoneWatcher(cam.zones)
    ramp = np.linspace(40, 200, 320, dtype=np.float32)
    image = np.repeat(np.stack([ramp, ramp[::-1], np.full(320, 90.0)], axis=1)[None], 180, 0).astype(np.uint8)
    alerts: list[Alert] = []
    for i in range(12):
        f = frame(i * 0.5)
        alerts += engine.update(Frame(f.camera_id, image, f.pts_s, f.wall_time), zones.observe(dets(HOLE)))
    evidence = EvidenceStore(tmp_path / "evidence")
    evidence.save(alerts[0], Frame("cam-1", image, 0.0, T0), cam.zones[0], dets(HOLE))
    return alerts[0], evidence, image


def test_rejection_suppresses_and_keeps_a_negative(tmp_path: Path, store: RedisSuppressions) -> None:
    alert, evidence, image = saved_alert(tmp_path)
    clean = cv2.imread(str(evidence.path_of(frame_reference(alert.evidence))))
    annotated = cv2.imread(str(evidence.path_of(alert.evidence)))
    assert clean is not None and annotated is not None
    assert np.abs(clean.astype(int) - image).max() < 8  # the raw frame, not the drawing
    assert np.abs(annotated.astype(int) - image).max() > 60
    recorder = FeedbackRecorder(FeedbackConfig(), store, evidence, tmp_path / "negatives")
    done = recorder.rejected(alert, "shadow of a sign", "operator-7")
    assert done.suppression is not None and done.negative is not None
    assert [s.alert_id for s in store.for_camera("cam-1").items] == [alert.alert_id]
    label = json.loads(done.negative.with_suffix(".json").read_text(encoding="utf-8"))
    assert (label["not"], label["actor"]) == ("manhole_missing", "operator-7")
    assert label["bbox"] == list(alert.bbox)
    out = tmp_path / "hard-negatives"
    assert export_negatives(tmp_path / "negatives", out) == 1
    (crop,) = (out / "images").glob("*.jpg")
    crop_image = cv2.imread(str(crop))
    assert crop_image is not None and 16 <= crop_image.shape[1] <= 320
    assert [p.read_text() for p in (out / "labels").glob("*.txt")] == [""]


def test_rejection_without_a_clean_frame_still_suppresses(tmp_path: Path, store: RedisSuppressions) -> None:
    alert, evidence, _ = saved_alert(tmp_path)
    evidence.path_of(frame_reference(alert.evidence)).unlink()
    done = FeedbackRecorder(FeedbackConfig(), store, evidence, tmp_path / "neg").rejected(alert, "", "op")
    assert done.negative is None and done.suppression is not None


@pytest.mark.parametrize("camera_id", ["../../etc", "a/b", ".hidden", "x" * 80])
def test_rejection_never_writes_outside_the_negatives_folder(
    tmp_path: Path, store: RedisSuppressions, camera_id: str
) -> None:
    alert, evidence, _ = saved_alert(tmp_path)
    poisoned = alert.model_copy(update={"camera_id": camera_id})
    done = FeedbackRecorder(FeedbackConfig(), store, evidence, tmp_path / "neg").rejected(poisoned, "", "op")
    assert done.negative is None
    assert not (tmp_path / "neg").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence"]


@pytest.mark.parametrize(
    ("bbox", "context", "expected"),
    [
        ([0.4, 0.4, 0.6, 0.6], 2.0, (60, 30, 140, 70)),
        ([0.0, 0.0, 0.1, 0.1], 2.0, (0, 0, 30, 15)),  # clipped at the frame edge
        ([0.5, 0.5, 0.5, 0.5], 2.0, (92, 42, 108, 58)),  # at least 16 px
    ],
)
def test_crop_box(bbox: list[float], context: float, expected: tuple[int, int, int, int]) -> None:
    assert crop_box(200, 100, bbox, context) == expected


def test_refresher_loads_lists_and_survives_redis_down(store: RedisSuppressions, tmp_path: Path) -> None:
    site = GridwatchConfig.model_validate({"store": {"data_dir": str(tmp_path)}})
    pipeline = build_pipeline(camera(), site, DetectorPool(site), lambda alert: None)
    store.add(suppression(until=time.time() + 60))
    refresher = SuppressionRefresher(store, lambda: [pipeline], min_iou=0.5)
    assert refresher.refresh_once()
    assert [s.alert_id for s in pipeline.engine.suppressions.items] == ["a1"]
    assert pipeline.engine.suppressions.min_iou == 0.5
    down = RedisSuppressions(redis.Redis(port=1, socket_connect_timeout=0.5), prefix="x")
    assert not SuppressionRefresher(down, lambda: [pipeline]).refresh_once()
    assert [s.alert_id for s in pipeline.engine.suppressions.items] == ["a1"]
