"""The rule-level suite (``gridwatch eval rules``): scripted scenes through a simulated detector.

Two scenes per dynamic rule, on seeds of their own (4242xx; the command's default seeds are
9100xx): the incident must be found in time and matched to its truth, the look-alike scene must
raise nothing. The detections are raw (no ids): the pipeline's tracker, dwell, schedules and
persistence do the work, so a broken dwell or schedule fails these.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from gridwatch.cli import app
from gridwatch.evaluation.rules_suite import run_scenario, scenario_camera
from gridwatch.evaluation.scoring import IncidentTally, score_clip
from gridwatch.evaluation.scripted_tracks import NoiseConfig, NoisyDetector, Track
from gridwatch.evaluation.track_scenarios import SCENARIOS

SEED = 424201
FOUND = ["vend_stall", "oosb_opens", "motor_park", "bikes_pile", "crowd_forms"]
QUIET = ["vend_brief", "oosb_after_hours", "motor_red_light", "bikes_few", "crowd_quiet"]


@pytest.mark.parametrize("name", FOUND)
def test_the_incident_is_found(name: str, tmp_path: Path) -> None:
    """One alert, begun near the truth and raised after min_seconds of it (not before: no
    dwell; not 30 s after: no rest). The suite's strict timing is what ``eval rules`` reports;
    these hold on noisy seeds where a late first sighting costs a few seconds."""
    scenario = SCENARIOS[name]
    alerts, truth = run_scenario(scenario, SEED, tmp_path)
    (incident,) = truth["incidents"]
    min_s = scenario_camera(scenario).zones[0].rules[0].min_seconds
    found = [(a.zone, a.incident, a.started_s, a.raised_s) for a in alerts]
    assert len(found) == 1, f"truth {incident}, alerts {found}"
    ((zone, kind, started, raised),) = found
    assert zone == "zone" and kind == scenario.incident
    assert started is not None and raised is not None
    assert incident["start_s"] - 5.0 <= started <= incident["start_s"] + 25.0, (incident, found)
    assert started + min_s - 1.0 <= raised <= incident["start_s"] + min_s + 30.0, (incident, found)


def test_strict_scoring_matches_an_alert_to_its_truth(tmp_path: Path) -> None:
    """The stall of vend_stall, scored as ``eval rules`` scores it."""
    scenario = SCENARIOS["vend_stall"]
    alerts, truth = run_scenario(scenario, SEED, tmp_path)
    tally: dict[str, IncidentTally] = {}
    missed, false = score_clip(truth, [a.model_dump(mode="json") for a in alerts],
                               {"street_vending": 60.0}, tally)
    assert not missed and not false and tally["street_vending"].tp == 1
    assert 59.0 <= tally["street_vending"].delays[0] <= 62.0


@pytest.mark.parametrize("name", QUIET)
def test_the_look_alike_raises_nothing(name: str, tmp_path: Path) -> None:
    alerts, truth = run_scenario(SCENARIOS[name], SEED, tmp_path)
    assert truth["incidents"] == []
    assert [(a.zone, a.started_s) for a in alerts] == []


def test_the_simulated_detector_gives_raw_noisy_boxes_the_same_for_a_seed() -> None:
    car = Track("car", (0.2, 0.1), ((0.0, 0.5, 0.5), (100.0, 0.5, 0.5)))
    noise = NoiseConfig(miss=0.3, false_per_frame=0.0, occlusions_per_min=0.0, confusion=0.2)

    def seen(seed: int) -> list[tuple[str, float]]:
        detector = NoisyDetector([car], noise, np.random.default_rng(seed))
        out = []
        for t in range(100):
            dets = detector.detect(float(t))
            assert dets.tracker_id is None  # the pipeline's tracker assigns ids
            out += [(n, float(x)) for n, x in zip(dets.class_names, dets.xyxy[:, 0], strict=True)]
        return out

    first = seen(7)
    assert first == seen(7) and first != seen(8)
    assert 55 <= len(first) <= 85  # ~30 % missed
    assert {n for n, _ in first} == {"car", "truck"}  # confused now and then
    assert len({x for _, x in first}) == len(first)  # jittered


def test_eval_rules_command_lists_and_rejects_unknown_scenarios() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["eval", "rules", "--list"])
    assert listed.exit_code == 0 and "motor_red_light" in listed.output
    bad = runner.invoke(app, ["eval", "rules", "--scenarios", "nope"])
    assert bad.exit_code != 0 and "nope" in bad.output


@pytest.mark.parametrize(("name", "seed"), [("bikes_pile", 910002), ("crowd_forms", 910003)])
def test_count_rules_meet_the_strict_timing(name: str, seed: int, tmp_path: Path) -> None:
    """A dense row of bikes whose track ids churn, and a crowd just above min_count under
    missed frames: the count holds, so the alert begins when the count was reached and is
    raised min_seconds later (scored as ``eval rules`` scores it; both were late before)."""
    scenario = SCENARIOS[name]
    alerts, truth = run_scenario(scenario, seed, tmp_path)
    min_s = scenario_camera(scenario).zones[0].rules[0].min_seconds
    tally: dict[str, IncidentTally] = {}
    missed, false = score_clip(truth, [a.model_dump(mode="json") for a in alerts],
                               {scenario.incident: min_s}, tally)
    assert not missed and not false, (truth["incidents"], [(a.started_s, a.raised_s) for a in alerts])
