"""``AlertActions`` over the SQL case lifecycle (gridwatch.cases), the API's default.

An alert the operator acts on is first recorded from its dispatch-stream record (idempotent: a
no-op when the store consumer already did it). Each action then reads the alert's version and
moves it with that version in the UPDATE, so of two operators acting at once one wins and the
other gets ``StatusConflict``. A reject also applies the operator feedback (suppression of the
same object at the same place, and a labelled negative sample).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import redis
from anyio import to_thread
from sqlalchemy import Row, select, update

from gridwatch.alerts.feedback import FeedbackRecorder
from gridwatch.alerts.record import Alert
from gridwatch.api.alert_actions import Action, AlertStatus, StatusConflict
from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.states import Status
from gridwatch.cases.views import OpenItem
from gridwatch.config.models import ID_PATTERN
from gridwatch.store.errors import ConflictError, IllegalTransition
from gridwatch.store.models import AlertRow, CaseRow, TransitionRow
from gridwatch.store.store import Store

log = logging.getLogger(__name__)
CHUNK = 500
CONFIRMED_ON_DISPATCH = "confirmed on dispatch"
SAFE_ID = re.compile(ID_PATTERN)


class StoreAlertActions:
    """Confirm, reject, merge and dispatch through ``CaseService``; every move is recorded."""

    def __init__(self, store: Store, service: CaseService, recorder: AlertRecorder,
                 feedback: FeedbackRecorder | None) -> None:
        self.store = store
        self.service = service
        self.recorder = recorder
        self.feedback = feedback

    async def statuses(self, alert_ids: Sequence[str]) -> dict[str, AlertStatus]:
        if not alert_ids:
            return {}
        return await to_thread.run_sync(self._statuses, list(alert_ids))

    async def track(self, alert: Alert) -> None:
        await to_thread.run_sync(self.recorder.record, alert)

    async def apply(
        self, alert: Alert, action: Action, change: AlertStatus, expected: str | None,
    ) -> tuple[str, AlertStatus]:
        return await to_thread.run_sync(self._apply, alert, action, change, expected)

    def _apply(self, alert: Alert, action: Action, change: AlertStatus,
               expected: str | None) -> tuple[str, AlertStatus]:
        self.recorder.record(alert)
        item = self.service.get(alert.alert_id)
        if expected is not None and item.status != expected:
            raise self._conflict(alert.alert_id, action, f"expected {expected!r}; reload and retry")
        try:
            self._move(item, action, change)
        except (ConflictError, IllegalTransition) as exc:
            raise self._conflict(alert.alert_id, action, str(exc)) from None
        record = self._statuses([alert.alert_id])[alert.alert_id]
        if action is Action.REJECT:
            record = record.model_copy(update={"feedback": self._feedback(alert, change)})
        return item.status, record

    def _conflict(self, alert_id: str, action: Action, why: str) -> StatusConflict:
        """The conflict with the alert's status now and who set it, when."""
        current = self.service.get(alert_id).status
        moves = self.service.history(alert_id)
        decided = f"by {moves[-1].actor} at {moves[-1].at.isoformat(timespec='seconds')}" if moves else ""
        return StatusConflict(alert_id, current, action, why, decided)

    def _move(self, item: OpenItem, action: Action, change: AlertStatus) -> None:
        aid, who, why, version = item.alert_id, change.by, change.reason or None, item.version
        if action is Action.CONFIRM:
            self.service.confirm(aid, who, why, expected_version=version)
        elif action is Action.REJECT:
            self.service.reject(aid, who, change.reason, expected_version=version)
        elif action is Action.MERGE:
            into = change.merged_into or ""
            self.service.merge(aid, into, who, why or f"duplicate of {into}", version)
        else:
            self._dispatch(item, change)

    def _dispatch(self, item: OpenItem, change: AlertStatus) -> None:
        """new → confirmed → dispatched in one operator decision (two recorded moves)."""
        version = item.version
        if item.status == Status.NEW:
            version = self.service.confirm(item.alert_id, change.by, CONFIRMED_ON_DISPATCH,
                                           expected_version=version).version
        why = change.reason or None
        if change.department and change.department != item.department:
            self._reroute(item.alert_id, change.department)
            why = "; ".join(filter(None, [why, f"routed to {change.department} "
                                                f"(was {item.department or 'unassigned'})"]))
        self.service.dispatch(item.alert_id, change.by, why, expected_version=version)

    def _reroute(self, alert_id: str, department: str) -> None:
        with self.store.begin() as session:
            session.execute(update(CaseRow).where(CaseRow.alert_id == alert_id,
                                                  CaseRow.dispatched_at.is_(None))
                            .values(department=department))

    def _feedback(self, alert: Alert, change: AlertStatus) -> str:
        if self.feedback is None:
            return "no feedback configured"
        recorder = self.feedback
        if not SAFE_ID.match(alert.camera_id):  # it names the negatives folder: never a path
            log.warning("alert %s: camera id %r is not a plain id; no negative sample saved",
                        alert.alert_id, alert.camera_id[:80])
            recorder = FeedbackRecorder(
                recorder.config.model_copy(update={"save_negatives": False}),
                recorder.suppressions, recorder.evidence, recorder.negatives_dir)
        try:
            done = recorder.rejected(alert, change.reason, change.by)
        except (redis.RedisError, OSError, ValueError) as exc:
            log.error("alert %s rejected, but its feedback failed: %s", alert.alert_id, exc)
            return f"rejected, but suppression/negative sample failed: {type(exc).__name__}"
        parts = []
        if done.suppression is not None:
            parts.append(f"suppressed at this place until {done.suppression.until:.0f} (epoch s)")
        parts.append("negative sample saved" if done.negative else "no negative sample saved")
        return "; ".join(parts)

    def _statuses(self, alert_ids: list[str]) -> dict[str, AlertStatus]:
        out: dict[str, AlertStatus] = {}
        for start in range(0, len(alert_ids), CHUNK):
            out.update(self._chunk(alert_ids[start:start + CHUNK]))
        return out

    def _chunk(self, ids: list[str]) -> dict[str, AlertStatus]:
        query = (select(AlertRow.alert_id, AlertRow.status, AlertRow.merged_into, AlertRow.version,
                        CaseRow.case_id, CaseRow.department)
                 .outerjoin(CaseRow, CaseRow.alert_id == AlertRow.alert_id)
                 .where(AlertRow.alert_id.in_(ids), AlertRow.status != Status.NEW))
        with self.store.begin() as session:
            rows = list(session.execute(query))
            owner = {row.alert_id: row.alert_id for row in rows}
            owner.update({row.case_id: row.alert_id for row in rows if row.case_id})
            moves: list[TransitionRow] = list(session.scalars(
                select(TransitionRow).where(TransitionRow.entity_id.in_(list(owner)))
                .order_by(TransitionRow.id))) if owner else []
            last = {owner[move.entity_id]: move for move in moves}
        return {row.alert_id: _status(row, last.get(row.alert_id)) for row in rows}


def _status(row: Row[*tuple[Any, ...]], move: TransitionRow | None) -> AlertStatus:
    return AlertStatus(
        status=row.status, by=move.actor if move else "", at=move.at if move else None,
        reason=(move.reason or "") if move else "", merged_into=row.merged_into,
        case_id=row.case_id, department=row.department or None, version=row.version,
    )
