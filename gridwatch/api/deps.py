"""Shared dependencies of the routers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import redis.asyncio as aioredis
from fastapi import Depends, Request

from gridwatch.config.models import GridwatchConfig


@dataclass
class AppState:
    """What the lifespan opens: the site config and a Redis connection."""

    site: GridwatchConfig
    redis: aioredis.Redis


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.gridwatch
    return state


State = Annotated[AppState, Depends(get_state)]
