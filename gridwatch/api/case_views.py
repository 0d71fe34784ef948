"""Cases and escalations as the API shows them (plain pydantic, built from store rows)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from gridwatch.cases.supervision import EscalationEvent
from gridwatch.store.models import AlertRow, CaseRow, TransitionRow


class CaseSummary(BaseModel):
    """One case (立案) with the routing and milestones the command hall works with."""

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
    occurrences: int = Field(description="How many raises were merged into its alert.")
    opened_at: datetime = Field(description="When the case was opened (UTC).")
    dispatched_at: datetime | None = Field(description="When it was (first) dispatched.")
    due_at: datetime | None = Field(description="Handling deadline.")
    handled_at: datetime | None = Field(description="When it was reported handled.")
    verified_at: datetime | None = Field(description="When the fix was verified.")
    closed_at: datetime | None = Field(description="When it was closed.")
    overdue: bool = Field(description="Past its deadline and not handled (as of the answer).")
    version: int = Field(description="The alert's optimistic-lock version (for expected_version).")
    evidence_url: str | None = Field(description="URL of the evidence JPEG, if any.")


class Transition(BaseModel):
    """One recorded move of the alert or its case."""

    entity: str = Field(description="alert or case.")
    from_status: str | None = Field(description="Status before (null: recorded).")
    to_status: str = Field(description="Status after.")
    actor: str = Field(description="Who (operator name or rule:NAME).")
    at: datetime = Field(description="When (UTC).")
    reason: str | None = Field(description="Why.")


class CaseDetail(CaseSummary):
    history: list[Transition] = Field(description="Every move, oldest first.")
    escalations: list[EscalationEvent] = Field(description="Every escalation, oldest first.")


class CasePage(BaseModel):
    items: list[CaseSummary] = Field(description="Newest opened first.")
    total: int = Field(description="Cases matching the filter.")
    offset: int = Field(description="Offset of the first item.")
    limit: int = Field(description="Page size asked for.")


class EscalationItem(EscalationEvent):
    """An escalation event with where it happened and who answers for it."""

    camera_id: str = Field(description="Camera of the escalated alert.")
    incident: str = Field(description="Incident id.")
    street: str = Field(description="Responsible sub-district.")
    department: str = Field(description="Responsible department.")


class EscalationPage(BaseModel):
    items: list[EscalationItem] = Field(description="Newest first.")
    total: int = Field(description="Events matching the filter.")
    offset: int = Field(description="Offset of the first item.")
    limit: int = Field(description="Page size asked for.")


def case_summary(alert: AlertRow, case: CaseRow, now: datetime) -> CaseSummary:
    overdue = bool(case.due_at and case.handled_at is None and case.due_at < now
                   and case.status in {"dispatched", "reopened"})
    return CaseSummary(
        case_id=case.case_id, alert_id=alert.alert_id, status=case.status, level=case.level,
        incident=alert.incident, category_code=case.category_code, camera_id=alert.camera_id,
        zone=alert.zone, street=case.street, grid=case.grid, department=case.department,
        shop=case.shop, occurrences=alert.occurrences, opened_at=case.opened_at,
        dispatched_at=case.dispatched_at, due_at=case.due_at, handled_at=case.handled_at,
        verified_at=case.verified_at, closed_at=case.closed_at, overdue=overdue,
        version=alert.version,
        evidence_url=f"/cases/{case.case_id}/evidence" if alert.evidence else None,
    )


def transition(row: TransitionRow) -> Transition:
    return Transition(entity=row.entity_kind, from_status=row.from_status, to_status=row.to_status,
                      actor=row.actor, at=row.at, reason=row.reason)
