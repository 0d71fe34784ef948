"""Cases (立案 onwards): filtered, paged list; detail with history; field milestones.

Confirming or dispatching happens on the alert (``/alerts/{id}/...``); here the case moves on:
handled (operator), verified or reopened (supervisor), closed (operator). Each body may carry
``expected_version``, the version the caller saw: if the case moved since, the answer is 409.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import redis
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from gridwatch.api.case_queries import CaseFilter, case_detail, find_case, list_cases
from gridwatch.api.case_views import CaseDetail, CasePage
from gridwatch.api.deps import AppState, State
from gridwatch.api.security.auth import Operator, Principal, Supervisor, Viewer
from gridwatch.api.store_calls import LIST_ERRORS, MOVE_ERRORS, STORE_ERRORS, in_store
from gridwatch.cases.views import OpenItem
from gridwatch.config.incidents import WarningLevel

log = logging.getLogger(__name__)
router = APIRouter(prefix="/cases", tags=["cases"])
CaseId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,72}$",
                             description="Case id (or the id of its alert).")]


class CaseMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500, description="Why (kept with the move).")
    expected_version: int | None = Field(
        None, ge=1, description="The version the caller saw; 409 if the case moved since."
    )


class Reopening(CaseMove):
    reason: str = Field(min_length=1, max_length=500, description="What is still wrong.")


@router.get("", operation_id="cases_list", responses=LIST_ERRORS)
async def cases_list(
    state: State,
    _: Viewer,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
    status: Annotated[str | None, Query(max_length=16, description="Only this status.")] = None,
    street: Annotated[str | None, Query(max_length=128, description="Only this sub-district.")] = None,
    department: Annotated[str | None, Query(max_length=128, description="Only this department.")] = None,
    incident: Annotated[str | None, Query(max_length=32, description="Only this incident id.")] = None,
    level: Annotated[WarningLevel | None, Query(description="Only this warning level.")] = None,
    camera_id: Annotated[str | None, Query(max_length=64, description="Only this camera.")] = None,
    overdue: Annotated[bool | None, Query(description="Only overdue (true) or not (false).")] = None,
    opened_from: Annotated[datetime | None, Query(description="Opened at or after.")] = None,
    opened_to: Annotated[datetime | None, Query(description="Opened before.")] = None,
) -> CasePage:
    """Cases, newest opened first, filtered; ``total`` counts every match."""
    for name, value in (("opened_from", opened_from), ("opened_to", opened_to)):
        if value is not None and value.tzinfo is None:
            raise HTTPException(422, f"{name}: give a UTC offset (e.g. 2026-12-01T00:00:00Z)")
    wanted = CaseFilter(status=status, street=street, department=department, incident=incident,
                        level=level, camera_id=camera_id, overdue=overdue,
                        opened_from=opened_from, opened_to=opened_to)
    return await in_store(list_cases, state.store, wanted, limit, offset)


@router.get("/{case_id}", operation_id="cases_get", responses=STORE_ERRORS)
async def cases_get(state: State, _: Viewer, case_id: CaseId) -> CaseDetail:
    """One case with every move (who, when, why) and every escalation."""
    return await in_store(case_detail, state.store, case_id)


@router.get(
    "/{case_id}/evidence", operation_id="cases_evidence", response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}}}, **STORE_ERRORS},
)
async def cases_evidence(state: State, _: Viewer, case_id: CaseId) -> FileResponse:
    """The evidence snapshot of the case's alert (JPEG)."""
    alert, _case = await in_store(find_case, state.store, case_id)
    if not alert.evidence:
        raise HTTPException(404, "this case has no evidence snapshot")
    try:
        path = state.evidence.path_of(alert.evidence)
    except ValueError:
        raise HTTPException(404, "the case's evidence reference is not in the store") from None
    if path.suffix.lower() not in {".jpg", ".jpeg"} or not path.is_file():
        raise HTTPException(404, "the evidence snapshot is missing from the store")
    return FileResponse(path, media_type="image/jpeg")


Mover = Callable[..., OpenItem]


async def _move(state: AppState, who: Principal, case_id: str, name: str, mover: Mover,
                body: CaseMove) -> CaseDetail:
    _alert, case = await in_store(find_case, state.store, case_id)
    item: OpenItem = await in_store(mover, case.alert_id, who.user, body.reason or None,
                                    body.expected_version)
    detail = {"to": item.status, "version": item.version, "reason": body.reason}
    try:
        await state.audit.record(who.user, who.role.value, f"case.{name}", f"case:{case.case_id}",
                                 detail)
    except (redis.RedisError, OSError) as exc:  # the move is in the store already
        log.warning("audit log unavailable; case.%s of %s not audited: %s", name, case.case_id,
                    type(exc).__name__)
    return await in_store(case_detail, state.store, case.case_id)


@router.post("/{case_id}/handled", operation_id="cases_mark_handled", responses=MOVE_ERRORS)
async def cases_mark_handled(state: State, who: Operator, case_id: CaseId,
                             body: CaseMove) -> CaseDetail:
    """The field reported it handled (dispatched/reopened → handled)."""
    return await _move(state, who, case_id, "handled", state.cases.mark_handled, body)


@router.post("/{case_id}/verify", operation_id="cases_verify", responses=MOVE_ERRORS)
async def cases_verify(state: State, who: Supervisor, case_id: CaseId,
                       body: CaseMove) -> CaseDetail:
    """A supervisor confirms the fix (handled → verified)."""
    return await _move(state, who, case_id, "verify", state.cases.verify, body)


@router.post("/{case_id}/reopen", operation_id="cases_reopen", responses=MOVE_ERRORS)
async def cases_reopen(state: State, who: Supervisor, case_id: CaseId,
                       body: Reopening) -> CaseDetail:
    """The fix did not hold (handled → reopened); the reason is required."""
    return await _move(state, who, case_id, "reopen", state.cases.reopen, body)


@router.post("/{case_id}/close", operation_id="cases_close", responses=MOVE_ERRORS)
async def cases_close(state: State, who: Operator, case_id: CaseId, body: CaseMove) -> CaseDetail:
    """Close a verified case (verified → closed)."""
    return await _move(state, who, case_id, "close", state.cases.close, body)
