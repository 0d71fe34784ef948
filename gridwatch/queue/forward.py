"""Wiring of the reference forwarder: the cases stream's consumer group → the webhook."""

from __future__ import annotations

import logging

import redis
from pydantic import SecretStr

from gridwatch.config.models import GridwatchConfig
from gridwatch.ingest.url import redact_url
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.consumer import StreamConsumer
from gridwatch.queue.webhook import WebhookForwarder

log = logging.getLogger(__name__)


def redis_client(url: str, block_ms: int) -> redis.Redis:
    """A client whose socket timeout outlasts a blocking read."""
    timeout = block_ms / 1000 + 5
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=5)


def forwarder_consumer(
    site: GridwatchConfig, client: redis.Redis, forwarder: WebhookForwarder,
    consumer: str | None = None,
) -> StreamConsumer[CaseRecord]:
    """The consumer of ``site.queue.cases_stream`` feeding ``forwarder``."""
    settings = site.queue
    departments = frozenset(settings.forward.departments)

    def accept(case: CaseRecord) -> bool:
        return not departments or case.department in departments

    return StreamConsumer(
        client, settings.cases_stream, settings.forward.group,
        parse=CaseRecord.from_stream_fields, handle=forwarder,
        settings=settings.consumer, consumer=consumer, accept=accept,
    )


def run_forwarder(
    site: GridwatchConfig, url: str, secret: SecretStr, duration_s: float | None = None
) -> int:
    """Forward cases until stopped (signal or ``duration_s``); returns how many were sent."""
    from gridwatch.pipeline.live import stop_on_signals

    client = redis_client(site.redis.url.get_secret_value(), site.queue.consumer.block_ms)
    forwarder = WebhookForwarder(url, secret, site.queue.forward)
    consumer = forwarder_consumer(site, client, forwarder)
    log.info(
        "forwarding %s (group %s) to %s", site.queue.cases_stream, site.queue.forward.group,
        redact_url(url),
    )

    def stop() -> None:
        consumer.stop()
        forwarder.stop()

    try:
        with stop_on_signals(stop):
            consumer.run(duration_s)
    finally:
        forwarder.close()
        client.close()
    return forwarder.sent
