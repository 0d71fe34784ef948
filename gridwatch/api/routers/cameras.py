"""Cameras: list (by street, by health), detail, current snapshot. No URL or credential is shown."""

from __future__ import annotations

from typing import Annotated

import redis
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gridwatch.api.camera_health import CameraHealth, latest_health
from gridwatch.api.camera_registry import UnknownCamera
from gridwatch.api.deps import AppState, State
from gridwatch.api.security.auth import Viewer
from gridwatch.api.snapshots import SnapshotUnavailable
from gridwatch.config.models import ID_PATTERN, CameraConfig

router = APIRouter(prefix="/cameras", tags=["cameras"])
CameraId = Annotated[str, Path(pattern=ID_PATTERN, description="Camera id.")]


class CameraView(BaseModel):
    id: str = Field(description="Camera id.")
    name: str = Field(description="Human-readable name.")
    street: str = Field(description="Sub-district (街道).")
    grid: str = Field(description="Grid cell id.")
    enabled: bool = Field(description="Whether workers read it.")
    zones: int = Field(description="Number of zones.")
    zones_editable: bool = Field(description="Whether its zones can be edited here.")
    health: CameraHealth = Field(description="Newest reported health.")


def camera_or_404(state: AppState, camera_id: str) -> CameraConfig:
    try:
        return state.cameras.get(camera_id)
    except UnknownCamera:
        raise HTTPException(404, f"no camera {camera_id!r}") from None


def _view(state: AppState, camera: CameraConfig, health: CameraHealth | None) -> CameraView:
    return CameraView(
        id=camera.id, name=camera.name, street=camera.street, grid=camera.grid,
        enabled=camera.enabled, zones=len(camera.zones),
        zones_editable=state.cameras.source_of(camera.id) is not None,
        health=health or CameraHealth(),
    )


async def _health(state: AppState) -> dict[str, CameraHealth]:
    try:
        return await latest_health(state.redis, state.settings.camera_event_stream)
    except (redis.RedisError, OSError):
        return {}


@router.get("", operation_id="cameras_list")
async def cameras_list(
    state: State,
    _: Viewer,
    street: Annotated[str | None, Query(max_length=64, description="Only this sub-district.")] = None,
    health: Annotated[str | None, Query(max_length=32, description="Only this health state.")] = None,
) -> list[CameraView]:
    """Every configured camera with its newest health report."""
    known = await _health(state)
    views = [_view(state, cam, known.get(cam.id)) for cam in state.cameras.all()]
    return [v for v in views if (street is None or v.street == street)
            and (health is None or v.health.state == health)]


@router.get("/{camera_id}", operation_id="cameras_get")
async def cameras_get(state: State, _: Viewer, camera_id: CameraId) -> CameraView:
    camera = camera_or_404(state, camera_id)
    return _view(state, camera, (await _health(state)).get(camera_id))


@router.get(
    "/{camera_id}/snapshot", operation_id="cameras_snapshot", response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, 503: {"description": "Camera unreachable."}},
)
async def cameras_snapshot(state: State, _: Viewer, camera_id: CameraId) -> Response:
    """The camera's current picture (JPEG), grabbed from its stream and cached for a few seconds."""
    camera = camera_or_404(state, camera_id)
    try:
        data = await state.snapshots.jpeg(camera)
    except SnapshotUnavailable as exc:
        raise HTTPException(503, f"camera {camera_id}: {exc}") from None
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "no-store"})
