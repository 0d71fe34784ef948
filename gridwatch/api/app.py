"""The FastAPI application factory; the lifespan owns the connections."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import redis.asyncio as aioredis
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.api.camera_registry import CameraRegistry
from gridwatch.api.deps import AppState
from gridwatch.api.feed_hub import FeedHub
from gridwatch.api.headers import SecurityHeaders
from gridwatch.api.metrics import ApiMetrics, MetricsMiddleware
from gridwatch.api.routers import (
    alert_actions,
    alerts,
    auth,
    cameras,
    cases,
    escalations,
    feed,
    health,
    ops,
    statistics,
    webrtc,
    zones,
)
from gridwatch.api.security.audit import AuditLog
from gridwatch.api.security.limits import BodySizeLimit
from gridwatch.api.security.login_limits import LoginLimiter
from gridwatch.api.security.tokens import TokenSigner
from gridwatch.api.security.users import UserStore
from gridwatch.api.settings import ApiSettings
from gridwatch.api.snapshots import SnapshotCache
from gridwatch.api.store_setup import StoreHandles, open_handles
from gridwatch.config.loader import load_config
from gridwatch.config.models import GridwatchConfig

CONSOLE_DIR = Path(__file__).resolve().parent / "console"
ROUTERS = (health, auth, alerts, alert_actions, cases, escalations, statistics, cameras, zones,
           feed, ops, webrtc)


def users_path(settings: ApiSettings, site: GridwatchConfig) -> Path:
    return settings.users_file or site.store.data_dir / "users.json"


def feed_kinds(settings: ApiSettings, site: GridwatchConfig) -> dict[str, str]:
    """Stream key → event kind, in the order of the feed cursor."""
    return {
        site.redis.dispatch_stream: "alert",
        settings.escalation_stream: "escalation",
        settings.camera_event_stream: "camera",
        settings.audit_stream: "audit",
    }


def _state(settings: ApiSettings, site: GridwatchConfig, metrics: ApiMetrics,
           handles: StoreHandles) -> AppState:
    url = site.redis.url.get_secret_value()
    # Requests wait (up to 5 s) for a free connection rather than failing when all are busy.
    client = aioredis.Redis.from_pool(aioredis.BlockingConnectionPool.from_url(
        url, max_connections=settings.redis_max_connections, timeout=5, socket_timeout=2,
        socket_connect_timeout=2))
    feed_client = aioredis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    return AppState(
        site=site, redis=client, feed_redis=feed_client, settings=settings,
        feed=FeedHub(feed_client, feed_kinds(settings, site), settings.feed_queue_size),
        users=UserStore(users_path(settings, site)),
        signer=TokenSigner(secret, settings.token_ttl_s),
        audit=AuditLog(client, settings.audit_stream),
        actions=handles.actions,
        cameras=CameraRegistry(site, settings.config),
        evidence=EvidenceStore(site.store.evidence_path),
        snapshots=SnapshotCache(settings.snapshot_cache_s),
        metrics=metrics,
        store=handles.store,
        cases=handles.service,
        logins=LoginLimiter(settings.login_user_failures, settings.login_ip_failures,
                            settings.login_window_s),
    )


def create_app(settings: ApiSettings | None = None, site: GridwatchConfig | None = None) -> FastAPI:
    """Build the API for ``site`` (default: the config named by the settings)."""
    settings = settings or ApiSettings()
    if site is None:
        site = load_config(settings.config) if settings.config else GridwatchConfig()
    metrics = ApiMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        handles = open_handles(settings, site)
        state = _state(settings, site, metrics, handles)
        app.state.gridwatch = state
        state.feed.start()
        try:
            yield
        finally:
            await state.feed.close()
            await webrtc.close_all(state)
            await state.feed_redis.aclose()
            await state.redis.aclose()
            handles.close()

    app = FastAPI(title="gridwatch", version="0.1.0", lifespan=lifespan)
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/console", StaticFiles(directory=CONSOLE_DIR, html=True), name="console")

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/console/")

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "Last-Event-ID"],
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app
