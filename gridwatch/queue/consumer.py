"""A consumer-group reader of one stream: at-least-once, with claiming and a dead-letter stream.

- The group is created if missing (``MKSTREAM``, from the stream's start), also again when the
  server lost it (a restart without persistence).
- ``XREADGROUP`` blocks up to ``block_ms`` for new entries; each is parsed, then handled, and
  ``XACK``-ed only after its handler returned.
- Entries idle for ``min_idle_ms`` (their consumer died, or gave them back) are claimed with
  ``XAUTOCLAIM``, following its cursor to the end.
- An entry that cannot be parsed (poison) goes to ``<stream>:dead`` at once with the error text;
  one whose handler raised ``DeadLetter`` too; one whose handler failed ``max_deliveries`` times,
  or that was delivered more often than that (a consumer crashed on it each time), as well.
- A handler raising ``RetryLater`` leaves its entry pending without counting a failure, and the
  consumer backs off; so does a Redis outage, after which it reconnects.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import redis

from gridwatch.ingest.backoff import Backoff
from gridwatch.queue.config import ConsumerConfig
from gridwatch.queue.deadletter import DeadLetters
from gridwatch.queue.entry import Delivery, RawEntry, text
from gridwatch.queue.errors import DeadLetter, RetryLater
from gridwatch.queue.idempotent import REDIS_DOWN
from gridwatch.queue.reclaim import claim_idle

log = logging.getLogger(__name__)

T = TypeVar("T")
Parse = Callable[[dict[str, str]], T]
Handle = Callable[[Delivery[T]], None]
Accept = Callable[[T], bool]


def default_consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class DownstreamUnavailable(Exception):
    """Raised by ``poll``/``process`` when a handler asked to retry later; ``run`` backs off."""


class StreamConsumer(Generic[T]):
    """Reads ``stream`` as ``consumer`` of ``group`` and hands each parsed entry to ``handle``."""

    def __init__(
        self,
        client: redis.Redis,
        stream: str,
        group: str,
        parse: Parse[T],
        handle: Handle[T],
        settings: ConsumerConfig | None = None,
        consumer: str | None = None,
        accept: Accept[T] | None = None,
    ) -> None:
        self.client = client
        self.stream = stream
        self.group = group
        self.parse = parse
        self.handle = handle
        self.accept = accept
        self.settings = settings or ConsumerConfig()
        self.consumer = consumer or default_consumer_name()
        self.dead = DeadLetters(client, stream, group, self.settings.dead_maxlen)
        self._stop = threading.Event()
        self._last_reclaim: float | None = None
        _check_socket_timeout(client, self.settings.block_ms)

    # --- one step -----------------------------------------------------------------------------

    def ensure_group(self) -> bool:
        """Create the group (and the stream) if missing; True when it was created."""
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
            return False
        log.info("created consumer group %s on %s", self.group, self.stream)
        return True

    def poll(self, now: float) -> int:
        """Claim idle entries when due, then read new ones; returns how many were settled."""
        settled = 0
        if self._last_reclaim is None or now - self._last_reclaim >= self.settings.reclaim_every_s:
            self._last_reclaim = now
            settled += self.reclaim()
        reply: Any = self.client.xreadgroup(
            self.group, self.consumer, {self.stream: ">"},
            count=self.settings.batch, block=self.settings.block_ms,
        )
        for _, entries in reply or []:
            settled += self.process([RawEntry(text(i), f, 1) for i, f in entries if f is not None])
        return settled

    def reclaim(self) -> int:
        """Claim and process every entry idle longer than ``min_idle_ms``."""
        settled = 0
        for page in claim_idle(
            self.client, self.stream, self.group, self.consumer,
            self.settings.min_idle_ms, self.settings.batch,
        ):
            settled += self.process(page)
        return settled

    def process(self, entries: list[RawEntry]) -> int:
        """Handle ``entries`` in order; acknowledged ones are returned as a count."""
        done: list[str] = []
        try:
            for index, entry in enumerate(entries):
                try:
                    if self._settle(entry):
                        done.append(entry.id)
                except RetryLater as exc:
                    self._give_back(entries[index:])
                    raise DownstreamUnavailable(str(exc)) from exc
        finally:
            if done:
                self.client.xack(self.stream, self.group, *done)
        return len(done)

    def _settle(self, entry: RawEntry) -> bool:
        """True when ``entry`` is done and should be acknowledged (handled or skipped)."""
        limit = self.settings.max_deliveries
        if entry.deliveries > limit:
            self._dead(entry, "max_deliveries", f"delivered {entry.deliveries} times (limit {limit})")
            return False
        try:
            value = self.parse(entry.text_fields())
        except Exception as exc:
            self._dead(entry, "poison", f"{type(exc).__name__}: {exc}")
            return False
        if self.accept is not None and not self.accept(value):
            return True
        try:
            self.handle(Delivery(entry.id, value, entry.deliveries))
        except (RetryLater, *REDIS_DOWN):
            raise
        except DeadLetter as exc:
            self._dead(entry, "rejected", str(exc))
            return False
        except Exception as exc:
            self._failed(entry, exc)
            return False
        return True

    def _failed(self, entry: RawEntry, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if entry.deliveries >= self.settings.max_deliveries:
            self._dead(entry, "failed", error)
        else:
            log.warning(
                "%s entry %s failed (delivery %d of %d), left pending: %s",
                self.stream, entry.id, entry.deliveries, self.settings.max_deliveries, error,
            )

    def _dead(self, entry: RawEntry, reason: str, error: str) -> None:
        self.dead.move(entry, self.consumer, reason, error)

    def _give_back(self, entries: list[RawEntry]) -> None:
        """Keep ``entries`` pending, undoing this delivery's count (XCLAIM ... RETRYCOUNT)."""
        pipe = self.client.pipeline(transaction=False)
        for entry in entries:
            pipe.xclaim(
                self.stream, self.group, self.consumer, 0, [entry.id],
                retrycount=max(entry.deliveries - 1, 0), justid=True,
            )
        pipe.execute()

    # --- the loop -----------------------------------------------------------------------------

    def run(self, duration_s: float | None = None) -> None:
        """Consume until ``stop()`` (or ``duration_s``), riding out Redis outages."""


        reconnect = Backoff(self.settings.reconnect_base_s, self.settings.reconnect_cap_s)
        deadline = None if duration_s is None else time.monotonic() + duration_s
        need_group, down = True, False
        while not self._stop.is_set() and (deadline is None or time.monotonic() < deadline):
            try:
                if need_group:
                    self.ensure_group()
                    need_group = False
                self.poll(time.monotonic())
            except REDIS_DOWN as exc:
                if not down:
                    log.warning("%s: Redis unreachable (%s); reconnecting", self.stream, type(exc).__name__)
                need_group, down = True, True
                self._stop.wait(reconnect.next_delay())
                continue
            except DownstreamUnavailable as exc:
                log.info("%s: downstream unavailable (%s); backing off", self.stream, exc)
                self._stop.wait(reconnect.next_delay())
                continue
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                log.warning("%s: consumer group %s is gone; re-creating it", self.stream, self.group)
                need_group = True
                continue
            if down:
                log.info("%s: Redis reachable again", self.stream)
                down = False
            reconnect.reset()

    def stop(self) -> None:
        self._stop.set()


def _check_socket_timeout(client: redis.Redis, block_ms: int) -> None:
    kwargs: Mapping[str, Any] = client.connection_pool.connection_kwargs
    timeout = kwargs.get("socket_timeout")
    if timeout is not None and timeout * 1000 <= block_ms:
        raise ValueError(
            f"the Redis client's socket_timeout ({timeout} s) must exceed the consumer's "
            f"block_ms ({block_ms} ms), or every blocking read times out"
        )
