"""The escalation service over the real store, inside the case service, on a simulated clock:
an ignored manhole_missing alert, recorded from the dispatch stream, escalates on schedule."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import redis

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.cases.process import CaseProcess
from gridwatch.cases.supervision import escalations
from gridwatch.config.incidents import WarningLevel
from gridwatch.store.store import Store
from tests.cases.helpers import make_alert
from tests.cases.service_site import case_process, site_for
from tests.escalation.helpers import SH, local
from tests.escalation.test_service import FakeClock, stream
from tests.queue.conftest import drain
from tests.store.dbs import pg_store_url, pg_url, store

__all__ = ["pg_store_url", "pg_url", "store"]


def run_for(process: CaseProcess, clock: FakeClock, minutes: int, step_min: int) -> None:
    for _ in range(0, minutes, step_min):
        process.tick(now_s=clock.now.timestamp())
        clock.now += timedelta(minutes=step_min)


def test_ignored_manhole_alert_escalates_through_the_store(
    store: Store, redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    raised = local("2026-12-05 23:50")
    red = make_alert(incident="manhole_missing", category_code="0114", level=WarningLevel.RED,
                     zone="cover-a", started_at=raised - timedelta(seconds=30), raised_at=raised)
    blue = make_alert(incident="manhole_missing", category_code="0114", level=WarningLevel.BLUE,
                      zone="cover-b", started_at=raised - timedelta(seconds=30), raised_at=raised)
    site = site_for(stream_name, tmp_path, redis_url)
    clock = FakeClock(local("2026-12-05 23:45"))
    process, client = case_process(site, store, clock=clock)
    StreamPublisher(client, site.redis.dispatch_stream, 1000, 600).publish(red)
    StreamPublisher(client, site.redis.dispatch_stream, 1000, 600).publish(blue)
    drain(process.alerts, lambda: process.intake.outcomes["recorded"] == 2)  # type: ignore[arg-type]

    run_for(process, clock, 24 * 60, step_min=5)

    reached = {a.alert_id: [(e.at.astimezone(SH).strftime("%a %H:%M"), e.trigger, e.to_level)
                            for e in escalations(store, a.alert_id)] for a in (red, blue)}
    print("manhole timeline through the store:", reached)
    assert reached[red.alert_id] == [("Sat 23:50", "raised", "red")]
    assert reached[blue.alert_id] == [("Sun 00:00", "unconfirmed", "yellow"),
                                      ("Sun 00:10", "unconfirmed", "orange"),
                                      ("Sun 00:20", "unconfirmed", "red")]
    assert process.cases.get(blue.alert_id).level == "red"
    text = redis.Redis.from_url(redis_url, decode_responses=True)
    assert stream(text, f"{stream_name}:escalations") == [
        ("Sat 23:50", "raised", "red"), ("Sun 00:00", "unconfirmed", "yellow"),
        ("Sun 00:10", "unconfirmed", "orange"), ("Sun 00:20", "unconfirmed", "red"),
    ]
    assert stream(text, f"{stream_name}:supervisors") == [
        ("Sat 23:50", "raised", "red"), ("Sun 00:20", "unconfirmed", "red"),
    ]
    restarted_service_adds_nothing(site, store, client, clock.now)


def restarted_service_adds_nothing(site: object, store: Store, client: redis.Redis,
                                   now: datetime) -> None:
    """A fresh case service on the same store remembers every recorded step (by event id)."""
    from gridwatch.config.models import GridwatchConfig

    assert isinstance(site, GridwatchConfig)
    again, _ = case_process(site, store, consumer="svc-2", clock=FakeClock(now))
    again.tick(now_s=0.0)
    assert again.escalation.published == 0
    assert client.xlen(site.escalation.stream) == 4
