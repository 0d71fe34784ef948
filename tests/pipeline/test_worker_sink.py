"""The live worker hands city incidents to the dispatch queue, never camera faults."""

from __future__ import annotations

import pytest

from gridwatch.alerts.record import Alert
from gridwatch.pipeline.worker import cases_only
from tests.cases.helpers import make_alert


@pytest.mark.parametrize(
    ("incident", "dispatched"),
    [("manhole_missing", True), ("crowd_gathering", True), ("camera_moved", False),
     ("camera_tampered", False)],
)
def test_camera_faults_stay_out_of_the_case_queue(incident: str, dispatched: bool) -> None:
    got: list[Alert] = []
    cases_only(got.append)(make_alert(incident=incident))
    assert [a.incident for a in got] == ([incident] if dispatched else [])
