"""Sampling modes: how a camera's stream is read, and how ``auto`` picks one from its rules.

- ``keyframe``: decode keyframes only (PyAV ``skip_frame="NONKEY"``): about 8x cheaper than a
  full decode (DESIGN.md §4); one frame per GOP (~2 s) at most.
- ``interval``: full decode, one frame converted every ``interval_s`` of stream time.
- ``snapshot``: connect, take one keyframe, disconnect, wait ``interval_s``, again. No decoder and
  no connection in between: for cameras that only watch static incidents every few minutes.

``auto`` (the default) chooses from the camera's zones and ``interval_s``:

1. every rule watches a static incident (covers, soil, garbage, material) and ``interval_s`` is
   at least ``SNAPSHOT_MIN_INTERVAL_S`` (60 s) → ``snapshot``;
2. else ``interval_s`` is at least the camera's GOP (``gop_s``, ~2 s) → ``keyframe`` (a keyframe
   arrives at least once per interval, so nothing is lost by skipping the others);
3. else → ``interval`` (a dynamic rule needs frames closer together than the GOP).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from gridwatch.config.incidents import STATIC_INCIDENTS

if TYPE_CHECKING:
    from gridwatch.config.models import CameraConfig

SNAPSHOT_MIN_INTERVAL_S = 60.0


class SamplingMode(StrEnum):
    AUTO = "auto"
    KEYFRAME = "keyframe"
    INTERVAL = "interval"
    SNAPSHOT = "snapshot"


@dataclass(frozen=True, slots=True)
class ResolvedSampling:
    """The mode a camera is read in, its interval, and why (for logs and the bench)."""

    mode: SamplingMode
    interval_s: float
    reason: str


def static_only(camera: CameraConfig) -> bool:
    """True when the camera has rules and every one watches a static incident."""
    incidents = [rule.incident for zone in camera.zones for rule in zone.rules]
    return bool(incidents) and all(i in STATIC_INCIDENTS for i in incidents)


def choose_mode(interval_s: float, gop_s: float, static: bool) -> ResolvedSampling:
    """The ``auto`` rule (see the module docstring)."""
    if static and interval_s >= SNAPSHOT_MIN_INTERVAL_S:
        reason = f"static incidents only, interval {interval_s:g}s >= {SNAPSHOT_MIN_INTERVAL_S:g}s"
        return ResolvedSampling(SamplingMode.SNAPSHOT, interval_s, reason)
    if interval_s >= gop_s:
        reason = f"interval {interval_s:g}s >= GOP {gop_s:g}s"
        return ResolvedSampling(SamplingMode.KEYFRAME, interval_s, reason)
    reason = f"interval {interval_s:g}s < GOP {gop_s:g}s"
    return ResolvedSampling(SamplingMode.INTERVAL, interval_s, reason)


def resolve_sampling(camera: CameraConfig) -> ResolvedSampling:
    """The camera's configured mode, or the ``auto`` choice."""
    sampling = camera.sampling
    mode = SamplingMode(sampling.mode)
    if mode is not SamplingMode.AUTO:
        return ResolvedSampling(mode, sampling.interval_s, "configured")
    return choose_mode(sampling.interval_s, sampling.gop_s, static_only(camera))
