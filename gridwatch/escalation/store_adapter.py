"""The escalation service over the SQL store: open alerts/cases in, escalation events recorded.

``items`` turns the store's open alerts (and their cases) into ``EscalationItem`` snapshots,
with the ids and times of the escalations already recorded; ``record`` writes one event the
way ``EscalationItem.applied`` describes (the level rises, the event id is remembered), once
per event id.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from gridwatch.cases.states import OPEN
from gridwatch.cases.supervision import open_items, record_escalation
from gridwatch.cases.views import OpenItem
from gridwatch.config.incidents import WarningLevel
from gridwatch.escalation.model import EscalationEvent, EscalationItem, level_rank
from gridwatch.store.models import AlertRow, EscalationRow
from gridwatch.store.store import Store


@dataclass
class _Recorded:
    """What the store remembers of one alert's escalations."""

    ids: set[str] = field(default_factory=set)
    last_at: datetime | None = None
    last_level: WarningLevel | None = None

    def add(self, row: EscalationRow) -> None:
        if row.event_id:
            self.ids.add(row.event_id)
        level = WarningLevel(row.to_level)
        if self.last_at is None or row.at >= self.last_at:
            self.last_at = row.at
        if self.last_level is None or level_rank(level) > level_rank(self.last_level):
            self.last_level = level


class StoreEscalations:
    """Source (``items``) and sink (``record``) of the escalation service, backed by ``store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def items(self) -> list[EscalationItem]:
        """Every open alert or case as the engine sees it, oldest first."""
        recorded = self._recorded()
        return [to_item(item, recorded.get(item.alert_id)) for item in open_items(self.store)]

    def item(self, alert_id: str) -> EscalationItem | None:
        """One open alert's snapshot (None when it is no longer open)."""
        found = open_items(self.store, alert_ids=[alert_id])
        if not found:
            return None
        return to_item(found[0], self._recorded(alert_id).get(alert_id))

    def record(self, event: EscalationEvent) -> None:
        """Record ``event`` once (by its id): the alert's and case's level becomes ``to_level``."""
        detail = {"event_id": event.event_id, "step": event.step, "detail": event.detail,
                  "supervisors": event.supervisors}
        record_escalation(self.store, event.item_id, event.to_level.value, event.trigger.value,
                          event.at, detail, event_id=event.event_id)

    def _recorded(self, alert_id: str | None = None) -> dict[str, _Recorded]:
        query = (select(EscalationRow).join(AlertRow, AlertRow.alert_id == EscalationRow.alert_id)
                 .where(AlertRow.status.in_(sorted(OPEN))).order_by(EscalationRow.id))
        if alert_id is not None:
            query = query.where(EscalationRow.alert_id == alert_id)
        out: dict[str, _Recorded] = defaultdict(_Recorded)
        with self.store.begin() as session:
            for row in session.scalars(query):
                out[row.alert_id].add(row)
        return out


def to_item(item: OpenItem, recorded: _Recorded | None) -> EscalationItem:
    """The engine's snapshot of one open alert (with what the store recorded of it)."""
    seen = recorded or _Recorded()
    return EscalationItem(
        item_id=item.alert_id, camera_id=item.camera_id, zone=item.zone, incident=item.incident,
        status=item.status, level=WarningLevel(item.level), raised_at=item.raised_at,
        confirmed_at=item.confirmed_at, dispatched_at=item.dispatched_at,
        handled_at=item.handled_at, due_at=item.due_at, recurrence_count=item.occurrences,
        last_escalated_at=seen.last_at, last_escalated_level=seen.last_level,
        escalation_ids=frozenset(seen.ids),
    )
