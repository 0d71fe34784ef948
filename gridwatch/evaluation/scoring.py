"""Incident-level scoring: which alerts are timely detections of which truth incidents.

An alert matches a truth incident when the incident id and the zone agree (the truth's ``zone``,
else its ``object``: simulated cameras name each zone after its object), the alert started no
earlier than ``EARLY_S`` before the incident, and it was raised within the rule's
``min_seconds`` plus ``slack_s`` of it. Each alert matches at most one incident. A late alert
counts as a miss and a false alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

EARLY_S = 1.0
SLACK_S = 2.0


@dataclass
class IncidentTally:
    """Counts for one incident type over a suite."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    delays: list[float] = field(default_factory=list)
    fp_on_quiet: int = 0  # false alerts on clips with no incident at all

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def _matches(alert: Mapping[str, Any], inc: Mapping[str, Any], min_s: float, slack_s: float) -> bool:
    start = float(inc["start_s"])
    return bool(
        alert["incident"] == inc["incident"]
        and alert["zone"] == (inc["zone"] if "zone" in inc else inc["object"])
        and float(alert["started_s"]) >= start - EARLY_S
        and float(alert["raised_s"]) <= start + min_s + slack_s
    )


def score_clip(
    truth: Mapping[str, Any],
    alerts: Sequence[Mapping[str, Any]],
    min_s: Mapping[str, float],
    tally: dict[str, IncidentTally],
    slack_s: float = SLACK_S,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Add one clip's outcome to ``tally``; returns (missed incidents, unmatched alerts).

    ``min_s`` is each incident's rule ``min_seconds`` on that clip's camera.
    """
    unmatched = [dict(a) for a in alerts]
    missed: list[dict[str, Any]] = []
    for inc in truth["incidents"]:
        kind = str(inc["incident"])
        counts = tally.setdefault(kind, IncidentTally())
        hit = next((a for a in unmatched if _matches(a, inc, min_s.get(kind, 0.0), slack_s)), None)
        if hit is None:
            counts.fn += 1
            missed.append(dict(inc))
        else:
            unmatched.remove(hit)
            counts.tp += 1
            counts.delays.append(float(hit["raised_s"]) - float(inc["start_s"]))
    for alert in unmatched:
        counts = tally.setdefault(str(alert["incident"]), IncidentTally())
        counts.fp += 1
        counts.fp_on_quiet += 0 if truth["incidents"] else 1
    return missed, unmatched
