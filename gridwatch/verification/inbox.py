"""The worker's side of verification: open requests for its cameras into their pipelines,
their verdicts onto the verdict stream.

Every ``poll_s`` the inbox reads the requests hash, hands each request for a camera this worker
runs to ``CameraPipeline.request_verification`` (once; again after a restart, since the tracker
keeps nothing), and publishes the verdicts the pipelines reached. A verdict that cannot be
published while Redis is away is kept and sent at the next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Protocol

from gridwatch.config.models import CameraConfig
from gridwatch.queue.idempotent import REDIS_DOWN
from gridwatch.verification.board import VerificationBoard
from gridwatch.verification.tracker import VerificationRequest, VerificationResult

log = logging.getLogger(__name__)


class VerifyingPipeline(Protocol):
    """What the inbox needs of a ``CameraPipeline``."""

    camera: CameraConfig
    on_verification: Callable[[VerificationResult], None] | None

    def request_verification(self, request: VerificationRequest) -> None: ...


class VerificationInbox:
    """Feeds ``pipelines()`` the open requests of their cameras; publishes their verdicts."""

    def __init__(self, board: VerificationBoard,
                 pipelines: Callable[[], Iterable[VerifyingPipeline]],
                 interval_s: float = 2.0) -> None:
        self.board = board
        self.pipelines = pipelines
        self.interval_s = interval_s
        self._asked: dict[str, set[str]] = {}  # camera id → request ids its tracker holds
        self._owners: dict[str, VerifyingPipeline] = {}  # camera id → the pipeline asked
        self._unsent: list[VerificationResult] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.published = 0

    def poll_once(self) -> int:
        """Send kept verdicts and hand out new requests; returns how many were handed out.
        While Redis is away nothing changes (and nothing is raised)."""
        try:
            self._send_unsent()
            requests = self.board.open_requests()
        except REDIS_DOWN as exc:
            log.debug("verification requests not polled (%s)", type(exc).__name__)
            return 0
        by_camera = {p.camera.id: p for p in self.pipelines()}
        handed = 0
        for request in requests:
            pipeline = by_camera.get(request.camera_id)
            if pipeline is not None and self._hand(pipeline, request.tracker_request()):
                handed += 1
        self._forget_closed({r.request_id for r in requests})
        return handed

    def _hand(self, pipeline: VerifyingPipeline, request: VerificationRequest) -> bool:
        camera = pipeline.camera.id
        if self._owners.get(camera) is not pipeline:  # new, or rebuilt: its tracker is empty
            self._owners[camera] = pipeline
            self._asked[camera] = set()
            pipeline.on_verification = self.report
        asked = self._asked[camera]
        if request.request_id in asked:
            return False
        asked.add(request.request_id)
        try:
            pipeline.request_verification(request)
        except ValueError as exc:
            log.error("verification request %s not taken by camera %s: %s",
                      request.request_id, camera, exc)
            return False
        log.info("camera %s re-checks %s/%s for %s", camera, request.zone, request.incident,
                 request.request_id)
        return True

    def _forget_closed(self, open_ids: set[str]) -> None:
        for asked in self._asked.values():
            asked &= open_ids

    def report(self, result: VerificationResult) -> None:
        """``on_verification`` of the pipelines: publish now, or keep it for the next poll."""
        try:
            self._publish(result)
        except REDIS_DOWN as exc:
            log.warning("verdict %s kept until Redis answers (%s)", result.request_id,
                        type(exc).__name__)
            with self._lock:
                self._unsent.append(result)

    def _publish(self, result: VerificationResult) -> None:
        entry = self.board.publish_verdict(result)
        if entry is not None:
            self.published += 1
        log.info("verdict %s: %s (%s)", result.request_id, result.outcome, result.detail)

    def _send_unsent(self) -> None:
        with self._lock:
            waiting, self._unsent = self._unsent, []
        for index, result in enumerate(waiting):
            try:
                self._publish(result)
            except REDIS_DOWN:
                with self._lock:
                    self._unsent = waiting[index:] + self._unsent
                raise

    def start(self) -> VerificationInbox:
        self._thread = threading.Thread(target=self._run, name="verification", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            try:
                self.poll_once()
            except Exception:  # the thread must outlive a bad request or a store hiccup
                log.exception("verification poll failed")
            if self._stop.wait(self.interval_s):
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        try:
            self._send_unsent()
        except REDIS_DOWN:
            log.warning("%d verdict(s) not sent: Redis away at stop", len(self._unsent))
