"""Shared dependencies of the routers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

import redis.asyncio as aioredis
from fastapi import Depends, Request

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.api.alert_actions import AlertActions
from gridwatch.api.camera_registry import CameraRegistry
from gridwatch.api.feed_hub import FeedHub
from gridwatch.api.metrics import ApiMetrics
from gridwatch.api.security.audit import AuditLog
from gridwatch.api.security.login_limits import LoginLimiter
from gridwatch.api.security.tokens import TokenSigner
from gridwatch.api.security.users import UserStore
from gridwatch.api.settings import ApiSettings
from gridwatch.api.snapshots import SnapshotCache
from gridwatch.cases.lifecycle import CaseService
from gridwatch.config.models import GridwatchConfig
from gridwatch.store.store import Store


@dataclass
class AppState:
    """What the lifespan opens: the site config, Redis and store connections, the services on them."""

    site: GridwatchConfig
    redis: aioredis.Redis
    feed_redis: aioredis.Redis
    feed: FeedHub
    settings: ApiSettings
    users: UserStore
    signer: TokenSigner
    audit: AuditLog
    actions: AlertActions
    cameras: CameraRegistry
    evidence: EvidenceStore
    snapshots: SnapshotCache
    metrics: ApiMetrics
    store: Store
    cases: CaseService
    logins: LoginLimiter
    extras: dict[str, Any] = field(default_factory=dict)


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.gridwatch
    return state


State = Annotated[AppState, Depends(get_state)]
