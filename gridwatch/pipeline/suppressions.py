"""Keeps every pipeline's operator suppressions fresh from Redis while a worker runs."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable

from gridwatch.alerts.suppression import RedisSuppressions
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.queue.idempotent import REDIS_DOWN

log = logging.getLogger(__name__)


class SuppressionRefresher:
    """Every ``interval_s``, loads each camera's suppressions into its alert engine; while Redis
    is away the last lists stay in force."""

    def __init__(
        self,
        store: RedisSuppressions,
        pipelines: Callable[[], Iterable[CameraPipeline]],
        min_iou: float = 0.3,
        interval_s: float = 10.0,
    ) -> None:
        self.store = store
        self.pipelines = pipelines
        self.min_iou = min_iou
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh_once(self) -> bool:
        """Load every camera's list; False when Redis could not be reached."""
        try:
            for pipeline in list(self.pipelines()):
                fresh = self.store.for_camera(pipeline.camera.id)
                pipeline.engine.suppressions = dataclasses.replace(fresh, min_iou=self.min_iou)
        except REDIS_DOWN as exc:
            log.debug("suppressions not refreshed (%s); keeping the last ones", type(exc).__name__)
            return False
        return True

    def start(self) -> SuppressionRefresher:
        self.refresh_once()
        self._thread = threading.Thread(target=self._run, name="suppressions", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.refresh_once()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
