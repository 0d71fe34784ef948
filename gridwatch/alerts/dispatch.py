"""The case dispatch queue: alerts go from the outbox into a Redis Stream, exactly once.

``XADD`` runs in a Lua script together with a ``SET NX`` on the alert id
(:mod:`gridwatch.queue.idempotent`), so a retry after a lost reply, a restart, or a second worker
raising the same episode never adds a second entry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence

import redis

from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert
from gridwatch.queue.idempotent import REDIS_DOWN, IdempotentStream

log = logging.getLogger(__name__)

class StreamPublisher:
    """Adds entries to one stream, idempotently on a key (for alerts: ``alert_id``)."""

    def __init__(self, client: redis.Redis, stream: str, maxlen: int, dedup_ttl_s: int) -> None:
        self.client = client
        self.stream = stream
        self.maxlen = maxlen
        self.dedup_ttl_s = dedup_ttl_s
        self._stream = IdempotentStream(client, stream, maxlen, dedup_ttl_s)

    def seen_key(self, key: str) -> str:
        return self._stream.seen_key(key)

    def publish(self, alert: Alert) -> str | None:
        """The new entry's id, or None when this alert id was already added."""
        return self.publish_once(alert.alert_id, alert.to_stream_fields())

    def publish_many(self, alerts: Sequence[Alert]) -> list[str | None]:
        """``publish`` of each alert, in order, in one round trip (see ``IdempotentStream.add_many``)."""
        return self._stream.add_many([(a.alert_id, a.to_stream_fields()) for a in alerts])

    def publish_once(self, key: str, fields: Mapping[str, str]) -> str | None:
        """Add ``fields`` unless an entry with idempotency ``key`` was already added."""
        return self._stream.add(key, dict(fields))


class DispatchQueue:
    """Outbox first, then the stream; a background thread retries while Redis is away."""

    def __init__(
        self,
        outbox: Outbox,
        publisher: StreamPublisher,
        retry_s: float = 1.0,
        on_delivered: Callable[[Alert, str | None], None] | None = None,
    ) -> None:
        self.outbox = outbox
        self.publisher = publisher
        self.retry_s = retry_s
        self.on_delivered = on_delivered
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._down = False

    def submit(self, alert: Alert) -> None:
        """Keep the alert durably, then try to deliver everything waiting."""
        self.outbox.put(alert)
        self._wake.set()
        if self._thread is None:
            self.flush()

    def flush(self) -> int:
        """Deliver waiting alerts in order, a batch per round trip; stops at the first Redis
        failure (a batch cut short is sent again whole: the adds are idempotent, so only its
        rest is added). Returns how many were delivered."""
        delivered = 0
        with self._flush_lock:
            while batch := self.outbox.pending():
                try:
                    entries = self.publisher.publish_many([alert for _, alert in batch])
                except REDIS_DOWN as exc:
                    self._note_down(exc)
                    return delivered
                self.outbox.remove_many([seq for seq, _ in batch])
                delivered += len(batch)
                for (_, alert), entry in zip(batch, entries, strict=True):
                    self._tell(alert, entry)
        if self._down:
            log.info("dispatch queue reachable again; outbox drained")
            self._down = False
        return delivered

    def _tell(self, alert: Alert, entry: str | None) -> None:
        if self.on_delivered is None:
            return
        try:
            self.on_delivered(alert, entry)
        except Exception:  # a failing observer must not stop delivery of the rest
            log.exception("alert %s delivered; on_delivered failed", alert.alert_id)

    def _note_down(self, exc: Exception) -> None:
        if not self._down:
            log.warning(
                "dispatch queue unreachable (%s); %d alert(s) kept in the outbox",
                type(exc).__name__, len(self.outbox),
            )
        self._down = True

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="dispatch-flush", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.flush()
            self._wake.wait(self.retry_s)
            self._wake.clear()

    def stop(self, drain_timeout_s: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(drain_timeout_s)
            self._thread = None
        self.flush()
