"""The evaluation report: per incident type and per clip, as JSON and as a readable table."""

from __future__ import annotations

import math
import os
import platform
from dataclasses import asdict, dataclass
from typing import Any

from gridwatch.evaluation.average_precision import APAccumulator
from gridwatch.evaluation.scoring import EARLY_S, IncidentTally
from gridwatch.evaluation.suite import Suite


@dataclass(frozen=True)
class ClipOutcome:
    clip: str
    duration_s: float
    incidents: int
    alerts: int
    missed: int
    false_alerts: int
    frames: int
    box_truth: bool
    wall_s: float
    min_seconds: dict[str, float]


EvalReport = dict[str, Any]


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _incident_row(kind: str, t: IncidentTally, quiet_hours: float, min_s: set[float]) -> dict[str, Any]:
    delays = t.delays
    return {
        "incident": kind, "tp": t.tp, "fp": t.fp, "fn": t.fn,
        "precision": _r(t.precision), "recall": _r(t.recall),
        "delay_mean_s": _r(sum(delays) / len(delays)) if delays else None,
        "delay_max_s": _r(max(delays)) if delays else None,
        "rule_min_seconds": sorted(min_s),
        "false_alerts_on_quiet": t.fp_on_quiet,
        "false_alerts_per_hour": _r(t.fp_on_quiet / quiet_hours, 2) if quiet_hours else None,
    }


def build_report(
    suite: Suite, outcomes: list[ClipOutcome], tally: dict[str, IncidentTally],
    frames_ap: APAccumulator, slack_s: float,
) -> EvalReport:
    quiet_hours = sum(o.duration_s for o in outcomes if o.incidents == 0) / 3600
    min_s: dict[str, set[float]] = {}
    for o in outcomes:
        for kind, value in o.min_seconds.items():
            min_s.setdefault(kind, set()).add(value)
    per_class = frames_ap.per_class()
    return {
        "suite": str(suite.root),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu",
        "matching": {"early_s": EARLY_S, "slack_s": slack_s},
        "clips": len(outcomes),
        "skipped": suite.skipped,
        "quiet_hours": round(quiet_hours, 4),
        "incidents": [
            _incident_row(k, t, quiet_hours, min_s.get(k, set())) for k, t in sorted(tally.items())
        ],
        "false_alerts_per_hour": (
            _r(sum(t.fp_on_quiet for t in tally.values()) / quiet_hours, 2) if quiet_hours else None
        ),
        "frames": {
            "with_box_truth": sum(o.frames for o in outcomes if o.box_truth),
            "map50": _r(frames_ap.map50(), 4),
            "per_class": {n: {**asdict(c), "ap50": _r(c.ap50, 4)} for n, c in per_class.items()},
            "not_in_model": sorted(n for n in per_class
                                   if frames_ap.model_classes and n not in frames_ap.model_classes),
        },
        "per_clip": [asdict(o) for o in outcomes],
        "replay": {
            "video_s": round(sum(o.duration_s for o in outcomes), 1),
            "wall_s": round(sum(o.wall_s for o in outcomes), 1),
        },
    }


def _f(value: Any, spec: str = ".3f", suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:{spec}}{suffix}"


def format_report(report: EvalReport) -> str:
    """The report as text: incidents table, frame-level AP table, totals."""
    lines = [
        f"suite {report['suite']}: {report['clips']} clip(s), {report['quiet_hours'] * 60:.1f} min "
        f"incident-free; match: start >= truth - {report['matching']['early_s']} s, raised <= "
        f"truth + min_seconds + {report['matching']['slack_s']} s",
        f"{'incident':<18}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>10}{'recall':>8}"
        f"{'delay mean':>11}{'max':>7}{'min_s':>7}{'false/h':>9}",
    ]
    for row in report["incidents"]:
        lines.append(
            f"{row['incident']:<18}{row['tp']:>4}{row['fp']:>4}{row['fn']:>4}"
            f"{_f(row['precision']):>10}{_f(row['recall']):>8}{_f(row['delay_mean_s'], '.1f', 's'):>11}"
            f"{_f(row['delay_max_s'], '.1f', 's'):>7}"
            f"{','.join(f'{v:g}' for v in row['rule_min_seconds']) or '-':>7}"
            f"{_f(row['false_alerts_per_hour'], '.1f'):>9}"
        )
    frames = report["frames"]
    lines.append(f"frame-level mAP50 {_f(frames['map50'], '.4f')} over {frames['with_box_truth']} frames"
                 + (f" (the model's classes; not averaged: {', '.join(frames['not_in_model'])})"
                    if frames.get("not_in_model") else ""))
    lines.append(f"{'class':<18}{'truths':>8}{'preds':>8}{'AP50':>8}")
    for name, c in frames["per_class"].items():
        lines.append(f"{name:<18}{c['truths']:>8}{c['predictions']:>8}{_f(c['ap50'], '.4f'):>8}")
    replay = report["replay"]
    speed = replay["video_s"] / replay["wall_s"] if replay["wall_s"] else 0.0
    lines.append(f"replay: {replay['video_s']} s of video in {replay['wall_s']} s ({speed:.1f}x)")
    lines.extend(f"skipped {s}" for s in report["skipped"])
    return "\n".join(lines)
