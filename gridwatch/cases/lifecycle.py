"""Operators (and rules) move alerts and cases through the lifecycle; every move is recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gridwatch.cases.config import CasesConfig
from gridwatch.cases.moves import (
    Move,
    bump_occurrences,
    case_id_of,
    load_alert,
    load_case,
    move_alert,
)
from gridwatch.cases.opening import open_case
from gridwatch.cases.states import MERGEABLE_INTO, Status
from gridwatch.cases.views import CaseView, OpenItem, case_view, open_item
from gridwatch.store.errors import ConflictError, IllegalTransition
from gridwatch.store.models import AlertRow, CaseRow, TransitionRow
from gridwatch.store.store import Store

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
DispatchHook = Callable[[CaseView], None]

_CASE_STAMP = {Status.HANDLED: "handled_at", Status.VERIFIED: "verified_at",
               Status.CLOSED: "closed_at"}


def utc_now() -> datetime:
    return datetime.now(UTC)


def alert_id_of(item_id: str) -> str:
    """Accept an alert id or its case id."""
    return item_id.removeprefix("case-")


class CaseService:
    """The lifecycle API: confirm, reject, merge, dispatch, handle, verify, reopen, close."""

    def __init__(self, store: Store, config: CasesConfig | None = None,
                 on_dispatched: DispatchHook | None = None, clock: Clock = utc_now) -> None:
        self.store = store
        self.config = config or CasesConfig()
        self.on_dispatched = on_dispatched
        self.clock = clock

    def confirm(self, alert_id: str, actor: str, reason: str | None = None,
                expected_version: int | None = None) -> OpenItem:
        return self._change(alert_id, Status.CONFIRMED, actor, reason, expected_version)

    def reject(self, alert_id: str, actor: str, reason: str,
               expected_version: int | None = None) -> OpenItem:
        """A false positive; ``reason`` is required."""
        return self._change(alert_id, Status.REJECTED, actor, reason, expected_version)

    def merge(self, alert_id: str, into: str, actor: str, reason: str,
              expected_version: int | None = None) -> OpenItem:
        """``alert_id`` is a duplicate of the open alert ``into``."""
        return self._change(alert_id, Status.MERGED, actor, reason, expected_version, into=into)

    def dispatch(self, alert_id: str, actor: str, reason: str | None = None,
                 due_at: datetime | None = None, expected_version: int | None = None) -> CaseView:
        """Put the case in the queue: its deadline starts; ``on_dispatched`` is told after commit."""
        self._change(alert_id, Status.DISPATCHED, actor, reason, expected_version, due_at=due_at)
        return self._notify(alert_id_of(alert_id))

    def mark_handled(self, alert_id: str, actor: str, reason: str | None = None,
                     expected_version: int | None = None) -> OpenItem:
        return self._change(alert_id, Status.HANDLED, actor, reason, expected_version)

    def verify(self, alert_id: str, actor: str, reason: str | None = None,
               expected_version: int | None = None) -> OpenItem:
        """The camera (or a supervisor) confirms the fix."""
        return self._change(alert_id, Status.VERIFIED, actor, reason, expected_version)

    def reopen(self, alert_id: str, actor: str, reason: str,
               expected_version: int | None = None) -> OpenItem:
        """Verification failed: the case goes back to the field."""
        return self._change(alert_id, Status.REOPENED, actor, reason, expected_version)

    def close(self, alert_id: str, actor: str, reason: str | None = None,
              expected_version: int | None = None) -> OpenItem:
        return self._change(alert_id, Status.CLOSED, actor, reason, expected_version)

    def get(self, alert_id: str) -> OpenItem:
        """The alert (and case) as it stands now, whatever its status."""
        with self.store.begin() as session:
            alert = load_alert(session, alert_id_of(alert_id))
            return open_item(alert, load_case(session, alert.alert_id))

    def history(self, alert_id: str) -> list[TransitionRow]:
        """Every recorded move of the alert and its case, oldest first."""
        aid = alert_id_of(alert_id)
        with self.store.begin() as session:
            query = (select(TransitionRow)
                     .where(TransitionRow.entity_id.in_([aid, case_id_of(aid)]))
                     .order_by(TransitionRow.id))
            return list(session.scalars(query))

    def republish_pending(self) -> int:
        """Tell ``on_dispatched`` again about dispatched cases it has not taken yet."""
        with self.store.begin() as session:
            query = select(CaseRow.alert_id).where(
                CaseRow.notified_at.is_(None),
                CaseRow.status.in_([Status.DISPATCHED, Status.REOPENED]),
                CaseRow.dispatched_at.is_not(None))
            pending = list(session.scalars(query))
        for aid in pending:
            self._notify(aid)
        return len(pending)

    def _change(self, item_id: str, target: Status, actor: str, reason: str | None,
                expected_version: int | None, **extra: Any) -> OpenItem:
        move = Move(actor, self.clock(), reason)
        with self.store.begin() as session:
            alert = load_alert(session, alert_id_of(item_id))
            case = load_case(session, alert.alert_id)
            changes = self._alert_changes(session, alert, target, move, extra)
            move_alert(session, alert, target, move, expected_version, **changes)
            case = self._case_changes(session, alert, case, target, move, extra.get("due_at"))
            session.flush()
            session.refresh(alert)
            return open_item(alert, case)

    def _alert_changes(self, session: Session, alert: AlertRow, target: Status, move: Move,
                       extra: dict[str, Any]) -> dict[str, Any]:
        if target is Status.CONFIRMED:
            return {"confirmed_at": move.at}
        if target is Status.MERGED:
            self._absorb(session, alert, str(extra["into"]))
            return {"merged_into": extra["into"]}
        return {}

    def _absorb(self, session: Session, alert: AlertRow, into: str) -> None:
        if into == alert.alert_id:
            raise ValueError(f"alert {alert.alert_id} cannot be merged into itself")
        target = load_alert(session, into)
        if target.status not in MERGEABLE_INTO:
            raise IllegalTransition(into, target.status, "merge target", sorted(MERGEABLE_INTO))
        bump_occurrences(session, into, alert.occurrences, alert.last_seen_at)

    def _case_changes(self, session: Session, alert: AlertRow, case: CaseRow | None,
                      target: Status, move: Move, due_at: datetime | None) -> CaseRow | None:
        if target is Status.CONFIRMED:
            return open_case(session, alert, move.at)
        if case is None:
            return None
        case.status = target
        if target is Status.DISPATCHED:
            self._stamp_dispatch(case, alert, move.at, due_at)
        elif target is Status.REOPENED:
            case.handled_at = None
        elif target in _CASE_STAMP:
            setattr(case, _CASE_STAMP[target], move.at)
        return case

    def _stamp_dispatch(self, case: CaseRow, alert: AlertRow, at: datetime,
                        due_at: datetime | None) -> None:
        case.notified_at = None
        if case.dispatched_at is None:
            case.dispatched_at = at
        if due_at is not None:
            case.due_at = due_at
        elif case.due_at is None:
            case.due_at = at + timedelta(hours=self.config.deadline_h(alert.incident))

    def _notify(self, alert_id: str) -> CaseView:
        with self.store.begin() as session:
            alert = load_alert(session, alert_id)
            case = load_case(session, alert_id)
            if case is None:
                raise ConflictError(alert_id, "has no case to publish")
            view = case_view(alert, case)
        if self.on_dispatched is None:
            return view
        try:
            self.on_dispatched(view)
        except Exception:
            log.exception("case %s: on_dispatched failed; kept for republish_pending()", view.case_id)
            return view
        with self.store.begin() as session:
            session.execute(update(CaseRow)
                            .where(CaseRow.case_id == view.case_id, CaseRow.notified_at.is_(None))
                            .values(notified_at=self.clock()))
        return view
