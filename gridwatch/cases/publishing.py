"""Dispatched cases onto the cases stream: ``CaseService(on_dispatched=CaseStreamHook(...))``.

The store is the outbox: a case whose publication failed keeps ``notified_at`` empty and
``CaseService.republish_pending`` offers it again; the stream takes each case id once, so a
repeat never adds a second entry.
"""

from __future__ import annotations

import logging

from gridwatch.cases.views import CaseView
from gridwatch.config.incidents import WarningLevel
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.cases import CasePublisher

log = logging.getLogger(__name__)


def case_record(view: CaseView) -> CaseRecord:
    """The wire record of a dispatched case; ValueError when it was never dispatched."""
    if view.dispatched_at is None or view.due_at is None:
        raise ValueError(f"case {view.case_id} has no dispatch time or deadline: not dispatched")
    return CaseRecord(
        case_id=view.case_id, alert_id=view.alert_id, incident=view.incident,
        category_code=view.category_code, level=WarningLevel(view.level), street=view.street,
        grid=view.grid, department=view.department, shop=view.shop, camera_id=view.camera_id,
        zone=view.zone, bbox=view.bbox, evidence=view.evidence, due_at=view.due_at,
        dispatched_at=view.dispatched_at,
    )


class CaseStreamHook:
    """``on_dispatched`` hook: publish the case; a Redis failure propagates (kept for later)."""

    def __init__(self, publisher: CasePublisher) -> None:
        self.publisher = publisher
        self.published = 0

    def __call__(self, view: CaseView) -> None:
        entry = self.publisher.publish(case_record(view))
        if entry is not None:
            self.published += 1
            log.info("case %s → %s (%s)", view.case_id, self.publisher.stream, entry)
