"""Wiring for a live run: Redis (or an embedded one), outbox, dispatch queue and the worker."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import redis

from gridwatch.alerts.dispatch import DispatchQueue, StreamPublisher
from gridwatch.alerts.episodes import EpisodeLedger, SharedEpisodes
from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert
from gridwatch.alerts.suppression import RedisSuppressions
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.ingest.supervision import build_supervisor
from gridwatch.ingest.url import redact_url
from gridwatch.pipeline.suppressions import SuppressionRefresher
from gridwatch.pipeline.worker import LiveWorker
from gridwatch.services.redis_server import EmbeddedRedis, connect_or_start
from gridwatch.verification.board import VerificationBoard
from gridwatch.verification.inbox import VerificationInbox

log = logging.getLogger(__name__)


@dataclass
class DispatchContext:
    """A connected dispatch queue and the Redis URL it uses."""

    queue: DispatchQueue
    client: redis.Redis
    redis_url: str
    embedded: EmbeddedRedis | None


@contextmanager
def dispatch_queue(
    site: GridwatchConfig, on_delivered: Callable[[Alert, str | None], None] | None = None
) -> Iterator[DispatchContext]:
    """Open the site's dispatch queue (starting a private Redis when allowed and needed)."""
    url, embedded = connect_or_start(site.redis.url.get_secret_value(), site.redis.embedded)
    if embedded is not None:
        log.warning(
            "no Redis at %s; started an embedded one at %s",
            redact_url(site.redis.url.get_secret_value()), embedded.url,
        )
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    publisher = StreamPublisher(
        client, site.redis.dispatch_stream, site.redis.stream_maxlen, site.redis.dedup_ttl_s
    )
    queue = DispatchQueue(Outbox(site.store.outbox_file), publisher, on_delivered=on_delivered)
    queue.start()
    try:
        yield DispatchContext(queue, client, url, embedded)
    finally:
        queue.stop()
        queue.outbox.close()
        client.close()
        if embedded is not None:
            embedded.stop()


@contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGINT/SIGTERM call ``stop`` (main thread only); previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def share_episodes(worker: LiveWorker, site: GridwatchConfig, client: redis.Redis) -> EpisodeLedger:
    """Record the ongoing incident episodes of ``worker``'s cameras in the site's Redis ledger
    (``alerts.episodes``, the one sharded workers use): a worker restarted mid-incident
    continues the episode (same alert id, which the dispatch stream drops) instead of alerting
    again."""
    ledger = EpisodeLedger.for_site(client, site.cluster)
    for slot in worker.slots:
        slot.pipeline.engine.shared = SharedEpisodes.for_camera(
            ledger, slot.camera, site.cluster.episode_grace_s)
    return ledger


def run_worker(
    site: GridwatchConfig,
    cameras: Sequence[CameraConfig],
    queue: DispatchQueue,
    duration_s: float | None = None,
    client: redis.Redis | None = None,
    *,
    shared: bool = False,
) -> LiveWorker:
    """Run a worker over ``cameras`` into ``queue`` until a signal or ``duration_s``; operators'
    suppressions (rejected alerts) and verification requests are read from the queue's Redis.
    With ``shared``, ongoing episodes are kept there too (``share_episodes``)."""
    worker = LiveWorker(site, cameras, queue.submit)
    if shared:
        share_episodes(worker, site, queue.publisher.client)
    refresher = SuppressionRefresher(
        RedisSuppressions(queue.publisher.client),
        lambda: [slot.pipeline for slot in worker.slots],
        site.feedback.min_iou,
    ).start()
    supervisor = build_supervisor(site, lambda: [slot.reader for slot in worker.slots], client)
    inbox = VerificationInbox(
        VerificationBoard.from_config(queue.publisher.client, site),
        lambda: [slot.pipeline for slot in worker.slots],
        site.escalation.verification.poll_s,
    )
    worker.start()
    supervisor.start()
    inbox.start()
    try:
        with stop_on_signals(worker.stop):
            worker.run(duration_s)
    finally:
        inbox.stop()
        supervisor.stop()
        worker.stop()
        refresher.stop()
    return worker


def run_live(
    site: GridwatchConfig,
    cameras: Sequence[CameraConfig],
    duration_s: float | None = None,
    on_delivered: Callable[[Alert, str | None], None] | None = None,
) -> int:
    """Run a worker with the site's dispatch queue (`gridwatch run`), its ongoing episodes
    shared through Redis; returns how many alerts it raised."""
    with dispatch_queue(site, on_delivered) as ctx:
        worker = run_worker(site, cameras, ctx.queue, duration_s, ctx.client, shared=True)
        return worker.alerts_raised
