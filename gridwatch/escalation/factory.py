"""Building the escalation engine and service from the site configuration."""

from __future__ import annotations

import redis

from gridwatch.config.models import GridwatchConfig
from gridwatch.escalation.calendar import WorkingCalendar
from gridwatch.escalation.engine import EscalationEngine
from gridwatch.escalation.publish import EscalationPublisher
from gridwatch.escalation.service import Clock, EscalationService, Sink, Source, utc_now


def build_engine(site: GridwatchConfig) -> EscalationEngine:
    calendar = WorkingCalendar.from_config(site.escalation.working_hours, site.site.timezone)
    return EscalationEngine(site.escalation, calendar)


def build_service(
    site: GridwatchConfig,
    client: redis.Redis,
    source: Source,
    sink: Sink,
    *,
    clock: Clock = utc_now,
) -> EscalationService:
    """The site's escalation service over ``client``, reading ``source``, recording via ``sink``."""
    cfg = site.escalation
    publisher = EscalationPublisher(
        client, cfg.stream, cfg.supervisor_stream, site.redis.stream_maxlen, site.redis.dedup_ttl_s
    )
    return EscalationService(
        build_engine(site), source, publisher, sink, clock=clock, interval_s=cfg.interval_s
    )
