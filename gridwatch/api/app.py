"""The FastAPI application factory; the lifespan owns the connections."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from fastapi import FastAPI

from gridwatch.api.deps import AppState
from gridwatch.api.routers import alerts, health
from gridwatch.api.settings import ApiSettings
from gridwatch.config.loader import load_config
from gridwatch.config.models import GridwatchConfig


def create_app(settings: ApiSettings | None = None, site: GridwatchConfig | None = None) -> FastAPI:
    """Build the API for ``site`` (default: the config named by the settings)."""
    settings = settings or ApiSettings()
    if site is None:
        site = load_config(settings.config) if settings.config else GridwatchConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = aioredis.Redis.from_url(
            site.redis.url.get_secret_value(), socket_timeout=2, socket_connect_timeout=2
        )
        app.state.gridwatch = AppState(site=site, redis=client)
        try:
            yield
        finally:
            await client.aclose()

    app = FastAPI(title="gridwatch", version="0.1.0", lifespan=lifespan)
    app.include_router(health.router)
    app.include_router(alerts.router)
    return app
