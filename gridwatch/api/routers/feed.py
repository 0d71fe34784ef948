"""The live feed (Server-Sent Events); see gridwatch.api.feed for the cursor."""

from __future__ import annotations

from typing import Annotated

import redis
from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from gridwatch.api.deps import State
from gridwatch.api.feed import BadCursor, current_cursor, feed_events, parse_cursor
from gridwatch.api.security.auth import Viewer

router = APIRouter(tags=["feed"])


@router.get(
    "/feed", operation_id="feed_stream", response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def feed_stream(
    request: Request,
    state: State,
    _: Viewer,
    last_event_id: Annotated[str | None, Header(max_length=200)] = None,
    since: Annotated[
        str | None, Query(max_length=200, description="A cursor to resume from (an event id).")
    ] = None,
) -> StreamingResponse:
    """New alerts, escalations, camera-state changes and audit entries as they happen."""
    keys = tuple(state.feed.kinds)
    resume = last_event_id or since
    try:
        cursor = parse_cursor(resume, keys) if resume else await current_cursor(state.redis, keys)
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from None
    except (redis.RedisError, OSError) as exc:
        raise HTTPException(503, f"live feed unavailable: {type(exc).__name__}") from None
    events = feed_events(
        state.feed, state.redis, cursor, state.settings.feed_heartbeat_s,
        request.is_disconnected, state.metrics,
    )
    return StreamingResponse(
        events, media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
