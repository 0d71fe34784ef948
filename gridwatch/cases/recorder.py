"""Recording alerts from the dispatch stream: idempotent, duplicates merged, evidence noted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gridwatch.alerts.record import Alert, BBox
from gridwatch.cases.config import CasesConfig
from gridwatch.cases.evidence_meta import evidence_row
from gridwatch.cases.lifecycle import Clock, utc_now
from gridwatch.cases.moves import Move, bump_occurrences, move_alert
from gridwatch.cases.opening import open_case
from gridwatch.cases.states import MERGEABLE_INTO, Status
from gridwatch.cases.views import RecordOutcome
from gridwatch.store.models import AlertRow, TransitionRow
from gridwatch.store.store import Store

AUTO_CONFIRM_ACTOR = "rule:auto-confirm"
DEDUP_ACTOR = "rule:dedup"


def iou(a: BBox, b: BBox) -> float:
    """Intersection over union of two x1, y1, x2, y2 boxes (0 when either is empty)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


class AlertRecorder:
    """Writes alert records into the store; safe to call again with the same alert."""

    def __init__(self, store: Store, config: CasesConfig | None = None,
                 evidence_root: Path | None = None, clock: Clock = utc_now) -> None:
        self.store = store
        self.config = config or CasesConfig()
        self.evidence_root = evidence_root
        self.clock = clock

    def record(self, alert: Alert) -> RecordOutcome:
        """Record ``alert`` once; raises StoreUnavailable (nothing recorded) when the DB is away."""
        try:
            with self.store.begin() as session:
                return self._record(session, alert)
        except IntegrityError:
            with self.store.begin() as session:  # a concurrent recorder inserted it first
                if session.get(AlertRow, alert.alert_id) is None:
                    raise
                return self._replayed(session, alert.alert_id)

    def _record(self, session: Session, alert: Alert) -> RecordOutcome:
        if session.get(AlertRow, alert.alert_id) is not None:
            return self._replayed(session, alert.alert_id)
        now = self.clock()
        row = _row(alert, now)
        original = self._open_duplicate(session, alert)
        session.add(row)
        self._note_evidence(session, alert, now)
        session.add(TransitionRow(entity_kind="alert", entity_id=alert.alert_id, from_status=None,
                                  to_status=Status.NEW, actor="ingestor", at=now))
        session.flush()
        if original is not None:
            bump_occurrences(session, original.alert_id, 1, alert.raised_at)
            reason = f"duplicate of open alert {original.alert_id}"
            move_alert(session, row, Status.MERGED, Move(DEDUP_ACTOR, now, reason),
                       merged_into=original.alert_id)
            return RecordOutcome(alert_id=alert.alert_id, outcome="merged",
                                 merged_into=original.alert_id, status=Status.MERGED)
        if alert.incident in self.config.auto_confirm:
            move_alert(session, row, Status.CONFIRMED, Move(AUTO_CONFIRM_ACTOR, now,
                       "trusted rule"), confirmed_at=now)
            open_case(session, row, now)
            return RecordOutcome(alert_id=alert.alert_id, outcome="recorded",
                                 status=Status.CONFIRMED)
        return RecordOutcome(alert_id=alert.alert_id, outcome="recorded", status=Status.NEW)

    def _open_duplicate(self, session: Session, alert: Alert) -> AlertRow | None:
        since = alert.raised_at - timedelta(seconds=self.config.dedup_window_s)
        query = (
            select(AlertRow)
            .where(AlertRow.alert_id != alert.alert_id, AlertRow.camera_id == alert.camera_id,
                   AlertRow.zone == alert.zone,
                   AlertRow.incident == alert.incident,
                   AlertRow.status.in_(sorted(MERGEABLE_INTO)), AlertRow.last_seen_at >= since)
            .order_by(AlertRow.raised_at)
        )
        for row in session.scalars(query):
            if iou((row.x1, row.y1, row.x2, row.y2), alert.bbox) >= self.config.dedup_min_iou:
                return row
        return None

    def _note_evidence(self, session: Session, alert: Alert, now: datetime) -> None:
        if self.evidence_root is None:
            return
        row = evidence_row(alert.alert_id, self.evidence_root, alert.evidence, now)
        if row is not None:
            session.add(row)

    @staticmethod
    def _replayed(session: Session, alert_id: str) -> RecordOutcome:
        row = session.get(AlertRow, alert_id)
        if row is None:
            raise LookupError(f"alert {alert_id} vanished while recording it")
        return RecordOutcome(alert_id=alert_id, outcome="replayed", status=row.status,
                             merged_into=row.merged_into)


def _row(alert: Alert, now: datetime) -> AlertRow:
    x1, y1, x2, y2 = alert.bbox
    data = alert.model_dump(exclude={"bbox", "status", "level"})
    return AlertRow(**data, level=str(alert.level), x1=x1, y1=y1, x2=x2, y2=y2,
                    status=Status.NEW, occurrences=1, last_seen_at=alert.raised_at,
                    version=1, created_at=now, updated_at=now)
