"""Reference-based cover rules through the camera pipeline, on rendered sim frames."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.camera import CameraPipeline, check_detector_classes
from gridwatch.types import Frame
from tests.analysers.covers import occlude, scene
from tests.pipeline.scripted import T0, ScriptedDetector

SHIPPED_NAMES = ("manhole_cover", "manhole_open", "bare_soil")
INCIDENTS = ("manhole_missing", "manhole_damaged", "manhole_displaced")
STEP_S = 0.5


def cover_camera(tmp: Path, seed: int, interval: float | None = None) -> CameraConfig:
    _, reference, polygon = scene(seed)
    cv2.imwrite(str(tmp / "reference.png"), reference)
    rules = [{"incident": i, "reference": True, "min_seconds": 3.0, "clear_seconds": 5.0} for i in INCIDENTS]
    return CameraConfig.model_validate({
        "id": "cam-cover", "url": "rtsp://127.0.0.1/c", "reference_image": str(tmp / "reference.png"),
        "zones": [{"name": "cover-0", "polygon": [list(p) for p in polygon], "rules": rules}],
        "analysis": {"scan_interval_s": interval},
    })


def run(tmp: Path, seed: int, state: str | None, occluded: tuple[float, float] = (0.0, 0.0),
        seconds: float = 12.0) -> tuple[list[Alert], CameraPipeline, ScriptedDetector]:
    renderer, _, polygon = scene(seed)
    camera = cover_camera(tmp, seed)
    detector = ScriptedDetector([])
    detector.names = SHIPPED_NAMES  # the shipped model: no damaged / displaced classes
    alerts: list[Alert] = []
    pipeline = CameraPipeline(camera, detector, GridwatchConfig().category, EvidenceStore(tmp / "ev"),
                              alerts.append, replay=True)
    for i in range(round(seconds / STEP_S)):
        t = i * STEP_S
        image, _ = renderer.render(t, {"cover-0": state} if state and t >= 3.0 else {})
        if occluded[0] <= t < occluded[1]:
            image = occlude(image, polygon)
        pipeline.process(Frame(camera.id, image, t, T0 + timedelta(seconds=t), i))
    return alerts, pipeline, detector


@pytest.mark.parametrize(("state", "incident"), [
    ("missing", "manhole_missing"), ("damaged", "manhole_damaged"), ("displaced", "manhole_displaced"),
])
def test_each_cover_incident_alerts_once_in_time(tmp_path: Path, state: str, incident: str) -> None:
    alerts, _, _ = run(tmp_path, 11, state)
    assert [a.incident for a in alerts] == [incident]
    raised = (alerts[0].raised_at - T0).total_seconds()
    assert raised <= 3.0 + 3.0 + 2.0  # incident start + min_seconds + 2 s


def test_a_quiet_cover_with_someone_standing_on_it_for_a_while_does_not_alert(tmp_path: Path) -> None:
    alerts, pipeline, detector = run(tmp_path, 13, None, occluded=(4.0, 6.0))
    assert alerts == []
    assert pipeline.reference.last["cover-0"].state == "present"
    assert detector.calls == 0  # reference rules need no detector
    assert pipeline.counters.scans == pipeline.counters.frames


def test_scans_follow_the_scan_interval_for_reference_rules(tmp_path: Path) -> None:
    camera = cover_camera(tmp_path, 11, interval=2.0)
    detector = ScriptedDetector([])
    pipeline = CameraPipeline(camera, detector, GridwatchConfig().category, EvidenceStore(tmp_path),
                              lambda a: None, replay=True)
    renderer, _, _ = scene(11)
    image, _ = renderer.render(1.0, {})
    for i in range(8):
        pipeline.process(Frame(camera.id, image, i * 0.5, T0 + timedelta(seconds=i * 0.5), i))
    assert pipeline.counters.scans == 2 and detector.calls == 0


def test_reference_rules_need_no_model_class(tmp_path: Path) -> None:
    check_detector_classes(cover_camera(tmp_path, 11), SHIPPED_NAMES)  # no MissingClassesError


def test_a_stream_of_another_aspect_ratio_is_reported_not_fatal(tmp_path: Path) -> None:
    camera = cover_camera(tmp_path, 11)
    pipeline = CameraPipeline(camera, ScriptedDetector([]), GridwatchConfig().category,
                              EvidenceStore(tmp_path), lambda a: None, replay=True)
    square = np.zeros((360, 360, 3), np.uint8)
    pipeline.process(Frame(camera.id, square, 0.0, T0, 0))
    assert "aspect ratio" in pipeline.reference.problems["cover-0"]
    assert "camera 'cam-cover' zone 'cover-0'" in pipeline.reference.problems["cover-0"]


def test_someone_standing_on_an_open_hole_does_not_delay_its_alert(tmp_path: Path) -> None:
    alerts, _, _ = run(tmp_path, 13, "missing", occluded=(4.0, 5.5))
    assert [a.incident for a in alerts] == ["manhole_missing"]
    assert (alerts[0].raised_at - T0).total_seconds() <= 3.0 + 3.0 + 2.0


def shifted(image: np.ndarray, dx: int, dy: int) -> np.ndarray:
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(image, matrix, image.shape[1::-1], borderMode=cv2.BORDER_REPLICATE)


def test_a_view_shifted_from_its_reference_image_from_the_start_is_aligned(tmp_path: Path) -> None:
    """The alignment measures against the camera's reference image, not its first scans: a
    camera that was nudged before the worker started still has its zones where they belong."""
    renderer, _, _ = scene(11)
    camera = cover_camera(tmp_path, 11)
    alerts: list[Alert] = []
    pipeline = CameraPipeline(camera, ScriptedDetector([]), GridwatchConfig().category,
                              EvidenceStore(tmp_path / "ev"), alerts.append, replay=True)
    for i in range(24):
        t = i * STEP_S
        image, _ = renderer.render(t, {"cover-0": "missing"} if t >= 3.0 else {})
        pipeline.process(Frame(camera.id, shifted(image, 14, 6), t, T0 + timedelta(seconds=t), i))
    assert pipeline.alignment is not None and pipeline.alignment.shifted
    assert [a.incident for a in alerts] == ["manhole_missing"]
