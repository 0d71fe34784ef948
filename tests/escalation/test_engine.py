"""EscalationEngine on plain snapshots: deadlines in working or wall time, recurrence, caps,
idempotency. Dates: Fri 2026-12-04, weekend 05-06, Mon 07, Tue 08 a holiday (see helpers)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest

from gridwatch.config.incidents import WarningLevel
from gridwatch.escalation.model import Trigger, event_id
from tests.escalation.helpers import ENGINE, item, local, record, timeline

BLUE, RED = WarningLevel.BLUE, WarningLevel.RED


@pytest.mark.parametrize(
    ("snapshot", "now", "expected"),
    [
        pytest.param(  # red by the category table: the supervisors hear at once, then nothing more
            item("manhole_missing", "2026-12-05 23:50"), "2026-12-06 12:00",
            [("Sat 12-05 23:50", "raised", "red")], id="manhole-red-at-once",
        ),
        pytest.param(  # started blue (a site override): every 10 wall-clock minutes, at night
            item("manhole_missing", "2026-12-05 23:50", BLUE), "2026-12-06 12:00",
            [("Sun 12-06 00:00", "unconfirmed", "yellow"), ("Sun 12-06 00:10", "unconfirmed", "orange"),
             ("Sun 12-06 00:20", "unconfirmed", "red")], id="manhole-blue-wall-clock",
        ),
        pytest.param(  # working hours: Friday evening → Monday morning, hour by hour
            item("bare_soil", "2026-12-04 17:30"), "2026-12-07 12:00",
            [("Mon 12-07 09:00", "unconfirmed", "yellow"), ("Mon 12-07 10:00", "unconfirmed", "orange"),
             ("Mon 12-07 11:00", "unconfirmed", "red")], id="soil-unconfirmed-weekend",
        ),
        pytest.param(
            item("bare_soil", "2026-12-04 17:30"), "2026-12-07 09:59",
            [("Mon 12-07 09:00", "unconfirmed", "yellow")], id="soil-only-what-is-due",
        ),
        pytest.param(  # confirmed in time, never dispatched
            item("bare_soil", "2026-12-04 17:30", confirmed_at="2026-12-04 17:40"), "2026-12-07 12:00",
            [("Mon 12-07 09:10", "undispatched", "yellow"), ("Mon 12-07 10:10", "undispatched", "orange"),
             ("Mon 12-07 11:10", "undispatched", "red")], id="soil-undispatched",
        ),
        pytest.param(  # confirmed late: one step for that, then the dispatch clock
            item("bare_soil", "2026-12-04 17:30", confirmed_at="2026-12-07 09:30"), "2026-12-07 12:00",
            [("Mon 12-07 09:00", "unconfirmed", "yellow"), ("Mon 12-07 10:30", "undispatched", "orange"),
             ("Mon 12-07 11:30", "undispatched", "red")], id="soil-confirmed-late",
        ),
        pytest.param(  # overdue after one working day, again each further day (Tue is a holiday)
            item("bare_soil", "2026-12-04 14:30", confirmed_at="2026-12-04 15:00",
                 dispatched_at="2026-12-04 16:00"), "2026-12-11 09:00",
            [("Mon 12-07 16:00", "overdue", "yellow"), ("Wed 12-09 16:00", "overdue", "orange"),
             ("Thu 12-10 16:00", "overdue", "red")], id="soil-overdue",
        ),
        pytest.param(  # the case's own due time wins over handle_within
            item("bare_soil", "2026-12-04 14:30", confirmed_at="2026-12-04 15:00",
                 dispatched_at="2026-12-04 16:00", due_at="2026-12-04 17:00"), "2026-12-11 09:00",
            [("Fri 12-04 17:00", "overdue", "yellow"), ("Mon 12-07 17:00", "overdue", "orange"),
             ("Wed 12-09 17:00", "overdue", "red")], id="soil-own-due-time",
        ),
        pytest.param(
            item("bare_soil", "2026-12-04 14:30", confirmed_at="2026-12-04 15:00",
                 dispatched_at="2026-12-04 16:00", handled_at="2026-12-09 10:00"), "2026-12-11 09:00",
            [("Mon 12-07 16:00", "overdue", "yellow")], id="soil-handled-late",
        ),
        pytest.param(
            item("bare_soil", "2026-12-04 14:30", confirmed_at="2026-12-04 15:00",
                 dispatched_at="2026-12-04 16:00", handled_at="2026-12-07 15:59"), "2026-12-11 09:00",
            [], id="soil-handled-in-time",
        ),
        pytest.param(  # already red (escalated earlier): never above red
            item("bare_soil", "2026-12-04 14:30", confirmed_at="2026-12-04 15:00",
                 dispatched_at="2026-12-04 16:00", last_escalated_level=RED,
                 last_escalated_at="2026-12-04 16:30"), "2026-12-11 09:00",
            [], id="red-stays-red",
        ),
        pytest.param(
            item("bare_soil", "2026-12-04 14:30", recurrence_count=3, confirmed_at="2026-12-04 14:31"),
            "2026-12-04 14:40", [("Fri 12-04 14:30", "recurrence", "yellow")], id="recurrence-count",
        ),
        pytest.param(
            item("bare_soil", "2026-12-04 14:30", recurrence_count=2, confirmed_at="2026-12-04 14:31"),
            "2026-12-04 14:40", [], id="recurrence-below-n",
        ),
    ],
)
def test_timeline(snapshot: object, now: str, expected: list[tuple[str, str, str]]) -> None:
    events = ENGINE.evaluate([snapshot], local(now))  # type: ignore[list-item]
    assert timeline(events) == expected
    assert all(e.supervisors == (e.to_level is RED) for e in events)
    for before, after in pairwise(events):
        assert after.from_level == before.to_level


@pytest.mark.parametrize("status", ["closed", "rejected", "merged"])
def test_final_items_never_escalate(status: str) -> None:
    snapshot = item("manhole_missing", "2026-12-05 23:50", BLUE, status=status, recurrence_count=9)
    assert ENGINE.evaluate([snapshot], local("2026-12-07 12:00")) == []


def test_evaluation_is_idempotent_and_resumes_after_partial_recording() -> None:
    snapshot = item("bare_soil", "2026-12-04 17:30")
    now = local("2026-12-07 12:00")
    first = ENGINE.evaluate([snapshot], now)
    assert ENGINE.evaluate([snapshot], now) == first  # same snapshot: same events, same ids
    assert len({e.event_id for e in first}) == 3
    assert first[0].event_id == event_id("a1", Trigger.UNCONFIRMED, 1)
    partly = record(snapshot, first[:1])
    assert ENGINE.evaluate([partly], now) == first[1:]
    assert ENGINE.evaluate([record(snapshot, first)], now + timedelta(days=30)) == []


def test_recorded_ids_alone_are_enough() -> None:
    snapshot = item("bare_soil", "2026-12-04 17:30")
    events = ENGINE.evaluate([snapshot], local("2026-12-07 12:00"))
    by_id = item(
        "bare_soil", "2026-12-04 17:30", level=WarningLevel.YELLOW,
        escalation_ids=frozenset({events[0].event_id}),
    )
    assert [e.event_id for e in ENGINE.evaluate([by_id], local("2026-12-07 12:00"))] == [
        e.event_id for e in events[1:]
    ]


@pytest.mark.parametrize(
    ("gaps_days", "escalated"),
    [([0, 1, 1], ["c"]), ([0, 1, 1, 1], ["c", "d"]), ([0, 4, 4], []), ([0, 1], [])],
)
def test_recurrence_within_the_batch(gaps_days: list[int], escalated: list[str]) -> None:
    """The same incident at the same camera and zone N (3) times within 7 days."""
    t = local("2026-12-01 09:00")
    items = []
    for name, gap in zip("abcd", gaps_days, strict=False):
        t += timedelta(days=gap)
        stamp = t.strftime("%Y-%m-%d %H:%M")
        items.append(item("bare_soil", stamp, item_id=name, confirmed_at=stamp, dispatched_at=stamp,
                          due_at="2027-01-01 09:00"))
    same = "2026-12-03 09:00"
    other_place = item("bare_soil", same, item_id="x", zone="z2", confirmed_at=same,
                       dispatched_at=same, due_at="2027-01-01 09:00")
    events = ENGINE.evaluate([*items, other_place], t + timedelta(hours=1))
    assert [(e.item_id, e.trigger) for e in events] == [(n, Trigger.RECURRENCE) for n in escalated]
