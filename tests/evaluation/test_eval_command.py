"""`gridwatch eval make-suite` + `gridwatch eval` on a tiny suite, numbers checked against truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gridwatch.cli import app
from gridwatch.sim.truth import load_truth

runner = CliRunner()
DURATION, INTERVAL = 12.0, 0.5


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("suite")
    result = runner.invoke(app, [
        "eval", "make-suite", str(root), "--seeds", "9501", "--scenarios", "cover_missing,quiet",
        "--duration", str(DURATION), "--width", "320", "--height", "180",
    ])
    assert result.exit_code == 0, result.output
    return root


def test_make_suite_writes_clips_truth_cameras_and_manifest(suite: Path) -> None:
    names = sorted(p.name for p in suite.iterdir())
    assert names == [
        "cover_missing-9501.camera.yaml", "cover_missing-9501.mp4", "cover_missing-9501.truth.json",
        "quiet-9501.camera.yaml", "quiet-9501.mp4", "quiet-9501.truth.json", "suite.json",
    ]
    manifest = json.loads((suite / "suite.json").read_text())
    assert manifest["seeds"] == [9501] and manifest["width"] == 320


def test_eval_scores_the_pipeline_against_the_truth(suite: Path, tmp_path: Path) -> None:
    out, work = tmp_path / "report.json", tmp_path / "work"
    result = runner.invoke(app, ["eval", str(suite), "--out", str(out), "--work", str(work)])
    assert result.exit_code == 0, result.output
    assert "manhole_missing" in result.output and "mAP50" in result.output
    report: dict[str, Any] = json.loads(out.read_text())
    truth = load_truth(suite / "cover_missing-9501.mp4")
    (incident,) = truth["incidents"]
    samples = [i * INTERVAL for i in range(int(DURATION / INTERVAL))]
    # frame-level truth: 2 covers per frame, cover-0 open from the scripted time on
    open_frames = sum(t >= incident["start_s"] for t in samples)
    per_class = report["frames"]["per_class"]
    assert report["frames"]["with_box_truth"] == 2 * len(samples)
    assert per_class["manhole_open"]["truths"] == open_frames
    assert per_class["manhole_cover"]["truths"] == 2 * 2 * len(samples) - open_frames
    assert "bare_soil" not in per_class or per_class["bare_soil"]["truths"] == 0
    assert report["frames"]["map50"] > 0.8  # the shipped model on unseen scenes
    # incident level: one scripted incident, alerted in time; no alert on the quiet clip
    (row,) = report["incidents"]
    assert row["incident"] == "manhole_missing" and row["tp"] + row["fn"] == 1
    assert (row["tp"], row["fp"], row["recall"], row["precision"]) == (1, 0, 1.0, 1.0)
    lines = (work / "cover_missing-9501.alerts.jsonl").read_text().splitlines()
    alerts = [json.loads(line) for line in lines]
    assert len(alerts) == 1 and alerts[0]["zone"] == incident["object"]
    delay = alerts[0]["raised_s"] - incident["start_s"]
    assert row["delay_mean_s"] == row["delay_max_s"] == pytest.approx(delay, abs=1e-3)
    assert row["rule_min_seconds"] == [3.0] and 3.0 <= delay <= 3.0 + 2.0
    assert (work / "quiet-9501.alerts.jsonl").read_text() == ""
    assert report["quiet_hours"] == pytest.approx(DURATION / 3600, abs=1e-4)
    assert report["false_alerts_per_hour"] == 0.0 and row["false_alerts_per_hour"] == 0.0
    assert [c["frames"] for c in report["per_clip"]] == [len(samples)] * 2


@pytest.mark.parametrize("verb", [[], ["run"]])
def test_eval_of_a_folder_without_clips_is_a_clear_error(tmp_path: Path, verb: list[str]) -> None:
    (tmp_path / "lonely.mp4").write_bytes(b"")  # a video without truth: not a suite clip
    result = runner.invoke(app, ["eval", *verb, str(tmp_path)])
    assert result.exit_code == 2 and "no clip with a .truth.json" in result.output
    result = runner.invoke(app, ["eval", *verb, str(tmp_path / "absent")])
    assert result.exit_code == 2 and "no such suite folder" in result.output


def test_a_broken_truth_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"")
    (tmp_path / "a.truth.json").write_text("{not json")
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2 and "a.truth.json: unreadable truth" in result.output


def test_make_suite_refuses_an_unknown_scenario(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "make-suite", str(tmp_path), "--scenarios", "flood"])
    assert result.exit_code == 2 and "unknown scenario" in result.output
