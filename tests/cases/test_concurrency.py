"""Optimistic locking with real concurrent sessions: exactly one operator wins."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.states import Status
from gridwatch.store.errors import ConflictError
from gridwatch.store.store import Store
from tests.cases.helpers import make_alert

OPERATORS = 6


def _race(service: CaseService, alert_id: str) -> list[str]:
    barrier = threading.Barrier(OPERATORS)

    def confirm(n: int) -> str:
        barrier.wait(timeout=30)
        try:
            service.confirm(alert_id, f"op{n}", expected_version=1)
        except ConflictError as exc:
            return f"conflict: {exc}"
        return "won"

    with ThreadPoolExecutor(OPERATORS) as pool:
        return list(pool.map(confirm, range(OPERATORS)))


def test_simultaneous_confirms_one_wins(store: Store) -> None:
    service = CaseService(store)
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    results = _race(service, alert_id)
    assert results.count("won") == 1, results
    assert all(r.startswith("conflict: ") for r in results if r != "won")
    item = service.get(alert_id)
    assert (item.status, item.version) == (Status.CONFIRMED, 2)
    confirms = [t for t in service.history(alert_id) if t.to_status == Status.CONFIRMED]
    assert len(confirms) == 1


def test_stale_version_is_refused_by_the_update(store: Store) -> None:
    """The version check is in the SQL: a move that is legal from the current status still fails."""
    service = CaseService(store)
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    seen = service.get(alert_id).version
    service.confirm(alert_id, "op1", expected_version=seen)
    with pytest.raises(ConflictError, match=r"expected version 1, now version 2, status 'confirmed'"):
        service.reject(alert_id, "op2", "not garbage", expected_version=seen)
    assert service.get(alert_id).status == Status.CONFIRMED


def test_same_operator_confirming_twice_is_a_conflict(store: Store) -> None:
    service = CaseService(store)
    alert_id = AlertRecorder(store).record(make_alert()).alert_id
    service.confirm(alert_id, "op1")
    with pytest.raises(ConflictError, match=r"already confirmed by op1 at "):
        service.confirm(alert_id, "op1")


def test_concurrent_deliveries_record_once(store: Store) -> None:
    """Two consumers handed the same entry (redelivery): one records, the others replay."""
    recorder = AlertRecorder(store)
    alert = make_alert()
    barrier = threading.Barrier(OPERATORS)

    def record(_: int) -> str:
        barrier.wait(timeout=30)
        return recorder.record(alert).outcome

    with ThreadPoolExecutor(OPERATORS) as pool:
        outcomes = sorted(pool.map(record, range(OPERATORS)))
    assert outcomes == ["recorded"] + ["replayed"] * (OPERATORS - 1)
    assert len(CaseService(store).history(alert.alert_id)) == 1
