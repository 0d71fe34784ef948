"""Shared helpers for tests that run the pipeline on generated scenario clips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridwatch.evaluation.scoring import score_clip
from gridwatch.sim.camera_config import RULE_DEFAULTS
from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import Event, build_scenario, named_scenario
from gridwatch.sim.truth import load_truth


def make_clip(folder: Path, scenario: str, seed: int, duration_s: float) -> tuple[Path, dict[str, Any]]:
    clip = render_clip(named_scenario(scenario, seed, duration_s), folder / f"{scenario}-{seed}.mp4")
    return clip, load_truth(clip)


def make_always_missing(folder: Path, seed: int, duration_s: float) -> tuple[Path, dict[str, Any]]:
    """A cover_missing clip whose cover goes at 0.5 s and never comes back (nor across the
    simulator's loop): an incident that never clears."""
    scenario = build_scenario("cover_missing", seed, duration_s, [Event(0.5, "cover-0", "missing")])
    clip = render_clip(scenario, folder / f"always-missing-{seed}.mp4")
    return clip, load_truth(clip)


def match_incidents(
    truth: dict[str, Any], alerts: list[dict[str, Any]], slack_s: float = 2.0
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(truth incidents with no timely alert, alerts matching no truth incident), scored by
    ``gridwatch.evaluation.scoring`` with the simulated cameras' rule defaults (min_seconds)."""
    min_s = {incident: rule["min_seconds"] for incident, rule in RULE_DEFAULTS.items()}
    return score_clip(truth, alerts, min_s, {}, slack_s)
