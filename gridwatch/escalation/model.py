"""What the escalation engine reads (item snapshots) and what it emits (events)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from gridwatch.config.incidents import WarningLevel

LEVELS: tuple[WarningLevel, ...] = (
    WarningLevel.BLUE, WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED,
)
# Items in these states never escalate again.
FINAL_STATUSES = frozenset({"closed", "rejected", "merged"})


def level_rank(level: WarningLevel) -> int:
    """0 (IV blue) … 3 (I red)."""
    return LEVELS.index(level)


def next_level(level: WarningLevel) -> WarningLevel | None:
    """The level one step more severe, or None at red."""
    rank = level_rank(level)
    return LEVELS[rank + 1] if rank + 1 < len(LEVELS) else None


class Trigger(StrEnum):
    """Why an item escalated."""

    RAISED = "raised"  # raised at a level the supervisors watch: tell them at once
    UNCONFIRMED = "unconfirmed"  # not confirmed within confirm_within (again each period)
    UNDISPATCHED = "undispatched"  # confirmed but not dispatched within dispatch_within
    OVERDUE = "overdue"  # dispatched but not handled by its due time (again each period)
    RECURRENCE = "recurrence"  # the same incident again at the same place
    REOPENED = "reopened"  # the camera still saw the incident after the case was handled


@dataclass(frozen=True, slots=True)
class EscalationItem:
    """A plain snapshot of one alert or case, as the store sees it now (aware datetimes)."""

    item_id: str
    camera_id: str
    zone: str
    incident: str
    status: str
    level: WarningLevel
    raised_at: datetime
    confirmed_at: datetime | None = None
    dispatched_at: datetime | None = None
    handled_at: datetime | None = None
    due_at: datetime | None = None
    recurrence_count: int = 1
    last_escalated_at: datetime | None = None
    last_escalated_level: WarningLevel | None = None
    escalation_ids: frozenset[str] = field(default_factory=frozenset)

    def applied(self, event: EscalationEvent) -> EscalationItem:
        """This snapshot after the store recorded ``event`` (what a store adapter must do)."""
        if event.item_id != self.item_id:
            raise ValueError(f"event {event.event_id} is for item {event.item_id}, not {self.item_id}")
        return replace(
            self,
            level=event.to_level,
            last_escalated_at=max(self.last_escalated_at or event.at, event.at),
            last_escalated_level=event.to_level,
            escalation_ids=self.escalation_ids | {event.event_id},
        )

    @property
    def place(self) -> tuple[str, str, str]:
        return (self.camera_id, self.zone, self.incident)

    @property
    def current_level(self) -> WarningLevel:
        """The more severe of ``level`` and ``last_escalated_level``."""
        if self.last_escalated_level is None:
            return self.level
        return max(self.level, self.last_escalated_level, key=level_rank)


def event_id(item_id: str, trigger: Trigger, step: int) -> str:
    """Stable id of one escalation step of one item: the idempotency key."""
    return hashlib.sha256(f"{item_id}|{trigger.value}|{step}".encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class EscalationEvent:
    """One step up the warning ladder (or, for ``raised``, a red item announced)."""

    event_id: str
    item_id: str
    camera_id: str
    zone: str
    incident: str
    from_level: WarningLevel
    to_level: WarningLevel
    trigger: Trigger
    step: int
    at: datetime
    detail: str
    supervisors: bool = False

    def to_stream_fields(self) -> dict[str, str]:
        """Flat string fields for XADD."""
        return {
            "event_id": self.event_id,
            "item_id": self.item_id,
            "camera_id": self.camera_id,
            "zone": self.zone,
            "incident": self.incident,
            "from_level": self.from_level.value,
            "to_level": self.to_level.value,
            "trigger": self.trigger.value,
            "step": str(self.step),
            "at": self.at.isoformat(),
            "detail": self.detail,
            "supervisors": json.dumps(self.supervisors),
        }

    @classmethod
    def from_stream_fields(cls, fields: dict[str, str]) -> EscalationEvent:
        """Inverse of ``to_stream_fields``."""
        return cls(
            event_id=fields["event_id"],
            item_id=fields["item_id"],
            camera_id=fields["camera_id"],
            zone=fields["zone"],
            incident=fields["incident"],
            from_level=WarningLevel(fields["from_level"]),
            to_level=WarningLevel(fields["to_level"]),
            trigger=Trigger(fields["trigger"]),
            step=int(fields["step"]),
            at=datetime.fromisoformat(fields["at"]),
            detail=fields["detail"],
            supervisors=bool(json.loads(fields["supervisors"])),
        )
