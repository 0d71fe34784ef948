"""Status changes inside one transaction, guarded by the alert's version in the UPDATE itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, case, select, update
from sqlalchemy.orm import Session

from gridwatch.cases.states import NEEDS_REASON, Status, check_transition
from gridwatch.store.errors import ConflictError, NotFound
from gridwatch.store.models import AlertRow, CaseRow, TransitionRow


def load_alert(session: Session, alert_id: str) -> AlertRow:
    row = session.get(AlertRow, alert_id, populate_existing=True)
    if row is None:
        raise NotFound("alert", alert_id)
    return row


def load_case(session: Session, alert_id: str) -> CaseRow | None:
    return session.scalars(select(CaseRow).where(CaseRow.alert_id == alert_id)).first()


def last_move_to(session: Session, alert: AlertRow, status: str) -> TransitionRow | None:
    ids = [alert.alert_id, case_id_of(alert.alert_id)]
    query = (
        select(TransitionRow)
        .where(TransitionRow.entity_id.in_(ids), TransitionRow.to_status == status)
        .order_by(TransitionRow.id.desc())
    )
    return session.scalars(query).first()


def bump_occurrences(session: Session, alert_id: str, count: int, seen_at: datetime) -> None:
    """Add ``count`` merged raises to an open alert, atomically (no version change)."""
    latest = case((AlertRow.last_seen_at < seen_at, seen_at), else_=AlertRow.last_seen_at)
    session.execute(
        update(AlertRow)
        .where(AlertRow.alert_id == alert_id)
        .values(occurrences=AlertRow.occurrences + count, last_seen_at=latest)
        .execution_options(synchronize_session=False)
    )


def case_id_of(alert_id: str) -> str:
    return f"case-{alert_id}"


def _already(session: Session, alert: AlertRow, target: Status) -> ConflictError:
    last = last_move_to(session, alert, target)
    who = f" by {last.actor} at {last.at.isoformat()}" if last else ""
    return ConflictError(alert.alert_id, f"already {target}{who}")


def move_alert(
    session: Session,
    alert: AlertRow,
    target: Status,
    move: Move,
    expected_version: int | None = None,
    **changes: Any,
) -> Status:
    """Move ``alert`` to ``target``; ConflictError when its version is no longer the expected one."""
    if alert.status == target:
        raise _already(session, alert, target)
    source = check_transition(alert.alert_id, alert.status, target)
    if target in NEEDS_REASON and not (move.reason or "").strip():
        raise ValueError(f"alert {alert.alert_id}: moving to {target!r} needs a reason")
    version = alert.version if expected_version is None else expected_version
    statement = (
        update(AlertRow)
        .where(AlertRow.alert_id == alert.alert_id, AlertRow.version == version)
        .values(status=target, version=AlertRow.version + 1, updated_at=move.at, **changes)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    if result.rowcount != 1:
        raise _conflict(session, alert.alert_id, version)
    kind, entity = ("case", case_id_of(alert.alert_id)) if _is_case_move(source) else (
        "alert", alert.alert_id)
    session.add(TransitionRow(entity_kind=kind, entity_id=entity, from_status=source,
                              to_status=target, actor=move.actor, at=move.at, reason=move.reason))
    return source


def _is_case_move(source: Status) -> bool:
    return source not in (Status.NEW, Status.CONFIRMED)


def _conflict(session: Session, alert_id: str, version: int) -> ConflictError:
    session.expire_all()
    now = load_alert(session, alert_id)
    return ConflictError(
        alert_id,
        f"changed by someone else (expected version {version}, now version {now.version}, "
        f"status {now.status!r}); reload and retry",
    )


class Move:
    """Who makes a change, when, and why."""

    __slots__ = ("actor", "at", "reason")

    def __init__(self, actor: str, at: datetime, reason: str | None = None) -> None:
        if not actor.strip():
            raise ValueError("every change needs an actor (operator or rule name)")
        self.actor = actor
        self.at = at
        self.reason = reason
