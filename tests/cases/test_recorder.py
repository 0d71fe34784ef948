"""Recording alerts: replays record nothing new, duplicates merge, evidence is described."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from sqlalchemy import func, select

from gridwatch.cases.config import CasesConfig
from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.recorder import AUTO_CONFIRM_ACTOR, AlertRecorder, iou
from gridwatch.cases.states import Status
from gridwatch.store.models import AlertRow, EvidenceRow, TransitionRow
from gridwatch.store.store import Store
from tests.cases.helpers import T0, make_alert


def _count(store: Store, model: Any) -> int:
    with store.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_replay_records_nothing_new(store: Store) -> None:
    recorder = AlertRecorder(store)
    alert = make_alert()
    assert recorder.record(alert).outcome == "recorded"
    again = recorder.record(alert)
    assert (again.outcome, again.status) == ("replayed", Status.NEW)
    assert _count(store, AlertRow) == 1
    assert _count(store, TransitionRow) == 1


@pytest.mark.parametrize(
    ("overrides", "merged"),
    [
        ({"started_at": T0 + timedelta(minutes=20)}, True),
        ({"started_at": T0 + timedelta(minutes=20), "bbox": (0.12, 0.1, 0.32, 0.3)}, True),
        ({"started_at": T0 + timedelta(minutes=20), "bbox": (0.6, 0.6, 0.8, 0.8)}, False),
        ({"started_at": T0 + timedelta(hours=3)}, False),
        ({"started_at": T0 + timedelta(minutes=20), "zone": "pavement"}, False),
        ({"started_at": T0 + timedelta(minutes=20), "incident": "piled_material"}, False),
        ({"started_at": T0 + timedelta(minutes=20), "camera_id": "cam-02"}, False),
    ],
)
def test_duplicates_of_an_open_alert_merge(
    store: Store, overrides: dict[str, Any], merged: bool
) -> None:
    recorder = AlertRecorder(store, CasesConfig(dedup_window_s=3600, dedup_min_iou=0.5))
    first = recorder.record(make_alert(started_at=T0))
    second = recorder.record(make_alert(**overrides))
    service = CaseService(store)
    if merged:
        assert (second.outcome, second.merged_into) == ("merged", first.alert_id)
        assert service.get(second.alert_id).status == Status.MERGED
        assert service.get(first.alert_id).occurrences == 2
    else:
        assert (second.outcome, second.status) == ("recorded", Status.NEW)
        assert service.get(first.alert_id).occurrences == 1


def test_closed_alert_takes_no_duplicates(store: Store) -> None:
    recorder, service = AlertRecorder(store), CaseService(store)
    first = recorder.record(make_alert(started_at=T0)).alert_id
    service.reject(first, "op1", "reflection")
    again = recorder.record(make_alert(started_at=T0 + timedelta(minutes=5)))
    assert again.outcome == "recorded"


def test_trusted_incident_is_confirmed_by_rule(store: Store) -> None:
    recorder = AlertRecorder(store, CasesConfig(auto_confirm=["manhole_missing"]))
    outcome = recorder.record(make_alert(incident="manhole_missing", category_code="0114"))
    assert outcome.status == Status.CONFIRMED
    service = CaseService(store)
    assert service.get(outcome.alert_id).case_id == f"case-{outcome.alert_id}"
    actors = [(t.to_status, t.actor) for t in service.history(outcome.alert_id)]
    assert actors == [(Status.NEW, "ingestor"), (Status.CONFIRMED, AUTO_CONFIRM_ACTOR)]


def test_evidence_metadata_when_the_snapshot_exists(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    (root / "cam-01").mkdir(parents=True)
    image = np.full((48, 64, 3), 120, dtype=np.uint8)
    ok, jpeg = cv2.imencode(".jpg", image)
    assert ok
    (root / "cam-01" / "a.jpg").write_bytes(jpeg.tobytes())
    recorder = AlertRecorder(store, evidence_root=root)
    recorder.record(make_alert(evidence="cam-01/a.jpg"))
    recorder.record(make_alert(evidence="cam-01/missing.jpg", zone="other"))
    with store.begin() as session:
        rows = list(session.scalars(select(EvidenceRow)))
    assert [(r.path, r.size_bytes, r.width, r.height) for r in rows] == [
        ("cam-01/a.jpg", len(jpeg.tobytes()), 64, 48)
    ]
    assert len(rows[0].sha256) == 64


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 0, 1, 1), (0, 0, 1, 1), 1.0),
        ((0, 0, 1, 1), (0.5, 0, 1.5, 1), 1 / 3),
        ((0, 0, 1, 1), (2, 2, 3, 3), 0.0),
        ((0, 0, 0, 0), (0, 0, 0, 0), 0.0),
    ],
)
def test_iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
             expected: float) -> None:
    assert iou(a, b) == pytest.approx(expected)
