"""Video verification on generated clips through the replay pipeline (real render, encode,
decode and inference): a replaced cover is verified, a cover still missing is reopened."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gridwatch.config.models import GridwatchConfig
from gridwatch.sim.camera_config import RULE_DEFAULTS, camera_from_truth
from gridwatch.verification.replay import verify_on_video
from tests.scenario_clips import make_clip

START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
DURATION_S = 26.0  # cover goes missing at 8.67 s; in cover_replaced it is back at 19.5 s
HANDLED_AT_S = 20.0


@pytest.mark.parametrize(
    ("scenario", "seed", "outcome", "decided_after_s"),
    [
        ("cover_replaced", 9201, "verified", RULE_DEFAULTS["manhole_missing"]["clear_seconds"]),
        ("cover_missing", 9202, "reopened", RULE_DEFAULTS["manhole_missing"]["min_seconds"]),
    ],
)
def test_camera_verifies_the_handled_case(
    scenario: str, seed: int, outcome: str, decided_after_s: float, tmp_path: Path
) -> None:
    clip, truth = make_clip(tmp_path, scenario, seed, DURATION_S)
    camera = camera_from_truth(truth, "cam-verify", str(clip))
    replay = verify_on_video(clip, camera, GridwatchConfig(), START, HANDLED_AT_S, tmp_path / "ev")
    assert [a.zone for a in replay.alerts] == ["cover-0"], replay.alerts
    (alert,) = replay.alerts
    assert alert.raised_s is not None and alert.raised_s < HANDLED_AT_S
    (result,) = replay.results
    decided_s = (result.at - START).total_seconds()
    print(f"{scenario}: alert {alert.raised_s} s, handled {replay.requested_s[alert.alert_id]} s, "
          f"{result.outcome} at {decided_s} s ({result.detail})")
    assert result.request_id == alert.alert_id and result.outcome == outcome
    requested = replay.requested_s[alert.alert_id]
    assert requested + decided_after_s - 0.01 <= decided_s <= requested + decided_after_s + 1.5
