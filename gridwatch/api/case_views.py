"""Cases and escalations as the API shows them (plain pydantic, built from store rows)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from gridwatch.cases.supervision import EscalationEvent
from gridwatch.cases.views import CaseFields, case_fields
from gridwatch.store.models import AlertRow, CaseRow, TransitionRow


class CaseSummary(CaseFields):
    """One case (立案) with the routing and milestones the command hall works with."""

    occurrences: int = Field(description="How many raises were merged into its alert.")
    opened_at: datetime = Field(description="When the case was opened (UTC).")
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
        **dict(case_fields(alert, case)), occurrences=alert.occurrences,
        opened_at=case.opened_at, handled_at=case.handled_at, verified_at=case.verified_at,
        closed_at=case.closed_at, overdue=overdue, version=alert.version,
        evidence_url=f"/cases/{case.case_id}/evidence" if alert.evidence else None,
    )


def transition(row: TransitionRow) -> Transition:
    return Transition(entity=row.entity_kind, from_status=row.from_status, to_status=row.to_status,
                      actor=row.actor, at=row.at, reason=row.reason)
