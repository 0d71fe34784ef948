"""The case service on real Redis and real SQL: dispatch stream → store → cases stream."""

from __future__ import annotations

from pathlib import Path

import redis
from sqlalchemy import func, select

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.alerts.record import Alert
from gridwatch.cases.states import Status
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.deadletter import dead_stream
from gridwatch.services.redis_server import EmbeddedRedis
from gridwatch.store.models import AlertRow, CaseRow
from gridwatch.store.store import Store
from tests.cases.helpers import make_alert
from tests.cases.service_site import case_process, site_for
from tests.queue.conftest import drain

TRUSTED = {"auto_confirm": ["manhole_missing"], "auto_dispatch": True}


def publish(client: redis.Redis, stream: str, alerts: list[Alert]) -> None:
    publisher = StreamPublisher(client, stream, maxlen=10_000, dedup_ttl_s=600)
    for alert in alerts:
        publisher.publish(alert)


def count(store: Store, row: type[AlertRow] | type[CaseRow]) -> int:
    with store.begin() as session:
        return int(session.scalar(select(func.count()).select_from(row)) or 0)


def cases_out(client: redis.Redis, stream: str) -> list[CaseRecord]:
    return [CaseRecord.from_stream_entry(fields) for _, fields in client.xrange(stream)]


def test_alerts_are_recorded_once_and_duplicates_merge(
    store: Store, redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    site = site_for(stream_name, tmp_path, redis_url)
    process, client = case_process(site, store)
    distinct = [make_alert(zone=f"z{i}") for i in range(3)]
    same_place = make_alert(zone="z0")  # a new episode at z0: a duplicate of the open alert
    publish(client, site.redis.dispatch_stream, [*distinct, same_place])
    client.xadd(site.redis.dispatch_stream, distinct[1].to_stream_fields())  # a redelivery
    drain(process.alerts, lambda: sum(process.intake.outcomes.values()) == 5)  # type: ignore[arg-type]
    assert process.intake.outcomes == {"recorded": 3, "merged": 1, "replayed": 1}
    assert count(store, AlertRow) == 4
    assert process.cases.get(same_place.alert_id).status == Status.MERGED
    assert process.cases.get(distinct[0].alert_id).occurrences == 2
    assert client.xpending(site.redis.dispatch_stream, site.cases.service.group)["pending"] == 0


def test_trusted_alerts_become_one_case_each_on_the_cases_stream(
    store: Store, redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    site = site_for(stream_name, tmp_path, redis_url, cases=TRUSTED)
    process, client = case_process(site, store)
    alerts = [make_alert(incident="manhole_missing", zone=f"z{i}") for i in range(5)]
    publish(client, site.redis.dispatch_stream, alerts)
    drain(process.alerts, lambda: sum(process.intake.outcomes.values()) == 5)  # type: ignore[arg-type]
    for alert in alerts[:2]:  # redelivered after dispatch: nothing new
        client.xadd(site.redis.dispatch_stream, alert.to_stream_fields())
    drain(process.alerts, lambda: process.intake.outcomes["replayed"] == 2)  # type: ignore[arg-type]
    process.tick()  # republishing finds nothing pending
    out = cases_out(client, site.queue.cases_stream)
    assert sorted(c.alert_id for c in out) == sorted(a.alert_id for a in alerts)
    assert len({c.case_id for c in out}) == 5
    first = out[0]
    source = next(a for a in alerts if a.alert_id == first.alert_id)
    assert (first.zone, first.bbox, first.department) == (source.zone, source.bbox, source.department)
    assert first.due_at > first.dispatched_at
    assert count(store, CaseRow) == 5
    assert all(process.cases.get(a.alert_id).status == Status.DISPATCHED for a in alerts)


def test_operator_dispatch_while_redis_is_down_is_published_later(
    store: Store, private_redis: EmbeddedRedis, stream_name: str, tmp_path: Path
) -> None:
    site = site_for(stream_name, tmp_path, private_redis.url)
    process, client = case_process(site, store)
    alert = make_alert()
    publish(client, site.redis.dispatch_stream, [alert])
    drain(process.alerts, lambda: process.intake.outcomes["recorded"] == 1)  # type: ignore[arg-type]
    process.cases.confirm(alert.alert_id, "op1")
    private_redis.stop()
    view = process.cases.dispatch(alert.alert_id, "op1")  # the hook fails; the store keeps it
    assert view.status == Status.DISPATCHED
    restarted = EmbeddedRedis(port=private_redis.port, workdir=tmp_path / "r2").start()
    try:
        assert cases_out(client, site.queue.cases_stream) == []
        process.tick()
        process.tick()
        (record,) = cases_out(client, site.queue.cases_stream)
        assert record.case_id == view.case_id and record.alert_id == alert.alert_id
    finally:
        restarted.stop()


def test_an_entry_that_is_no_alert_is_dead_lettered(
    store: Store, redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    site = site_for(stream_name, tmp_path, redis_url)
    process, client = case_process(site, store)
    client.xadd(site.redis.dispatch_stream, {"alert_id": "x", "camera_id": "cam"})
    dead = dead_stream(site.redis.dispatch_stream)
    drain(process.alerts, lambda: client.xlen(dead) == 1)  # type: ignore[arg-type]
    ((_, fields),) = client.xrange(dead)
    assert fields[b"dead_reason"] == b"rejected"
    assert b"is not an alert record" in fields[b"dead_error"]
    assert count(store, AlertRow) == 0
