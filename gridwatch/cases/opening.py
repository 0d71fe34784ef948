"""Opening a case (立案) from a confirmed alert."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gridwatch.cases.moves import case_id_of
from gridwatch.cases.states import Status
from gridwatch.store.models import AlertRow, CaseRow


def open_case(session: Session, alert: AlertRow, at: datetime) -> CaseRow:
    """The case of ``alert``, added to ``session`` (routing copied from the alert)."""
    case = CaseRow(
        case_id=case_id_of(alert.alert_id), alert_id=alert.alert_id, street=alert.street,
        grid=alert.grid, department=alert.department, shop=alert.shop,
        category_code=alert.category_code, status=Status.CONFIRMED, level=alert.level,
        opened_at=at,
    )
    session.add(case)
    return case

