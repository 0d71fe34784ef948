"""The escalation service: pull snapshots, evaluate, publish, record; on an injectable clock.

``source`` returns the open items (the store adapter); ``sink`` records each event (the store
sets the item's level and remembers the event id). An event is published before it is handed to
the sink, so a failure in between only means the next tick derives the same event again: the
stream ignores the repeat (same id) and the sink gets another chance.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from gridwatch.escalation.engine import EscalationEngine
from gridwatch.escalation.model import EscalationEvent, EscalationItem
from gridwatch.escalation.publish import EscalationPublisher

log = logging.getLogger(__name__)

Source = Callable[[], Iterable[EscalationItem]]
Sink = Callable[[EscalationEvent], None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class EscalationService:
    """Runs ``tick`` every ``interval_s`` seconds until stopped."""

    def __init__(
        self,
        engine: EscalationEngine,
        source: Source,
        publisher: EscalationPublisher,
        sink: Sink,
        *,
        clock: Clock = utc_now,
        interval_s: float = 30.0,
    ) -> None:
        self.engine = engine
        self.source = source
        self.publisher = publisher
        self.sink = sink
        self.clock = clock
        self.interval_s = interval_s
        self._stop = threading.Event()
        self.published = 0

    def tick(self) -> list[EscalationEvent]:
        """One evaluation at ``clock()``; returns the events handed to the sink.

        A Redis or sink failure propagates after the events before it were fully handled.
        """
        now = self.clock()
        done: list[EscalationEvent] = []
        for event in self.engine.evaluate(self.source(), now):
            if self.publisher.publish(event) is not None:
                self.published += 1
            self.sink(event)
            done.append(event)
            log.info(
                "escalation %s: %s %s → %s (%s) at %s", event.event_id, event.item_id,
                event.from_level, event.to_level, event.trigger, event.at.isoformat(),
            )
        return done

    def emit(self, event: EscalationEvent) -> None:
        """Publish and record one event made outside ``tick`` (same order: stream, then sink)."""
        if self.publisher.publish(event) is not None:
            self.published += 1
        self.sink(event)
        log.info("escalation %s: %s %s → %s (%s)", event.event_id, event.item_id,
                 event.from_level, event.to_level, event.trigger)

    def run(self) -> None:
        """Tick until ``stop()``; a failing tick is logged and retried at the next interval."""
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the loop must outlive a Redis outage or a store hiccup
                log.exception("escalation tick failed; retrying in %.0f s", self.interval_s)
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        self._stop.set()
