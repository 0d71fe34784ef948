"""The case service process (`gridwatch cases run`): the wiring of alerts → cases → escalation.

- A consumer of the dispatch stream records every alert in the store (``AlertIntake``).
- Dispatched cases go to the cases stream (``CaseStreamHook``); each tick republishes the
  ones whose publication failed.
- Each tick posts a verification request for every handled case; a consumer of the verdict
  stream applies the cameras' verdicts (``VerdictHandler``): verified, or reopened + escalated.
- Every ``escalation.interval_s`` the escalation service evaluates the store's open items.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis

from gridwatch.cases.ingestor import StoreIngestor
from gridwatch.cases.intake import AlertIntake
from gridwatch.cases.lifecycle import CaseService, utc_now
from gridwatch.cases.publishing import CaseStreamHook
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.verdicts import VerdictHandler, post_requests
from gridwatch.config.models import GridwatchConfig
from gridwatch.escalation.factory import build_service
from gridwatch.escalation.model import Trigger
from gridwatch.escalation.store_adapter import StoreEscalations
from gridwatch.queue.cases import CasePublisher
from gridwatch.queue.config import ConsumerConfig
from gridwatch.queue.consumer import StreamConsumer
from gridwatch.queue.idempotent import REDIS_DOWN
from gridwatch.store.errors import StoreUnavailable
from gridwatch.store.store import Store
from gridwatch.verification.board import PostedRequest, VerificationBoard, verdict_from_fields
from gridwatch.verification.tracker import VerificationResult

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
RESTART_S = 1.0


class CaseProcess:
    """Everything the case service runs, over one Redis client and one store."""

    def __init__(self, site: GridwatchConfig, client: redis.Redis, store: Store, *,
                 clock: Clock = utc_now, consumer: str | None = None,
                 consumer_settings: ConsumerConfig | None = None) -> None:
        self.site = site
        self.store = store
        self.clock = clock
        self.hook = CaseStreamHook(CasePublisher.from_config(client, site.queue))
        self.cases = CaseService(store, site.cases, on_dispatched=self.hook, clock=clock)
        recorder = AlertRecorder(store, site.cases, site.store.evidence_path, clock)
        self.intake = AlertIntake(StoreIngestor(recorder), self.cases, site.cases.auto_dispatch)
        settings = consumer_settings or site.queue.consumer
        group = site.cases.service.group
        self.alerts: StreamConsumer[dict[str, str]] = StreamConsumer(
            client, site.redis.dispatch_stream, group, parse=dict, handle=self.intake,
            settings=settings, consumer=consumer)
        self.board = VerificationBoard.from_config(client, site)
        self.escalations = StoreEscalations(store)
        self.escalation = build_service(site, client, self.escalations.items,
                                        self.escalations.record, clock=clock)
        self.verdicts_handler = VerdictHandler(self.cases, self.board, self.escalate_reopened)
        self.verdicts: StreamConsumer[VerificationResult] = StreamConsumer(
            client, self.board.verdict_stream, group, parse=verdict_from_fields,
            handle=self.verdicts_handler, settings=settings, consumer=consumer)
        self._stop = threading.Event()
        self._last_escalation: float | None = None

    def ensure_groups(self) -> None:
        """Create both consumer groups now (``run`` does it too); for stepping by hand."""
        self.alerts.ensure_group()
        self.verdicts.ensure_group()

    def escalate_reopened(self, request: PostedRequest, result: VerificationResult) -> None:
        """A failed verification raises the level once (at red: tells the supervisors again)."""
        item = self.escalations.item(request.alert_id)
        if item is None:
            return
        event = self.escalation.engine.immediate(
            item, Trigger.REOPENED, int(request.handled_at.timestamp()), result.at,
            f"verification failed: {result.detail}")
        self.escalation.emit(event)

    def tick(self, now_s: float | None = None) -> None:
        """Republish pending cases, post verification requests, and escalate when due."""
        self.cases.republish_pending()
        post_requests(self.store, self.board, self.site.escalation.verification)
        now_s = time.monotonic() if now_s is None else now_s
        due = (self._last_escalation is None
               or now_s - self._last_escalation >= self.site.escalation.interval_s)
        if self.site.escalation.enabled and due:
            self._last_escalation = now_s
            self.escalation.tick()

    def run(self, duration_s: float | None = None) -> None:
        """Consume both streams in threads and tick in this one until ``stop()``."""
        threads = [threading.Thread(target=self._consume, args=(c,), name=f"consume-{c.stream}",
                                    daemon=True) for c in (self.alerts, self.verdicts)]
        for thread in threads:
            thread.start()
        deadline = None if duration_s is None else time.monotonic() + duration_s
        try:
            while not self._stop.is_set() and (deadline is None or time.monotonic() < deadline):
                try:
                    self.tick()
                except (StoreUnavailable, *REDIS_DOWN) as exc:
                    log.warning("case service tick skipped (%s: %s); retrying", type(exc).__name__,
                                exc)
                except Exception:  # the loop must outlive anything a tick runs into
                    log.exception("case service tick failed; retrying")
                self._stop.wait(self.site.cases.service.tick_s)
        finally:
            self.alerts.stop()
            self.verdicts.stop()
            for thread in threads:
                thread.join(self.alerts.settings.block_ms / 1000 + 5)

    def _consume(self, consumer: StreamConsumer[Any]) -> None:
        """``consumer.run`` until stopped; an unexpected error is logged and the run restarted
        (entries it held stay pending and are claimed again), never a silently dead thread."""
        while not self._stop.is_set():
            try:
                consumer.run()
            except Exception:
                log.exception("%s: consumer failed; restarting it in %.0f s", consumer.stream,
                              RESTART_S)
                self._stop.wait(RESTART_S)
            else:
                return

    def stop(self) -> None:
        self._stop.set()
        self.alerts.stop()
        self.verdicts.stop()
