"""Escalation settings: per-incident deadlines, the working-hours calendar, recurrence and
which levels reach the supervisors. Embedded defaults cover every incident id."""

from __future__ import annotations

from datetime import date, time, timedelta
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gridwatch.config.incidents import IncidentId, WarningLevel
from gridwatch.escalation.defaults import DEFAULT_DEADLINES, Clock


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class WorkPeriod(_Strict):
    """One stretch of working time within a working day, in the site's local time."""

    start: time = Field(description="Local start time, e.g. 08:30.")
    end: time = Field(description="Local end time (after start, same day), e.g. 12:00.")

    @model_validator(mode="after")
    def _ordered(self) -> WorkPeriod:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} must be after its start {self.start}")
        return self


def _default_periods() -> list[WorkPeriod]:
    return [WorkPeriod(start=time(8, 30), end=time(12, 0)), WorkPeriod(start=time(14), end=time(18))]


class WorkingHoursConfig(_Strict):
    """The command centre's working calendar (site timezone: ``site.timezone``)."""

    weekdays: list[int] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5],
        description="ISO weekdays that are working days (1 = Monday … 7 = Sunday).",
    )
    periods: list[WorkPeriod] = Field(
        default_factory=_default_periods,
        description="Working periods of a working day, in local time, in order, not overlapping.",
    )
    holidays: list[date] = Field(
        default_factory=list, description="Dates that are not working days (public holidays)."
    )
    workdays: list[date] = Field(
        default_factory=list,
        description="Make-up working days (调休上班): dates that are working days even on a weekend.",
    )

    @field_validator("weekdays")
    @classmethod
    def _iso_weekdays(cls, value: list[int]) -> list[int]:
        bad = [d for d in value if not 1 <= d <= 7]
        if bad:
            raise ValueError(f"weekdays are 1 (Monday) to 7 (Sunday), got {bad}")
        return sorted(set(value))

    @field_validator("periods")
    @classmethod
    def _disjoint(cls, value: list[WorkPeriod]) -> list[WorkPeriod]:
        for before, after in pairwise(value):
            if after.start < before.end:
                raise ValueError(
                    f"periods must be in order and not overlap: {before.start}-{before.end} "
                    f"then {after.start}-{after.end}"
                )
        return value

    @model_validator(mode="after")
    def _no_date_twice(self) -> WorkingHoursConfig:
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"date(s) both holiday and make-up working day: {both}")
        return self


class DeadlineConfig(_Strict):
    """How fast one incident must be confirmed, dispatched and handled; each period that passes
    without the next step raises the warning level once more."""

    clock: Clock = Field(
        "working",
        description="`working`: deadlines count working hours only; `wall`: around the clock "
        "(24/7 urgent incidents such as a missing manhole cover).",
    )
    confirm_within: timedelta = Field(
        description="An alert not confirmed (verified, 立案) within this escalates; "
        "ISO-8601 duration (PT30M) or seconds."
    )
    dispatch_within: timedelta = Field(
        description="A confirmed alert not dispatched (派遣) within this escalates."
    )
    handle_within: timedelta = Field(
        description="A dispatched case not handled within this (unless the case has its own "
        "due time) is overdue; it escalates again after each further such period."
    )

    @field_validator("confirm_within", "dispatch_within", "handle_within")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("a deadline must be longer than zero")
        return value


class RecurrenceConfig(_Strict):
    """The same incident at the same place (camera + zone) again and again escalates."""

    count: int = Field(
        3, ge=2, description="An alert that is at least the N-th of its place within `window`."
    )
    window: timedelta = Field(
        timedelta(days=7), gt=timedelta(0), description="Look-back window (wall clock)."
    )


class VerificationConfig(_Strict):
    """How the camera re-checks a place after its case is marked handled."""

    absent_seconds: float | None = Field(
        None, gt=0, le=86400,
        description="Verified when the incident stays absent this long; default the rule's "
        "clear_seconds.",
    )
    present_seconds: float | None = Field(
        None, ge=0, le=86400,
        description="Reopened when the incident is still there this long; default the rule's "
        "min_seconds.",
    )
    requests_key: str = Field(
        "gridwatch:verify:requests", min_length=1,
        description="Redis hash of open verification requests (request id → JSON) that the "
        "workers poll for their cameras.",
    )
    verdict_stream: str = Field(
        "gridwatch:verify:verdicts", min_length=1,
        description="Stream the workers add verdicts to; the case service applies them.",
    )
    poll_s: float = Field(
        2.0, gt=0, le=600, description="Seconds between a worker's polls of the requests hash."
    )


def _default_deadlines() -> dict[IncidentId, DeadlineConfig]:
    return {}


class EscalationConfig(_Strict):
    """The early-warning escalation engine (IV blue → III yellow → II orange → I red)."""

    enabled: bool = Field(True, description="Run the escalation service.")
    working_hours: WorkingHoursConfig = Field(
        default_factory=WorkingHoursConfig, description="Working calendar for working-time deadlines."
    )
    deadlines: dict[IncidentId, DeadlineConfig] = Field(
        default_factory=_default_deadlines,
        description="Per-incident deadlines; unset incidents use the embedded defaults.",
    )
    recurrence: RecurrenceConfig = Field(
        default_factory=RecurrenceConfig, description="Recurrence rule."
    )
    notify_supervisors: list[WarningLevel] = Field(
        default_factory=lambda: [WarningLevel.RED],
        description="Levels whose events also go to the supervisors' stream at once "
        "(including an alert raised at such a level).",
    )
    stream: str = Field("gridwatch:escalations", min_length=1, description="Escalation events stream.")
    supervisor_stream: str = Field(
        "gridwatch:supervisors", min_length=1, description="Stream the supervisors watch."
    )
    interval_s: float = Field(30.0, gt=0, le=3600, description="Seconds between evaluations.")
    verification: VerificationConfig = Field(
        default_factory=VerificationConfig, description="Video verification of handled cases."
    )

    def deadline(self, incident: str) -> DeadlineConfig:
        """The configured deadlines of ``incident``, else the embedded default."""
        configured: DeadlineConfig | None = self.deadlines.get(incident)  # type: ignore[call-overload]
        if configured is not None:
            return configured
        if incident not in DEFAULT_DEADLINES:
            raise KeyError(f"no deadlines for incident {incident!r}")
        clock, confirm, dispatch, handle = DEFAULT_DEADLINES[incident]
        return DeadlineConfig(
            clock=clock, confirm_within=confirm, dispatch_within=dispatch, handle_within=handle
        )
