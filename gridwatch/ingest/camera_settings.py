"""A camera's config → its reader's settings, with the sampling mode resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridwatch.ingest.modes import SamplingMode, resolve_sampling
from gridwatch.ingest.settings import ReaderSettings

if TYPE_CHECKING:
    from gridwatch.config.models import CameraConfig


def settings_for_camera(camera: CameraConfig) -> ReaderSettings:
    """``keyframe`` → keyframe-only decoding; ``snapshot`` → one keyframe per connection;
    ``interval`` → full decode. The interval is the camera's ``sampling.interval_s``."""
    sampling = resolve_sampling(camera)
    return ReaderSettings(
        url=camera.url.get_secret_value(),
        camera_id=camera.id,
        sample_interval_s=sampling.interval_s,
        keyframes_only=sampling.mode is SamplingMode.KEYFRAME,
        snapshot=sampling.mode is SamplingMode.SNAPSHOT,
    )
