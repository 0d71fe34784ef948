"""Plain snapshots handed to other parts (API, escalation, case publisher): no ORM objects."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gridwatch.alerts.record import BBox
from gridwatch.store.models import AlertRow, CaseRow


class Snapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpenItem(Snapshot):
    """An alert (and its case, once opened) that still needs someone to act."""

    alert_id: str = Field(description="Alert id.")
    case_id: str | None = Field(description="Case id once the alert is confirmed.")
    camera_id: str = Field(description="Camera that saw it.")
    zone: str = Field(description="Zone of that camera.")
    incident: str = Field(description="Incident id.")
    status: str = Field(description="Lifecycle status.")
    level: str = Field(description="Current warning level.")
    version: int = Field(description="Optimistic-lock version of the alert.")
    bbox: BBox = Field(description="Normalised x1, y1, x2, y2 (for a camera re-check).")
    occurrences: int = Field(description="How many raises were merged into this alert.")
    raised_at: datetime = Field(description="When the alert was raised (UTC).")
    confirmed_at: datetime | None = Field(description="When it was confirmed.")
    dispatched_at: datetime | None = Field(description="When its case was (last) dispatched.")
    due_at: datetime | None = Field(description="Handling deadline of its case.")
    handled_at: datetime | None = Field(description="When the case was reported handled.")
    street: str = Field(description="Responsible sub-district.")
    department: str = Field(description="Responsible department.")


def open_item(alert: AlertRow, case: CaseRow | None) -> OpenItem:
    return OpenItem(
        alert_id=alert.alert_id, case_id=case.case_id if case else None,
        camera_id=alert.camera_id, zone=alert.zone, incident=alert.incident,
        status=alert.status, level=alert.level, version=alert.version,
        bbox=(alert.x1, alert.y1, alert.x2, alert.y2), occurrences=alert.occurrences,
        raised_at=alert.raised_at, confirmed_at=alert.confirmed_at,
        dispatched_at=case.dispatched_at if case else None,
        due_at=case.due_at if case else None, handled_at=case.handled_at if case else None,
        street=alert.street, department=alert.department,
    )


class CaseFields(BaseModel):
    """What every view of a case (立案) carries: its ids, its incident, where it is, who answers
    for it and its dispatch; ``CaseView`` and the API's case summary add their own."""

    case_id: str = Field(description="Case id.")
    alert_id: str = Field(description="The alert it was opened from.")
    status: str = Field(description="confirmed, dispatched, handled, verified, closed, reopened, "
                                    "rejected or merged.")
    level: str = Field(description="Current warning level: blue, yellow, orange or red.")
    incident: str = Field(description="Incident id.")
    category_code: str = Field(description="Category code.")
    camera_id: str = Field(description="Camera that saw it.")
    zone: str = Field(description="Zone of that camera.")
    street: str = Field(description="Responsible sub-district (街道).")
    grid: str = Field(description="Grid cell.")
    department: str = Field(description="Department the case is routed to.")
    shop: str | None = Field(description="Responsible street-front shop, if any.")
    dispatched_at: datetime | None = Field(description="When it was (first) dispatched.")
    due_at: datetime | None = Field(description="Handling deadline.")


def case_fields(alert: AlertRow, case: CaseRow) -> CaseFields:
    return CaseFields(
        case_id=case.case_id, alert_id=alert.alert_id, status=case.status, level=case.level,
        incident=alert.incident, category_code=case.category_code, camera_id=alert.camera_id,
        zone=alert.zone, street=case.street, grid=case.grid, department=case.department,
        shop=case.shop, dispatched_at=case.dispatched_at, due_at=case.due_at,
    )


class CaseView(Snapshot, CaseFields):
    """A case as published to the case stream when it is dispatched."""

    bbox: BBox = Field(description="Normalised x1, y1, x2, y2 of the incident.")
    evidence: str = Field(description="Snapshot reference.")


def case_view(alert: AlertRow, case: CaseRow) -> CaseView:
    return CaseView(**dict(case_fields(alert, case)),
                    bbox=(alert.x1, alert.y1, alert.x2, alert.y2), evidence=alert.evidence)


class RecordOutcome(Snapshot):
    """What recording one alert did."""

    alert_id: str = Field(description="The recorded alert's id.")
    outcome: Literal["recorded", "merged", "replayed"] = Field(
        description="recorded: new open alert; merged: duplicate of an open one; replayed: "
        "already in the store, nothing written."
    )
    merged_into: str | None = Field(None, description="The open alert a duplicate joined.")
    status: str = Field(description="The alert's status after recording.")
