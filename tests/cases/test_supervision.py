"""Open items for escalation/verification, escalation events, and the dispatch hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.states import Status
from gridwatch.cases.supervision import escalations, open_items, record_escalation
from gridwatch.cases.views import CaseView
from gridwatch.store.models import CaseRow
from gridwatch.store.store import Store
from tests.cases.helpers import T0, elsewhere, make_alert


def test_open_items_are_plain_snapshots(store: Store) -> None:
    recorder = AlertRecorder(store)
    service = CaseService(store, clock=lambda: T0 + timedelta(hours=1))
    new, dispatched, rejected = (recorder.record(make_alert(**elsewhere(i))).alert_id
                                 for i in range(3))
    service.confirm(dispatched, "op1")
    service.dispatch(dispatched, "op1")
    service.reject(rejected, "op1", "tree shadow")
    items = {item.alert_id: item for item in open_items(store)}
    assert set(items) == {new, dispatched}
    assert items[new].case_id is None and items[new].status == Status.NEW
    case = items[dispatched]
    assert case.status == Status.DISPATCHED and case.street == "龙城"
    assert case.dispatched_at == T0 + timedelta(hours=1)
    assert case.due_at == T0 + timedelta(hours=5)  # exposed_garbage: 4 h by default
    assert [i.alert_id for i in open_items(store, [Status.NEW])] == [new]


def test_escalation_raises_levels_and_never_lowers(store: Store) -> None:
    service = CaseService(store)
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    service.confirm(alert_id, "op1")
    version = service.get(alert_id).version
    event = record_escalation(store, alert_id, "orange", "overdue", T0, {"overdue_min": 30})
    assert (event.from_level, event.to_level, event.case_id) == ("blue", "orange", f"case-{alert_id}")
    item = service.get(alert_id)
    assert (item.level, item.version) == ("orange", version)
    with store.begin() as session:
        assert session.scalars(select(CaseRow.level)).one() == "orange"
    record_escalation(store, alert_id, "orange", "reminder", T0)
    with pytest.raises(ValueError, match="cannot go down"):
        record_escalation(store, alert_id, "yellow", "overdue", T0)
    with pytest.raises(ValueError, match="unknown warning level 'purple'"):
        record_escalation(store, alert_id, "purple", "overdue", T0)
    assert [e.trigger for e in escalations(store, alert_id)] == ["overdue", "reminder"]


def test_dispatch_hook_and_republish(store: Store) -> None:
    published: list[CaseView] = []
    fail = [True]

    def hook(case: CaseView) -> None:
        if fail[0]:
            raise ConnectionError("case stream away")
        published.append(case)

    service = CaseService(store, on_dispatched=hook)
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    service.confirm(alert_id, "op1")
    view = service.dispatch(alert_id, "op1")
    assert view.status == Status.DISPATCHED and published == []
    fail[0] = False
    assert service.republish_pending() == 1
    assert [c.case_id for c in published] == [view.case_id]
    assert service.republish_pending() == 0


def test_an_escalation_event_is_recorded_once(store: Store) -> None:
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    first = record_escalation(store, alert_id, "yellow", "unconfirmed", T0, event_id="e1")
    again = record_escalation(store, alert_id, "orange", "unconfirmed", T0, event_id="e1")
    assert again == first and first.event_id == "e1"
    assert [e.to_level for e in escalations(store, alert_id)] == ["yellow"]
    assert CaseService(store).get(alert_id).level == "yellow"
