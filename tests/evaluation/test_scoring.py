"""Incident-level matching of alerts to truth incidents."""

from __future__ import annotations

from typing import Any

import pytest

from gridwatch.evaluation.scoring import IncidentTally, score_clip

TRUTH = {"incidents": [{"incident": "manhole_missing", "object": "cover-0", "start_s": 10.0, "end_s": None}]}
MIN_S = {"manhole_missing": 3.0, "bare_soil": 5.0}


def alert(
    started: float, raised: float, zone: str = "cover-0", incident: str = "manhole_missing"
) -> dict[str, Any]:
    return {"incident": incident, "zone": zone, "started_s": started, "raised_s": raised}


@pytest.mark.parametrize(
    ("alerts", "tp", "fp", "fn", "delays"),
    [
        ([alert(10.0, 13.0)], 1, 0, 0, [3.0]),
        ([alert(9.0, 15.0)], 1, 0, 0, [5.0]),  # edges: 1 s early start, min_s + 2 s slack
        ([alert(8.9, 13.0)], 0, 1, 1, []),  # started too early: not this incident
        ([alert(10.0, 15.1)], 0, 1, 1, []),  # too late
        ([alert(10.0, 13.0, zone="cover-1")], 0, 1, 1, []),  # wrong place
        ([alert(10.0, 13.0, incident="bare_soil")], 0, 0, 1, []),  # the fp counts for bare_soil
        ([alert(10.0, 13.0), alert(10.5, 13.5)], 1, 1, 0, [3.0]),  # one alert per incident
        ([], 0, 0, 1, []),
    ],
)
def test_alerts_are_matched_to_incidents(
    alerts: list[dict[str, Any]], tp: int, fp: int, fn: int, delays: list[float]
) -> None:
    tally: dict[str, IncidentTally] = {}
    missed, unmatched = score_clip(TRUTH, alerts, MIN_S, tally)
    t = tally["manhole_missing"]
    assert (t.tp, t.fp, t.fn, t.delays) == (tp, fp, fn, delays)
    assert len(missed) == fn and len(unmatched) == len(alerts) - tp
    assert t.fp_on_quiet == 0


def test_alerts_on_an_incident_free_clip_are_false_alerts_on_quiet() -> None:
    tally: dict[str, IncidentTally] = {}
    score_clip({"incidents": []}, [alert(1.0, 4.0), alert(20.0, 25.0, incident="bare_soil")], MIN_S, tally)
    assert {k: (t.fp, t.fp_on_quiet) for k, t in tally.items()} == {
        "manhole_missing": (1, 1), "bare_soil": (1, 1)
    }
    assert tally["bare_soil"].precision == 0.0 and tally["bare_soil"].recall is None


def test_a_truth_zone_name_overrides_the_object() -> None:
    truth = {"incidents": [{**TRUTH["incidents"][0], "zone": "road-hole"}]}  # type: ignore[dict-item]
    tally: dict[str, IncidentTally] = {}
    score_clip(truth, [alert(10.0, 13.0, zone="road-hole")], MIN_S, tally)
    assert tally["manhole_missing"].tp == 1
