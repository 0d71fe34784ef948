"""Build a worker's reader supervisor, with camera health publishing when Redis is at hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import redis

from gridwatch.ingest.camera_watch import CameraWatch
from gridwatch.ingest.health_events import HealthPublisher
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.supervisor import ReaderSupervisor

if TYPE_CHECKING:
    from gridwatch.config.models import GridwatchConfig


def build_supervisor(
    site: GridwatchConfig, readers: Callable[[], Iterable[StreamReader]],
    client: redis.Redis | None,
) -> ReaderSupervisor:
    """Events and maintenance alerts go to the site's Redis (``client``); without one the
    checks still run and states are kept, nothing is published."""
    health = site.camera_health
    publisher = HealthPublisher(client, health) if client is not None else None
    return ReaderSupervisor(
        readers, stall_after_s=health.stall_after_s, watch_interval_s=health.watch_interval_s,
        health=CameraWatch(health, publisher),
    )
