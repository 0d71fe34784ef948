"""What the escalation engine and video verification need: open items, escalation events."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridwatch.cases.moves import load_alert, load_case
from gridwatch.cases.states import OPEN, Status, level_rank
from gridwatch.cases.views import OpenItem, open_item
from gridwatch.store.models import AlertRow, CaseRow, EscalationRow
from gridwatch.store.store import Store


def open_items(store: Store, statuses: Collection[Status] = OPEN,
               alert_ids: Collection[str] | None = None) -> list[OpenItem]:
    """Plain snapshots of every alert in ``statuses`` (default: all still open), oldest first;
    only those of ``alert_ids`` when given."""
    query = (
        select(AlertRow, CaseRow)
        .outerjoin(CaseRow, CaseRow.alert_id == AlertRow.alert_id)
        .where(AlertRow.status.in_(sorted(statuses)))
        .order_by(AlertRow.raised_at, AlertRow.alert_id)
    )
    if alert_ids is not None:
        query = query.where(AlertRow.alert_id.in_(sorted(alert_ids)))
    with store.begin() as session:
        return [open_item(alert, case) for alert, case in session.execute(query)]


class EscalationEvent(BaseModel):
    """One recorded escalation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(description="Event id.")
    event_id: str | None = Field(None, description="The escalation engine's id of the step, if any.")
    alert_id: str = Field(description="Escalated alert.")
    case_id: str | None = Field(description="Its case, if opened.")
    from_level: str = Field(description="Level before.")
    to_level: str = Field(description="Level after (never lower than before).")
    trigger: str = Field(description="What caused it (e.g. overdue, recurrence, supervisor).")
    at: datetime = Field(description="When (UTC).")
    detail: str | None = Field(description="JSON detail given by the escalation engine.")


def record_escalation(
    store: Store, alert_id: str, to_level: str, trigger: str, at: datetime,
    detail: dict[str, Any] | None = None, event_id: str | None = None,
) -> EscalationEvent:
    """Record an escalation and raise the alert's (and case's) level to ``to_level``.

    ``to_level`` equal to the current level records a repeat notice without a change; a lower
    level is a ValueError (levels only go up). The status and version are not touched, so an
    escalation never makes an operator's change conflict. With ``event_id`` (the engine's
    idempotency key) a second call for the same event returns the first record, changing nothing.
    """
    new_rank = level_rank(to_level)
    if not trigger.strip():
        raise ValueError("an escalation needs a trigger")
    try:
        return _record(store, alert_id, to_level, new_rank, trigger, at, detail, event_id)
    except IntegrityError:
        if event_id is None:
            raise
        with store.begin() as session:  # a concurrent service recorded the same event first
            known = _by_event_id(session, event_id)
        if known is None:
            raise
        return known


def _record(store: Store, alert_id: str, to_level: str, new_rank: int, trigger: str,
            at: datetime, detail: dict[str, Any] | None, event_id: str | None) -> EscalationEvent:
    with store.begin() as session:
        if event_id is not None and (known := _by_event_id(session, event_id)) is not None:
            return known
        alert = load_alert(session, alert_id)
        if new_rank < level_rank(alert.level):
            raise ValueError(f"alert {alert_id}: level {alert.level!r} cannot go down to {to_level!r}")
        case = load_case(session, alert_id)
        row = EscalationRow(alert_id=alert_id, case_id=case.case_id if case else None,
                            event_id=event_id,
                            from_level=alert.level, to_level=to_level, trigger=trigger, at=at,
                            detail=json.dumps(detail, ensure_ascii=False) if detail else None)
        session.add(row)
        session.execute(update(AlertRow).where(AlertRow.alert_id == alert_id)
                        .values(level=to_level).execution_options(synchronize_session=False))
        session.execute(update(CaseRow).where(CaseRow.alert_id == alert_id)
                        .values(level=to_level).execution_options(synchronize_session=False))
        session.flush()
        return EscalationEvent.model_validate(row, from_attributes=True)


def _by_event_id(session: Session, event_id: str) -> EscalationEvent | None:
    row = session.scalars(select(EscalationRow).where(EscalationRow.event_id == event_id)).first()
    return None if row is None else EscalationEvent.model_validate(row, from_attributes=True)


def escalations(store: Store, alert_id: str) -> list[EscalationEvent]:
    """Every escalation of one alert, oldest first."""
    query = select(EscalationRow).where(EscalationRow.alert_id == alert_id).order_by(EscalationRow.id)
    with store.begin() as session:
        return [EscalationEvent.model_validate(r, from_attributes=True) for r in session.scalars(query)]
