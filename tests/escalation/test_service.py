"""EscalationService on a simulated clock against real Redis: timelines, supervisors, no repeats."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import redis

from gridwatch.config.incidents import WarningLevel
from gridwatch.escalation.factory import build_service
from gridwatch.escalation.model import EscalationEvent, EscalationItem
from gridwatch.escalation.service import EscalationService
from tests.escalation.helpers import SH, item, local, site


class Store:
    """A minimal in-memory store: the source of snapshots and the sink of events."""

    def __init__(self, *items: EscalationItem) -> None:
        self.items = {i.item_id: i for i in items}
        self.recorded: list[EscalationEvent] = []

    def source(self) -> list[EscalationItem]:
        return list(self.items.values())

    def sink(self, event: EscalationEvent) -> None:
        self.items[event.item_id] = self.items[event.item_id].applied(event)
        self.recorded.append(event)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def service_for(url: str, prefix: str, store: Store, clock: FakeClock, **escalation: object
                ) -> tuple[EscalationService, redis.Redis]:
    cfg = site(stream=f"{prefix}:escalations", supervisor_stream=f"{prefix}:supervisors", **escalation)
    client = redis.Redis.from_url(url, decode_responses=True)
    return build_service(cfg, client, store.source, store.sink, clock=clock), client


def run_minutes(service: EscalationService, clock: FakeClock, minutes: int, step_min: int = 1) -> None:
    for _ in range(0, minutes, step_min):
        service.tick()
        clock.now += timedelta(minutes=step_min)


def stream(client: redis.Redis, name: str) -> list[tuple[str, str, str]]:
    out = []
    for _, fields in client.xrange(name):
        at = datetime.fromisoformat(fields["at"]).astimezone(SH).strftime("%a %H:%M")
        out.append((at, fields["trigger"], fields["to_level"]))
    return out


def test_ignored_manhole_alert_timeline(redis_url: str, stream_name: str) -> None:
    """Per the category table manhole_missing starts red: the supervisors hear at once and
    nothing rises further; a site that starts it blue sees it climb every 10 wall-clock
    minutes through the night."""
    red = item("manhole_missing", "2026-12-05 23:50", item_id="red-start")
    blue = item("manhole_missing", "2026-12-05 23:50", WarningLevel.BLUE, item_id="blue-start",
                zone="z2")
    store = Store(red, blue)
    clock = FakeClock(local("2026-12-05 23:45"))
    service, client = service_for(redis_url, stream_name, store, clock)
    run_minutes(service, clock, 24 * 60, step_min=1)
    reached = [(e.item_id, e.at.astimezone(SH).strftime("%a %H:%M"), e.to_level.value)
               for e in store.recorded]
    print("manhole timeline:", reached)
    assert reached == [
        ("red-start", "Sat 23:50", "red"), ("blue-start", "Sun 00:00", "yellow"),
        ("blue-start", "Sun 00:10", "orange"), ("blue-start", "Sun 00:20", "red"),
    ]
    assert stream(client, f"{stream_name}:escalations") == [
        ("Sat 23:50", "raised", "red"), ("Sun 00:00", "unconfirmed", "yellow"),
        ("Sun 00:10", "unconfirmed", "orange"), ("Sun 00:20", "unconfirmed", "red"),
    ]
    assert stream(client, f"{stream_name}:supervisors") == [
        ("Sat 23:50", "raised", "red"), ("Sun 00:20", "unconfirmed", "red"),
    ]
    # A second service that never recorded anything (a crashed store) adds nothing to Redis.
    replay = Store(red, blue)
    again, _ = service_for(redis_url, stream_name, replay, FakeClock(clock.now))
    again.tick()
    assert len(replay.recorded) == 4 and again.published == 0
    assert client.xlen(f"{stream_name}:escalations") == 4


def test_overdue_bare_soil_case_across_a_weekend(redis_url: str, stream_name: str) -> None:
    case = item("bare_soil", "2026-12-04 14:30", confirmed_at="2026-12-04 15:00",
                dispatched_at="2026-12-04 16:00", item_id="soil-case", status="dispatched")
    store = Store(case)
    clock = FakeClock(local("2026-12-04 16:00"))
    service, client = service_for(redis_url, stream_name, store, clock)
    run_minutes(service, clock, 7 * 24 * 60, step_min=15)
    reached = [(e.at.astimezone(SH).strftime("%a %m-%d %H:%M"), e.to_level.value) for e in store.recorded]
    print("bare_soil overdue timeline:", reached)
    # One working day (7 h 30) after Friday 16:00 is Monday 16:00; Tuesday 12-08 is a holiday.
    assert reached == [("Mon 12-07 16:00", "yellow"), ("Wed 12-09 16:00", "orange"),
                       ("Thu 12-10 16:00", "red")]
    assert [f["to_level"] for _, f in client.xrange(f"{stream_name}:escalations")] == [
        "yellow", "orange", "red"]
    assert client.xlen(f"{stream_name}:supervisors") == 1


def test_redis_down_loses_nothing(private_redis: object, stream_name: str) -> None:
    """A tick that cannot publish records nothing; the next one delivers everything."""
    from gridwatch.services.redis_server import EmbeddedRedis

    assert isinstance(private_redis, EmbeddedRedis)
    store = Store(item("bare_soil", "2026-12-04 17:30", item_id="s"))
    clock = FakeClock(local("2026-12-07 12:00"))
    service, client = service_for(private_redis.url, stream_name, store, clock)
    private_redis.stop()
    with pytest.raises((redis.ConnectionError, OSError)):
        service.tick()
    assert store.recorded == []
    private_redis.start()
    client = redis.Redis.from_url(private_redis.url, decode_responses=True)
    service, _ = service_for(private_redis.url, stream_name, store, clock)
    assert [e.to_level.value for e in service.tick()] == ["yellow", "orange", "red"]
    assert client.xlen(f"{stream_name}:escalations") == 3
