"""What operators do to an alert: confirm, reject, merge, dispatch.

``AlertActions`` is the seam the routers call; ``gridwatch.api.store_actions.StoreAlertActions``
implements it over the SQL case lifecycle (``gridwatch.cases``): every move is a row with who,
when and why, guarded by the alert's version, so when two operators act on one alert at once
exactly one wins and the other gets ``StatusConflict`` (409).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field

from gridwatch.alerts.record import Alert


class Action(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    MERGE = "merge"
    DISPATCH = "dispatch"


class AlertStatus(BaseModel):
    """An alert's lifecycle state as the command hall (or a rule) last set it."""

    status: str = Field(description="Lifecycle status: confirmed, rejected, merged, dispatched, …")
    by: str = Field("", description="Who set it (an operator, or rule:NAME).")
    at: datetime | None = Field(None, description="When it was set (UTC).")
    reason: str = Field("", description="Why (required for reject and merge).")
    merged_into: str | None = Field(None, description="The alert this one was merged into.")
    department: str | None = Field(None, description="Department its case is routed to.")
    case_id: str | None = Field(None, description="Its case, once confirmed.")
    version: int | None = Field(None, description="Optimistic-lock version of the alert.")
    feedback: str | None = Field(
        None, description="What a rejection changed (suppression, negative sample); only in the "
        "answer to a reject."
    )


class StatusConflict(Exception):
    """The alert is not in a status this action may start from (someone else acted first)."""

    def __init__(self, alert_id: str, current: str, action: Action, why: str = "",
                 decided: str = "") -> None:
        self.current = current
        detail = f": {why}" if why else ""
        who = f" ({decided})" if decided else ""
        super().__init__(f"alert {alert_id} is {current}{who}; cannot {action.value} it{detail}")


class AlertActions(Protocol):
    async def statuses(self, alert_ids: Sequence[str]) -> dict[str, AlertStatus]:
        """The recorded status of each id that the command hall or a rule has decided."""
        ...

    async def track(self, alert: Alert) -> None:
        """Make sure ``alert`` (from the dispatch stream) is known to the lifecycle."""
        ...

    async def apply(
        self, alert: Alert, action: Action, change: AlertStatus, expected: str | None,
    ) -> tuple[str, AlertStatus]:
        """Move the alert as ``change`` says; the previous status and the new record."""
        ...
