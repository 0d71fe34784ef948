"""Settings of the alert/case lifecycle: de-duplication, trusted rules, deadlines."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gridwatch.config.incidents import IncidentId

DEFAULT_DEADLINES_H: dict[str, float] = {
    "manhole_missing": 2.0,
    "manhole_damaged": 8.0,
    "manhole_displaced": 4.0,
    "exposed_garbage": 4.0,
}


class CaseServiceConfig(BaseModel):
    """The case service (`gridwatch cases run`): dispatch stream → store → cases stream."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    group: str = Field(
        "case-service", min_length=1,
        description="Consumer group of the dispatch stream (and of the verdict stream) it uses.",
    )
    tick_s: float = Field(
        5.0, gt=0, le=3600,
        description="Seconds between passes that publish dispatched cases not yet on the cases "
        "stream and post verification requests for handled cases.",
    )


class CasesConfig(BaseModel):
    """How alerts become cases: duplicates, auto-confirmation and handling deadlines."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    dedup_window_s: float = Field(
        3600.0,
        ge=0,
        le=30 * 86400,
        description="A new alert raised within this many seconds of an open alert's last "
        "sighting (same camera, zone and incident, overlapping place) is merged into it.",
    )
    dedup_min_iou: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Boxes must overlap at least this much (IoU) to count as the same place.",
    )
    auto_confirm: list[IncidentId] = Field(
        default_factory=list,
        description="Incidents whose detectors are trusted: their alerts are confirmed by rule, "
        "without an operator.",
    )
    auto_dispatch: bool = Field(
        False,
        description="Dispatch alerts confirmed by a trusted rule (`auto_confirm`) at once, "
        "without an operator: their cases go straight to the cases stream.",
    )
    service: CaseServiceConfig = Field(
        default_factory=CaseServiceConfig, description="The case service process."
    )
    deadlines_h: dict[IncidentId, float] = Field(
        default_factory=lambda: dict(DEFAULT_DEADLINES_H),  # type: ignore[arg-type]
        description="Hours from dispatch to the handling deadline, per incident (local rules).",
    )
    default_deadline_h: float = Field(
        24.0, gt=0, le=24 * 365, description="Deadline for incidents not in `deadlines_h`."
    )

    def deadline_h(self, incident: str) -> float:
        """Hours allowed to handle a dispatched case of ``incident``."""
        return float(self.deadlines_h.get(incident, self.default_deadline_h))  # type: ignore[call-overload]
