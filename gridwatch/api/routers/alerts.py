"""Alerts in the case dispatch stream: filtered, cursor-paged list, detail and evidence."""

from __future__ import annotations

from typing import Annotated

import redis
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, ValidationError

from gridwatch.alerts.record import Alert
from gridwatch.api.alert_views import AlertView, decorate, find_alert
from gridwatch.api.deps import AppState, State
from gridwatch.api.security.auth import Viewer
from gridwatch.api.store_calls import store_unavailable
from gridwatch.api.stream_ids import older_than
from gridwatch.config.incidents import WarningLevel
from gridwatch.store.errors import StoreUnavailable

router = APIRouter(prefix="/alerts", tags=["alerts"])
SCAN_BATCH = 500
SCAN_MAX = 5000
AlertId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Alert id.")]
Cursor = Annotated[
    str | None,
    Query(pattern=r"^\d{1,20}-\d{1,20}$", description="Entries older than this (next_cursor)."),
]


class AlertPage(BaseModel):
    items: list[AlertView] = Field(description="Newest first.")
    next_cursor: str | None = Field(
        None, description="Pass as `before` for the next page; null at the end of the stream."
    )


class AlertFilter(BaseModel):
    camera_id: str | None = None
    street: str | None = None
    incident: str | None = None
    level: WarningLevel | None = None
    status: str | None = None

    def active(self) -> bool:
        return any(value is not None for value in self.model_dump().values())

    def matches(self, view: AlertView) -> bool:
        return all(
            want is None or getattr(view, name) == want
            for name, want in self.model_dump(exclude_none=True).items()
        )


def service_unavailable(exc: Exception) -> HTTPException:
    if isinstance(exc, StoreUnavailable):
        return store_unavailable(exc)
    return HTTPException(503, f"dispatch queue unavailable: {type(exc).__name__}")


async def _scan(state: AppState, wanted: AlertFilter, limit: int, before: str | None) -> AlertPage:
    stream = state.site.redis.dispatch_stream
    items: list[AlertView] = []
    bound = older_than(before) if before else "+"
    if bound is None:
        return AlertPage(items=[], next_cursor=None)
    top, scanned = bound, 0
    # Unfiltered, a page is the next ``limit`` entries; filtered, scan in big batches.
    batch = SCAN_BATCH if wanted.active() else limit
    while scanned < SCAN_MAX:
        entries = await state.redis.xrevrange(stream, max=top, count=batch)
        if not entries:
            return AlertPage(items=items, next_cursor=None)
        parsed = []
        for raw_id, fields in entries:
            entry_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
            top, scanned = f"({entry_id}", scanned + 1
            try:
                parsed.append((entry_id, Alert.from_stream_entry(fields)))
            except (ValidationError, ValueError):
                continue
        for view in await decorate(state.actions, parsed):
            if wanted.matches(view):
                items.append(view)
                if len(items) == limit:
                    return AlertPage(items=items, next_cursor=view.entry_id)
        if len(entries) < batch:
            return AlertPage(items=items, next_cursor=None)
    return AlertPage(items=items, next_cursor=top.removeprefix("("))


@router.get("", operation_id="alerts_list")
async def alerts_list(
    state: State,
    _: Viewer,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
    before: Cursor = None,
    camera_id: Annotated[str | None, Query(max_length=64, description="Only this camera.")] = None,
    street: Annotated[str | None, Query(max_length=64, description="Only this sub-district.")] = None,
    incident: Annotated[str | None, Query(max_length=64, description="Only this incident id.")] = None,
    level: Annotated[WarningLevel | None, Query(description="Only this warning level.")] = None,
    status: Annotated[str | None, Query(max_length=32, description="Only this status.")] = None,
) -> AlertPage:
    """Alerts of the dispatch stream, newest first, filtered; scans at most 5000 entries a page."""
    wanted = AlertFilter(camera_id=camera_id, street=street, incident=incident, level=level,
                         status=status)
    try:
        return await _scan(state, wanted, limit, before)
    except ValueError as exc:
        raise HTTPException(422, f"before: {exc}") from None
    except (redis.RedisError, OSError, StoreUnavailable) as exc:
        raise service_unavailable(exc) from None


async def load_view(state: AppState, alert_id: str) -> AlertView:
    try:
        found = await find_alert(state.redis, state.site.redis.dispatch_stream, alert_id)
        if found is None:
            raise HTTPException(404, f"no alert {alert_id!r} in the dispatch stream")
        return (await decorate(state.actions, [found]))[0]
    except (redis.RedisError, OSError, StoreUnavailable) as exc:
        raise service_unavailable(exc) from None


@router.get("/{alert_id}", operation_id="alerts_get")
async def alerts_get(state: State, _: Viewer, alert_id: AlertId) -> AlertView:
    """One alert with its current status and evidence URL."""
    return await load_view(state, alert_id)


@router.get(
    "/{alert_id}/evidence", operation_id="alerts_evidence",
    response_class=FileResponse, responses={200: {"content": {"image/jpeg": {}}}},
)
async def alerts_evidence(state: State, _: Viewer, alert_id: AlertId) -> FileResponse:
    """The alert's evidence snapshot (JPEG, zone and box drawn)."""
    view = await load_view(state, alert_id)
    if not view.evidence:
        raise HTTPException(404, "this alert has no evidence snapshot")
    try:
        path = state.evidence.path_of(view.evidence)
    except ValueError:
        raise HTTPException(404, "the alert's evidence reference is not in the store") from None
    if path.suffix.lower() not in {".jpg", ".jpeg"} or not path.is_file():
        raise HTTPException(404, "the evidence snapshot is missing from the store")
    return FileResponse(path, media_type="image/jpeg")
