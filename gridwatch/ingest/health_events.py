"""Publish camera events and maintenance alerts to their Redis streams (never the case stream).

Entries are flat string fields: events ``camera_id, from, to, at, detail`` on
``events_stream``; alerts ``camera_id, alert, episode_started, at, detail`` on
``maintenance_stream`` (``at`` in ISO 8601 UTC, ``detail`` JSON). When Redis does not answer,
entries wait in a bounded queue and go out, in order, with the next publish.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from datetime import UTC, datetime

import redis

from gridwatch.ingest.camera_health import CameraEvent, Changes, MaintenanceAlert
from gridwatch.ingest.health_config import CameraHealthConfig

log = logging.getLogger(__name__)
MAX_PENDING = 10_000
Entry = tuple[str, dict[str, str]]


def _iso(wall_s: float) -> str:
    return datetime.fromtimestamp(wall_s, UTC).isoformat()


def event_fields(event: CameraEvent, wall_s: float) -> dict[str, str]:
    return {"camera_id": event.camera_id, "from": str(event.from_state),
            "to": str(event.to_state), "at": _iso(wall_s), "detail": json.dumps(event.detail)}


def alert_fields(alert: MaintenanceAlert, wall_s: float, started_wall_s: float) -> dict[str, str]:
    return {"camera_id": alert.camera_id, "alert": alert.kind,
            "episode_started": _iso(started_wall_s), "at": _iso(wall_s),
            "detail": json.dumps(alert.detail)}


class HealthPublisher:
    def __init__(self, client: redis.Redis, config: CameraHealthConfig) -> None:
        self._client = client
        self._config = config
        self._pending: deque[Entry] = deque(maxlen=MAX_PENDING)

    def publish(self, changes: Changes, monotonic_now: float, wall_now: float) -> None:
        """Queue ``changes`` (monotonic times converted to wall time) and send what waits."""
        offset = wall_now - monotonic_now
        for event in changes.events:
            self._pending.append((self._config.events_stream,
                                  event_fields(event, event.at + offset)))
        for alert in changes.alerts:
            fields = alert_fields(alert, alert.at + offset, alert.episode_started + offset)
            self._pending.append((self._config.maintenance_stream, fields))
        self.flush()

    def flush(self) -> int:
        """Send queued entries in order; how many went out (stops at the first Redis error)."""
        sent = 0
        while self._pending:
            stream, fields = self._pending[0]
            try:
                self._client.xadd(stream, fields,  # type: ignore[arg-type]
                                  maxlen=self._config.stream_maxlen, approximate=True)
            except redis.RedisError as exc:
                log.warning("camera health: %d entries wait for Redis (%s)",
                            len(self._pending), exc)
                break
            self._pending.popleft()
            sent += 1
        return sent

    @property
    def pending(self) -> int:
        return len(self._pending)
