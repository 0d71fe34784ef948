"""Alerts in the case dispatch stream."""

from __future__ import annotations

from typing import Annotated

import redis
from fastapi import APIRouter, HTTPException, Query

from gridwatch.alerts.record import Alert
from gridwatch.api.deps import State

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("", operation_id="list_alerts")
async def list_alerts(
    state: State, limit: Annotated[int, Query(ge=1, le=500, description="Newest first.")] = 50
) -> list[Alert]:
    """The newest alerts of the dispatch stream."""
    try:
        entries = await state.redis.xrevrange(state.site.redis.dispatch_stream, count=limit)
    except (redis.RedisError, OSError) as exc:
        raise HTTPException(503, f"dispatch queue unavailable: {type(exc).__name__}") from None
    return [Alert.from_stream_entry(fields) for _, fields in entries or []]
