"""The store ingestor on real Redis stream entries; a store that is away loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.cases.ingestor import BadEntry, StoreIngestor
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.store.engine import make_engine
from gridwatch.store.errors import StoreUnavailable
from gridwatch.store.store import Store, open_store
from tests.cases.helpers import make_alert
from tests.store.dbs import sqlite_url


def _entries(redis_url: str, stream: str, count: int) -> list[tuple[str, dict[bytes, bytes]]]:
    client = redis.Redis.from_url(redis_url)
    publisher = StreamPublisher(client, stream, maxlen=1000, dedup_ttl_s=600)
    for i in range(count):
        publisher.publish(make_alert(zone=f"z{i}"))
    entries = [(eid.decode(), fields) for eid, fields in client.xrange(stream)]
    client.close()
    return entries


def test_stream_entries_are_recorded_once(store: Store, redis_url: str, stream_name: str) -> None:
    ingestor = StoreIngestor(AlertRecorder(store))
    entries = _entries(redis_url, stream_name, 3)
    assert [ingestor.handle(f, eid).outcome for eid, f in entries] == ["recorded"] * 3
    assert [ingestor.handle(f, eid).outcome for eid, f in entries] == ["replayed"] * 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "empty stream entry"),
        ({b"alert_id": b"x"}, "camera_id: Field required"),
        ({**make_alert().to_stream_fields(), "bbox": "[0.1,"}, "not an alert record"),
    ],
)
def test_bad_entries_are_refused_clearly(store: Store, fields: dict[str, str], message: str) -> None:
    with pytest.raises(BadEntry, match=message):
        StoreIngestor(AlertRecorder(store)).handle(fields, "1-0")


def test_store_away_raises_and_records_nothing(pg_url: str, tmp_path: Path) -> None:
    """PostgreSQL goes away mid-run: StoreUnavailable (do not ack); the retry records it."""
    import psycopg

    store = open_store(url=pg_url)
    ingestor = StoreIngestor(AlertRecorder(store))
    alert = make_alert()
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_url.replace("+psycopg", "").rsplit("/", 1)[0] + "/postgres",
                         autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                      (name,))
        with pytest.raises(StoreUnavailable, match=f"postgresql\\+psycopg://postgres@.*/{name}"):
            ingestor.handle(alert.to_stream_fields(), "1-0")
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
    assert ingestor.handle(alert.to_stream_fields(), "1-0").outcome == "recorded"
    store.close()


def test_unmigrated_sqlite_is_unavailable_not_lost(tmp_path: Path) -> None:
    store = Store(make_engine(sqlite_url(tmp_path)))
    with pytest.raises(StoreUnavailable, match="no such table: alerts"):
        StoreIngestor(AlertRecorder(store)).handle(make_alert().to_stream_fields())
    store.close()
