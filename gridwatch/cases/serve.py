"""Running the case service against the site's Redis and store until a signal or a duration."""

from __future__ import annotations

import logging

from gridwatch.cases.process import CaseProcess
from gridwatch.config.models import GridwatchConfig
from gridwatch.ingest.url import redact_url
from gridwatch.queue.forward import redis_client
from gridwatch.services.redis_server import answers
from gridwatch.store.store import open_store

log = logging.getLogger(__name__)


def serve_cases(site: GridwatchConfig, duration_s: float | None = None) -> dict[str, int]:
    """Run the case service; returns how many alerts were recorded, merged and replayed."""
    from gridwatch.pipeline.live import stop_on_signals

    url = site.redis.url.get_secret_value()
    if not answers(url):
        raise RuntimeError(f"no Redis answers at {redact_url(url)}")
    client = redis_client(url, site.queue.consumer.block_ms)
    store = open_store(site.store)
    process = CaseProcess(site, client, store)
    log.info("case service: %s (group %s) → %s → %s", site.redis.dispatch_stream,
             site.cases.service.group, store.display_url, site.queue.cases_stream)
    try:
        with stop_on_signals(process.stop):
            process.run(duration_s)
    finally:
        store.close()
        client.close()
    return dict(process.intake.outcomes)
