"""The API's handle on the SQL store: the case lifecycle, the recorder and operator feedback."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.feedback import FeedbackRecorder
from gridwatch.alerts.suppression import RedisSuppressions
from gridwatch.api.settings import ApiSettings
from gridwatch.api.store_actions import StoreAlertActions
from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.publishing import CaseStreamHook
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.config.models import GridwatchConfig
from gridwatch.queue.cases import CasePublisher
from gridwatch.store.store import Store, open_store


@dataclass
class StoreHandles:
    """What the lifespan opens on the store; ``close`` releases it."""

    store: Store
    service: CaseService
    actions: StoreAlertActions
    redis: redis.Redis

    def close(self) -> None:
        self.store.close()
        self.redis.close()


def open_handles(settings: ApiSettings, site: GridwatchConfig) -> StoreHandles:
    """The store at ``site.store`` (SQLite under data_dir unless ``database_url``), migrated."""
    store = open_store(site.store)
    client = redis.Redis.from_url(site.redis.url.get_secret_value(), socket_timeout=2,
                                  socket_connect_timeout=2)
    # a dispatch made here reaches the cases stream at once; with Redis away the case service's
    # republish_pending() sends it later (the store is the outbox)
    hook = CaseStreamHook(CasePublisher.from_config(client, site.queue))
    service = CaseService(store, site.cases, on_dispatched=hook)
    recorder = AlertRecorder(store, site.cases, evidence_root=site.store.evidence_path)
    feedback = FeedbackRecorder(
        site.feedback, RedisSuppressions(client, settings.suppressions_prefix),
        EvidenceStore(site.store.evidence_path), site.store.negatives_path,
    )
    return StoreHandles(store, service, StoreAlertActions(store, service, recorder, feedback),
                        client)
