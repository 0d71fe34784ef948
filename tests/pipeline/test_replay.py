"""`gridwatch analyze` on generated scenario clips, scored against their ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import pytest
from typer.testing import CliRunner

from gridwatch.cli import app
from gridwatch.sim.camera_config import camera_from_truth, write_camera_yaml
from tests.conftest import SHARED_DATA
from tests.scenario_clips import make_clip, match_incidents

runner = CliRunner()


def analyze(clip: Path, truth: dict[str, Any], tmp: Path) -> list[dict[str, Any]]:
    tmp.mkdir(parents=True, exist_ok=True)
    camera = write_camera_yaml(
        camera_from_truth(truth, "cam-replay", str(clip), street="龙城街道", grid="LC-01"),
        tmp / "camera.yaml",
    )
    out = tmp / "alerts.jsonl"
    result = runner.invoke(
        app,
        ["analyze", str(clip), "--camera", str(camera), "--out", str(out),
         "--start", "2026-11-29T08:00:00+00:00"],
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.mark.parametrize(
    ("scenario", "seed"),
    [("cover_missing", 9101), ("soil_uncovered", 9102), ("quiet", 9103), ("mixed", 9104)],
)
def test_alerts_match_ground_truth(scenario: str, seed: int, tmp_path: Path) -> None:
    clip, truth = make_clip(tmp_path, scenario, seed, 30.0)
    alerts = analyze(clip, truth, tmp_path)
    missed, extra = match_incidents(truth, alerts)
    assert not missed, f"no timely alert for {missed}; got {alerts}"
    assert not extra, f"alerts with no incident behind them: {extra}"
    for alert in alerts:
        assert alert["camera_id"] == "cam-replay" and alert["street"] == "龙城街道"
        assert alert["started_at"].startswith("2026-11-29T08:00:")
        snapshot = tmp_path / "alerts_evidence" / alert["evidence"]
        image = cv2.imread(str(snapshot))
        assert image is not None and image.shape == (360, 640, 3)


def test_replay_is_deterministic(tmp_path: Path) -> None:
    clip, truth = make_clip(tmp_path, "cover_missing", 9105, 20.0)
    first = analyze(clip, truth, tmp_path / "a")
    second = analyze(clip, truth, tmp_path / "b")
    assert [a["alert_id"] for a in first] == [a["alert_id"] for a in second] != []


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such video file"), (b"not a video at all" * 100, "not a video file")],
)
def test_bad_video_is_a_clear_error(tmp_path: Path, content: bytes | None, message: str) -> None:
    video = tmp_path / "clip.mp4"
    if content is not None:
        video.write_bytes(content)
    camera = tmp_path / "camera.yaml"
    camera.write_text(
        "id: c\nurl: rtsp://127.0.0.1/x\nzones:\n  - name: z\n"
        "    polygon: [[0, 0], [1, 0], [1, 1]]\n    rules: [{incident: manhole_missing}]\n"
    )
    result = runner.invoke(app, ["analyze", str(video), "--camera", str(camera), "--out",
                                 str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2
    assert message in result.output


def test_bad_camera_file_is_a_clear_error(tmp_path: Path) -> None:
    camera = tmp_path / "camera.yaml"
    camera.write_text("id: c\nurl: rtsp://u:topsecret@127.0.0.1:70000/x\n")
    result = runner.invoke(app, ["analyze", str(tmp_path / "v.mp4"), "--camera", str(camera),
                                 "--out", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2
    assert f"{camera}:2: url:" in result.output
    assert "topsecret" not in result.output


def test_real_footage_of_people_raises_no_cover_or_soil_alert(tmp_path: Path) -> None:
    """vtest.avi: a real campus street with people in dark clothes, grass and a works area,
    but no open manhole and no bare soil; one zone covers the whole frame."""
    video = SHARED_DATA / "vtest.avi"
    if not video.is_file():
        pytest.skip(f"shared test data not present: {video}")
    camera = tmp_path / "camera.yaml"
    camera.write_text(
        "id: vtest\nurl: rtsp://127.0.0.1/vtest\nsampling: {interval_s: 0.5}\nzones:\n"
        "  - name: all\n    polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]\n    rules:\n"
        "      - {incident: manhole_missing, min_seconds: 3}\n"
        "      - {incident: bare_soil, min_seconds: 5}\n"
    )
    out = tmp_path / "alerts.jsonl"
    result = runner.invoke(app, ["analyze", str(video), "--camera", str(camera), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "from 159 analysed frames" in result.output
    assert out.read_text() == ""
