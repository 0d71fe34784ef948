"""The transition matrix: every (from, to) pair is allowed, illegal, or a conflict."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.states import ALLOWED, Status
from gridwatch.store.errors import ConflictError, IllegalTransition
from gridwatch.store.store import Store
from tests.cases.helpers import elsewhere, make_alert

Step = Callable[[CaseService, str, str], object]
_places = itertools.count(1000)

STEPS: dict[Status, Step] = {
    Status.CONFIRMED: lambda s, a, _: s.confirm(a, "op1"),
    Status.DISPATCHED: lambda s, a, _: s.dispatch(a, "op1"),
    Status.HANDLED: lambda s, a, _: s.mark_handled(a, "street-staff"),
    Status.VERIFIED: lambda s, a, _: s.verify(a, "camera-check"),
    Status.CLOSED: lambda s, a, _: s.close(a, "op1"),
    Status.REJECTED: lambda s, a, _: s.reject(a, "op1", "shadow, not garbage"),
    Status.MERGED: lambda s, a, other: s.merge(a, other, "op1", "same pile"),
    Status.REOPENED: lambda s, a, _: s.reopen(a, "camera-check", "still there"),
}

PATHS: dict[Status, list[Status]] = {
    Status.NEW: [],
    Status.CONFIRMED: [Status.CONFIRMED],
    Status.DISPATCHED: [Status.CONFIRMED, Status.DISPATCHED],
    Status.HANDLED: [Status.CONFIRMED, Status.DISPATCHED, Status.HANDLED],
    Status.VERIFIED: [Status.CONFIRMED, Status.DISPATCHED, Status.HANDLED, Status.VERIFIED],
    Status.CLOSED: [Status.CONFIRMED, Status.DISPATCHED, Status.HANDLED, Status.VERIFIED,
                    Status.CLOSED],
    Status.REJECTED: [Status.REJECTED],
    Status.MERGED: [Status.MERGED],
    Status.REOPENED: [Status.CONFIRMED, Status.DISPATCHED, Status.HANDLED, Status.REOPENED],
}


def _alert_in(store: Store, service: CaseService, status: Status) -> tuple[str, str]:
    recorder = AlertRecorder(store)
    other = recorder.record(make_alert(**elsewhere(next(_places)))).alert_id
    alert_id = recorder.record(make_alert(**elsewhere(next(_places)))).alert_id
    for step in PATHS[status]:
        STEPS[step](service, alert_id, other)
    assert service.get(alert_id).status == status
    return alert_id, other


@pytest.mark.parametrize("source", list(Status))
def test_every_move_from(store: Store, source: Status) -> None:
    service = CaseService(store)
    for target in STEPS:
        alert_id, other = _alert_in(store, service, source)
        if target == source:
            with pytest.raises(ConflictError, match=f"already {target}"):
                STEPS[target](service, alert_id, other)
        elif target in ALLOWED[source]:
            STEPS[target](service, alert_id, other)
            assert service.get(alert_id).status == target
        else:
            with pytest.raises(IllegalTransition, match=f"from '{source}' to '{target}'"):
                STEPS[target](service, alert_id, other)
            assert service.get(alert_id).status == source


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, a: s.reject(a, "op1", "  "), "needs a reason"),
        (lambda s, a: s.confirm(a, " "), "needs an actor"),
        (lambda s, a: s.merge(a, a, "op1", "dup"), "into itself"),
        (lambda s, a: s.confirm("nope", "op1"), "no alert with id 'nope'"),
    ],
)
def test_bad_requests_are_clear(
    store: Store, call: Callable[[CaseService, str], object], message: str
) -> None:
    service = CaseService(store)
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    with pytest.raises((ValueError, LookupError), match=message):
        call(service, alert_id)
    assert service.get(alert_id).status == Status.NEW
