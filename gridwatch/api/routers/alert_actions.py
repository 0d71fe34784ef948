"""Operator decisions on alerts: confirm, reject, merge, dispatch (operator role and above).

Decisions go through the SQL case lifecycle (who, when and why of every move). Each body may
carry ``expected_status``, the status the operator saw; if the alert has moved on since, or
someone else decided first, the answer is 409 and nothing changes. A reject suppresses the same
object at the same place and keeps a labelled negative sample. Every decision is also written to
the audit log.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import redis
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from gridwatch.alerts.record import Alert
from gridwatch.api.alert_actions import Action, AlertStatus, StatusConflict
from gridwatch.api.alert_views import AlertView, view_of
from gridwatch.api.deps import AppState, State
from gridwatch.api.routers.alerts import AlertId, load_view, service_unavailable
from gridwatch.api.security.auth import Operator, Principal
from gridwatch.api.store_calls import store_unavailable
from gridwatch.store.errors import NotFound, StoreUnavailable

log = logging.getLogger(__name__)
router = APIRouter(prefix="/alerts", tags=["alert actions"])
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Someone else decided first, or the status does not allow it."},
    503: {"description": "The case store or the dispatch queue is unavailable."},
}


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_status: str | None = Field(
        None, max_length=32, description="The status the operator saw; 409 if it changed since."
    )
    note: str = Field(
        "", max_length=2000, description="Free-text note: the reason of the move, also audited."
    )


class Rejection(Decision):
    reason: Annotated[str, Field(min_length=1, max_length=500, description="Why it is rejected.")]


class Merge(Decision):
    into: str = Field(
        pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Alert id this one duplicates."
    )


class Dispatch(Decision):
    department: str | None = Field(
        None, max_length=100, description="Department to send it to; default: the alert's own."
    )


async def _decide(
    state: AppState, who: Principal, alert_id: str, action: Action, body: Decision,
    change: AlertStatus,
) -> AlertView:
    view = await load_view(state, alert_id)
    alert = Alert(**view.model_dump(exclude={"entry_id", "evidence_url", "decision"}))
    try:
        previous, record = await state.actions.apply(alert, action, change, body.expected_status)
    except StatusConflict as exc:
        state.metrics.actions.labels(action.value, "conflict").inc()
        raise HTTPException(409, str(exc)) from None
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    except StoreUnavailable as exc:
        raise store_unavailable(exc) from None
    except (redis.RedisError, OSError) as exc:
        raise service_unavailable(exc) from None
    state.metrics.actions.labels(action.value, "ok").inc()
    detail = {"from": previous, "to": record.status, **record.model_dump(
        mode="json", exclude={"status", "by", "at"}, exclude_none=True), "note": body.note}
    try:
        await state.audit.record(who.user, who.role.value, f"alert.{action.value}",
                                 f"alert:{alert_id}", detail)
    except (redis.RedisError, OSError) as exc:  # the decision is in the store already
        log.warning("audit log unavailable; %s of %s by %s not audited: %s", action.value,
                    alert_id, who.user, type(exc).__name__)
    return view_of(view.entry_id, alert, record)



@router.post("/{alert_id}/confirm", operation_id="alerts_confirm", responses=CONFLICT)
async def alerts_confirm(state: State, who: Operator, alert_id: AlertId, body: Decision) -> AlertView:
    """Verify the alert as a real incident (new → confirmed)."""
    change = AlertStatus(status="confirmed", by=who.user, reason=body.note)
    return await _decide(state, who, alert_id, Action.CONFIRM, body, change)


@router.post("/{alert_id}/reject", operation_id="alerts_reject", responses=CONFLICT)
async def alerts_reject(state: State, who: Operator, alert_id: AlertId, body: Rejection) -> AlertView:
    """A false alarm (new/confirmed → rejected), with the reason."""
    change = AlertStatus(status="rejected", by=who.user, reason=body.reason)
    return await _decide(state, who, alert_id, Action.REJECT, body, change)


@router.post("/{alert_id}/merge", operation_id="alerts_merge", responses=CONFLICT)
async def alerts_merge(state: State, who: Operator, alert_id: AlertId, body: Merge) -> AlertView:
    """A duplicate of another alert (new/confirmed → merged)."""
    if body.into == alert_id:
        raise HTTPException(422, "an alert cannot be merged into itself")
    target = await load_view(state, body.into)
    try:
        await state.actions.track(Alert(**target.model_dump(
            exclude={"entry_id", "evidence_url", "decision"})))
    except StoreUnavailable as exc:
        raise store_unavailable(exc) from None
    change = AlertStatus(status="merged", by=who.user, merged_into=body.into, reason=body.note)
    return await _decide(state, who, alert_id, Action.MERGE, body, change)


@router.post("/{alert_id}/dispatch", operation_id="alerts_dispatch", responses=CONFLICT)
async def alerts_dispatch(state: State, who: Operator, alert_id: AlertId, body: Dispatch) -> AlertView:
    """Send the case to the responsible department (new/confirmed → dispatched)."""
    view = await load_view(state, alert_id)
    change = AlertStatus(status="dispatched", by=who.user, reason=body.note,
                         department=body.department or view.department or None)
    return await _decide(state, who, alert_id, Action.DISPATCH, body, change)
