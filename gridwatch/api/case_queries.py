"""Read-only queries behind the cases and escalations routers (sync: run them in a thread)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVarTuple

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, func, or_, select

from gridwatch.api.case_views import (
    CaseDetail,
    CasePage,
    CaseSummary,
    EscalationItem,
    EscalationPage,
    case_summary,
    transition,
)
from gridwatch.cases.lifecycle import utc_now
from gridwatch.cases.moves import case_id_of
from gridwatch.cases.supervision import EscalationEvent
from gridwatch.config.incidents import WarningLevel
from gridwatch.store.errors import NotFound
from gridwatch.store.models import AlertRow, CaseRow, EscalationRow, TransitionRow
from gridwatch.store.store import Store

OPEN_CASE = ("dispatched", "reopened")
Ts = TypeVarTuple("Ts")


class CaseFilter(BaseModel):
    """Which cases to list; every given field must match."""

    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(None, description="Case status.")
    street: str | None = Field(None, description="Sub-district.")
    department: str | None = Field(None, description="Department.")
    incident: str | None = Field(None, description="Incident id.")
    level: WarningLevel | None = Field(None, description="Warning level.")
    camera_id: str | None = Field(None, description="Camera.")
    overdue: bool | None = Field(None, description="Past the deadline and not handled (or not).")
    opened_from: datetime | None = Field(None, description="Opened at or after (UTC).")
    opened_to: datetime | None = Field(None, description="Opened before (UTC).")

    def apply(self, query: Select[*Ts], now: datetime) -> Select[*Ts]:
        for column, value in ((CaseRow.status, self.status), (CaseRow.street, self.street),
                              (CaseRow.department, self.department),
                              (AlertRow.incident, self.incident),
                              (CaseRow.level, self.level.value if self.level else None),
                              (AlertRow.camera_id, self.camera_id)):
            if value is not None:
                query = query.where(column == value)
        if self.opened_from is not None:
            query = query.where(CaseRow.opened_at >= self.opened_from)
        if self.opened_to is not None:
            query = query.where(CaseRow.opened_at < self.opened_to)
        if self.overdue is not None:
            late = (CaseRow.due_at < now) & CaseRow.handled_at.is_(None) & CaseRow.status.in_(
                OPEN_CASE)
            query = query.where(late if self.overdue else ~late | CaseRow.due_at.is_(None))
        return query


def list_cases(store: Store, wanted: CaseFilter, limit: int, offset: int) -> CasePage:
    now = utc_now()
    base = wanted.apply(select(AlertRow, CaseRow).join(
        CaseRow, CaseRow.alert_id == AlertRow.alert_id), now)
    counted = select(func.count()).select_from(base.order_by(None).subquery())
    page = base.order_by(CaseRow.opened_at.desc(), CaseRow.case_id.desc()).limit(limit).offset(
        offset)
    with store.begin() as session:
        total = int(session.scalar(counted) or 0)
        items = [case_summary(a, c, now) for a, c in session.execute(page)]
    return CasePage(items=items, total=total, offset=offset, limit=limit)


def find_case(store: Store, case_or_alert_id: str) -> tuple[AlertRow, CaseRow]:
    query = (select(AlertRow, CaseRow).join(CaseRow, CaseRow.alert_id == AlertRow.alert_id)
             .where(or_(CaseRow.case_id == case_or_alert_id,
                        CaseRow.alert_id == case_or_alert_id)))
    with store.begin() as session:
        found = session.execute(query).first()
    if found is None:
        raise NotFound("case", case_or_alert_id)
    return found[0], found[1]


def case_detail(store: Store, case_or_alert_id: str) -> CaseDetail:
    alert, case = find_case(store, case_or_alert_id)
    moves = (select(TransitionRow)
             .where(TransitionRow.entity_id.in_([alert.alert_id, case_id_of(alert.alert_id)]))
             .order_by(TransitionRow.id))
    events = select(EscalationRow).where(EscalationRow.alert_id == alert.alert_id).order_by(
        EscalationRow.id)
    with store.begin() as session:
        history = [transition(row) for row in session.scalars(moves)]
        escalated = [EscalationEvent.model_validate(r, from_attributes=True)
                     for r in session.scalars(events)]
    summary: CaseSummary = case_summary(alert, case, utc_now())
    return CaseDetail(**summary.model_dump(), history=history, escalations=escalated)


class EscalationFilter(BaseModel):
    """Which escalation events to list; every given field must match."""

    model_config = ConfigDict(extra="forbid")

    alert_id: str | None = Field(None, description="Escalated alert.")
    case_id: str | None = Field(None, description="Its case.")
    to_level: WarningLevel | None = Field(None, description="Level reached.")
    trigger: str | None = Field(None, description="What caused it.")
    street: str | None = Field(None, description="Sub-district of the alert.")
    department: str | None = Field(None, description="Department of the alert.")
    since: datetime | None = Field(None, description="At or after (UTC).")
    until: datetime | None = Field(None, description="Before (UTC).")

    def apply(self, query: Select[*Ts]) -> Select[*Ts]:
        for column, value in ((EscalationRow.alert_id, self.alert_id),
                              (EscalationRow.case_id, self.case_id),
                              (EscalationRow.to_level,
                               self.to_level.value if self.to_level else None),
                              (EscalationRow.trigger, self.trigger),
                              (AlertRow.street, self.street),
                              (AlertRow.department, self.department)):
            if value is not None:
                query = query.where(column == value)
        if self.since is not None:
            query = query.where(EscalationRow.at >= self.since)
        if self.until is not None:
            query = query.where(EscalationRow.at < self.until)
        return query


def list_escalations(store: Store, wanted: EscalationFilter, limit: int,
                     offset: int) -> EscalationPage:
    base = wanted.apply(select(EscalationRow, AlertRow).join(
        AlertRow, AlertRow.alert_id == EscalationRow.alert_id))
    counted = select(func.count()).select_from(base.order_by(None).subquery())
    page = base.order_by(EscalationRow.id.desc()).limit(limit).offset(offset)
    with store.begin() as session:
        total = int(session.scalar(counted) or 0)
        items = [_escalation(event, alert) for event, alert in session.execute(page)]
    return EscalationPage(items=items, total=total, offset=offset, limit=limit)


def _escalation(event: EscalationRow, alert: AlertRow) -> EscalationItem:
    base = EscalationEvent.model_validate(event, from_attributes=True)
    return EscalationItem(**base.model_dump(), camera_id=alert.camera_id, incident=alert.incident,
                          street=alert.street, department=alert.department)
