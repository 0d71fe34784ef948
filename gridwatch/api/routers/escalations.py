"""Escalation events (blue → yellow → orange → red) recorded by the escalation engine."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from gridwatch.api.case_queries import EscalationFilter, list_escalations
from gridwatch.api.case_views import EscalationPage
from gridwatch.api.deps import State
from gridwatch.api.security.auth import Viewer
from gridwatch.api.store_calls import LIST_ERRORS, in_store
from gridwatch.config.incidents import WarningLevel

router = APIRouter(prefix="/escalations", tags=["escalations"])
Id = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.-]{1,72}$")]


@router.get("", operation_id="escalations_list", responses=LIST_ERRORS)
async def escalations_list(
    state: State,
    _: Viewer,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
    alert_id: Annotated[Id, Query(description="Only this alert.")] = None,
    case_id: Annotated[Id, Query(description="Only this case.")] = None,
    to_level: Annotated[WarningLevel | None, Query(description="Only those reaching this level.")] = None,
    trigger: Annotated[str | None, Query(max_length=128, description="Only this trigger.")] = None,
    street: Annotated[str | None, Query(max_length=128, description="Only this sub-district.")] = None,
    department: Annotated[str | None, Query(max_length=128, description="Only this department.")] = None,
    since: Annotated[datetime | None, Query(description="At or after (with a UTC offset).")] = None,
    until: Annotated[datetime | None, Query(description="Before (with a UTC offset).")] = None,
) -> EscalationPage:
    """Escalation events, newest first, filtered; ``total`` counts every match."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise HTTPException(422, f"{name}: give a UTC offset (e.g. 2026-12-01T00:00:00Z)")
    wanted = EscalationFilter(alert_id=alert_id, case_id=case_id, to_level=to_level,
                              trigger=trigger, street=street, department=department,
                              since=since, until=until)
    return await in_store(list_escalations, state.store, wanted, limit, offset)
