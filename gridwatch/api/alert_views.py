"""Alerts as the API shows them: the dispatch-stream record with its command-hall status."""

from __future__ import annotations

import re

import redis.asyncio as aioredis
from pydantic import Field

from gridwatch.alerts.record import Alert
from gridwatch.api.alert_actions import AlertActions, AlertStatus

_ENTRY_ID = re.compile(r"^\d{1,20}-\d{1,20}$")


class AlertView(Alert):
    """An alert record, its stream entry id, its current status and where its evidence is."""

    entry_id: str = Field(description="Dispatch-stream entry id (the list cursor).")
    evidence_url: str | None = Field(None, description="URL of the evidence JPEG, if any.")
    decision: AlertStatus | None = Field(
        None, description="The command hall's latest decision (status, who, when, why)."
    )


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def view_of(entry_id: str, alert: Alert, decision: AlertStatus | None) -> AlertView:
    data = alert.model_dump()
    if decision is not None:
        data["status"] = decision.status
    url = f"/alerts/{alert.alert_id}/evidence" if alert.evidence else None
    return AlertView(**data, entry_id=entry_id, evidence_url=url, decision=decision)


async def find_alert(client: aioredis.Redis, stream: str, alert_id: str) -> tuple[str, Alert] | None:
    """The entry of ``alert_id`` through the dispatcher's idempotency key (``<stream>:seen:<id>``)."""
    entry = await client.get(f"{stream}:seen:{alert_id}")
    entry_id = _text(entry) if entry is not None else ""
    if not _ENTRY_ID.match(entry_id):
        return None
    found = await client.xrange(stream, min=entry_id, max=entry_id, count=1)
    if not found:
        return None
    alert = Alert.from_stream_entry(found[0][1])
    return (entry_id, alert) if alert.alert_id == alert_id else None


async def decorate(
    actions: AlertActions, entries: list[tuple[str, Alert]]
) -> list[AlertView]:
    decisions = await actions.statuses([alert.alert_id for _, alert in entries])
    return [view_of(eid, alert, decisions.get(alert.alert_id)) for eid, alert in entries]
