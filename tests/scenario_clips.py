"""Shared helpers for tests that run the pipeline on generated scenario clips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridwatch.sim.camera_config import RULE_DEFAULTS
from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.truth import load_truth


def make_clip(folder: Path, scenario: str, seed: int, duration_s: float) -> tuple[Path, dict[str, Any]]:
    clip = render_clip(named_scenario(scenario, seed, duration_s), folder / f"{scenario}-{seed}.mp4")
    return clip, load_truth(clip)


def match_incidents(
    truth: dict[str, Any], alerts: list[dict[str, Any]], slack_s: float = 2.0
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(truth incidents with no timely alert, alerts matching no truth incident).

    An alert matches when incident and zone (the object's zone) agree, it started no earlier
    than 1 s before the scripted time, and was raised within min_seconds (the simulated
    cameras' rule defaults) + ``slack_s`` of it.
    """
    missed = []
    unmatched = list(alerts)
    for inc in truth["incidents"]:
        hit = next(
            (
                a for a in unmatched
                if a["incident"] == inc["incident"] and a["zone"] == inc["object"]
                and a["started_s"] >= inc["start_s"] - 1.0
                and a["raised_s"] <= inc["start_s"] + RULE_DEFAULTS[a["incident"]]["min_seconds"] + slack_s
            ),
            None,
        )
        if hit is None:
            missed.append(inc)
        else:
            unmatched.remove(hit)
    return missed, unmatched
