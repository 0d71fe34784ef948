"""Health checks over a worker's cameras: the newest frame of each, at most once per interval.

``CameraWatch(config, publisher)`` keeps a ``HealthTracker`` per camera; ``check(reader, now)``
runs the image checks on the reader's newest frame when one arrived and the camera's
``check_interval_s`` has passed, and publishes what changed. Called by the supervisor's thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from gridwatch.ingest.camera_health import CameraState, Changes, HealthTracker
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.health_events import HealthPublisher
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.view_check import view_stats


@dataclass
class _Watched:
    tracker: HealthTracker
    last_index: int = -1
    checked_at: float = float("-inf")


class CameraWatch:
    def __init__(self, config: CameraHealthConfig, publisher: HealthPublisher | None) -> None:
        self.config = config
        self.publisher = publisher
        self._cameras: dict[str, _Watched] = {}

    def check(self, reader: StreamReader, now: float) -> Changes:
        watched = self._cameras.get(reader.camera_id)
        if watched is None:
            watched = _Watched(HealthTracker(reader.camera_id, self.config, now))
            self._cameras[reader.camera_id] = watched
        frame = reader.latest
        stats = None
        due = now - watched.checked_at >= self.config.check_interval_s
        if frame is not None and frame.index > watched.last_index and due:
            stats = view_stats(frame.image)
            watched.last_index, watched.checked_at = frame.index, now
        health = reader.health()
        changes = watched.tracker.update(now, health.state, stats, health.reconnects)
        if self.publisher is not None and (changes.events or changes.alerts):
            self.publisher.publish(changes, now, time.time())
        return changes

    def forget_others(self, camera_ids: set[str]) -> None:
        """Drop the trackers of cameras no longer in the worker."""
        for camera_id in set(self._cameras) - camera_ids:
            del self._cameras[camera_id]

    def states(self) -> dict[str, CameraState]:
        return {cid: w.tracker.state for cid, w in self._cameras.items()}
