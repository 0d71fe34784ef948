"""The ``auto`` sampling rule and what each mode turns into for the reader."""

from __future__ import annotations

import pytest

from gridwatch.config.models import CameraConfig
from gridwatch.ingest.camera_settings import settings_for_camera
from gridwatch.ingest.modes import SamplingMode, choose_mode, resolve_sampling

ZONE = {"name": "z", "polygon": [[0, 0], [1, 0], [1, 1]]}


def camera(incidents: list[str], interval_s: float, mode: str = "auto") -> CameraConfig:
    zones = [{**ZONE, "rules": [{"incident": i} for i in incidents]}] if incidents else []
    return CameraConfig.model_validate({
        "id": "c1", "url": "rtsp://h/x", "zones": zones,
        "sampling": {"interval_s": interval_s, "mode": mode},
    })


@pytest.mark.parametrize(("interval_s", "gop_s", "static", "expected"), [
    (300.0, 2.0, True, SamplingMode.SNAPSHOT),
    (60.0, 2.0, True, SamplingMode.SNAPSHOT),
    (59.0, 2.0, True, SamplingMode.KEYFRAME),
    (300.0, 2.0, False, SamplingMode.KEYFRAME),
    (2.0, 2.0, False, SamplingMode.KEYFRAME),
    (1.0, 2.0, True, SamplingMode.INTERVAL),
    (4.0, 5.0, False, SamplingMode.INTERVAL),
])
def test_auto_rule(interval_s: float, gop_s: float, static: bool, expected: SamplingMode) -> None:
    assert choose_mode(interval_s, gop_s, static).mode is expected


@pytest.mark.parametrize(("incidents", "interval_s", "mode", "keyframes", "snapshot"), [
    (["manhole_missing", "bare_soil"], 300.0, "auto", False, True),
    (["manhole_missing", "illegal_parking_motor"], 300.0, "auto", True, False),
    ([], 300.0, "auto", True, False),
    (["manhole_missing"], 1.0, "auto", False, False),
    (["manhole_missing"], 300.0, "interval", False, False),
    (["illegal_parking_motor"], 1.0, "keyframe", True, False),
])
def test_camera_settings_follow_the_mode(
    incidents: list[str], interval_s: float, mode: str, keyframes: bool, snapshot: bool
) -> None:
    settings = settings_for_camera(camera(incidents, interval_s, mode))
    assert (settings.keyframes_only, settings.snapshot) == (keyframes, snapshot)
    assert settings.sample_interval_s == interval_s
    assert resolve_sampling(camera(incidents, interval_s, mode)).reason


def test_unknown_mode_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="mode"):
        camera([], 1.0, "sometimes")
