"""Liveness and dependency health."""

from __future__ import annotations

import redis
from fastapi import APIRouter
from pydantic import BaseModel, Field

from gridwatch.api.deps import State

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="ok when every dependency answers, else degraded.")
    redis: bool = Field(description="Whether the dispatch queue's Redis answers.")


@router.get("/health", operation_id="health_get")
async def health(state: State) -> Health:
    try:
        up = bool(await state.redis.ping())
    except (redis.RedisError, OSError):
        up = False
    return Health(status="ok" if up else "degraded", redis=up)
