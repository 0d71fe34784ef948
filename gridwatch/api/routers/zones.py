"""A camera's zones: read (viewer), create/replace/delete (admin), validated as the config is."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from gridwatch.api.camera_registry import ZonesNotEditable
from gridwatch.api.deps import AppState, State
from gridwatch.api.routers.cameras import CameraId, camera_or_404
from gridwatch.api.security.auth import Admin, Principal, Viewer
from gridwatch.config.models import ID_PATTERN, ZoneConfig

router = APIRouter(prefix="/cameras/{camera_id}/zones", tags=["zones"])
ZoneName = Annotated[str, Path(pattern=ID_PATTERN, description="Zone name.")]
NOT_EDITABLE: dict[int | str, dict[str, Any]] = {
    409: {"description": "The camera has no file of its own to write zones to."}
}


async def _save(
    state: AppState, who: Principal, camera_id: str, zones: list[ZoneConfig], action: str,
    target: str,
) -> list[ZoneConfig]:
    before = [z.name for z in camera_or_404(state, camera_id).zones]
    try:
        camera = state.cameras.replace_zones(camera_id, zones)
    except ZonesNotEditable as exc:
        raise HTTPException(409, str(exc)) from None
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
    await state.audit.record(
        who.user, who.role.value, action, target,
        {"before": before, "after": [z.name for z in camera.zones]},
    )
    return camera.zones


@router.get("", operation_id="zones_list")
async def zones_list(state: State, _: Viewer, camera_id: CameraId) -> list[ZoneConfig]:
    return camera_or_404(state, camera_id).zones


@router.put("", operation_id="zones_replace_all", responses=NOT_EDITABLE)
async def zones_replace_all(
    state: State, who: Admin, camera_id: CameraId,
    zones: Annotated[list[ZoneConfig], Body(max_length=64, description="The camera's zones.")],
) -> list[ZoneConfig]:
    """Replace every zone of the camera (the zone editor's save)."""
    return await _save(state, who, camera_id, zones, "zones.replace", f"camera:{camera_id}")


@router.put("/{name}", operation_id="zones_put", responses=NOT_EDITABLE)
async def zones_put(
    state: State, who: Admin, camera_id: CameraId, name: ZoneName, zone: ZoneConfig
) -> ZoneConfig:
    """Create or replace one zone (its name must match the path)."""
    if zone.name != name:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("body", "name"), "input": zone.name,
              "msg": f"the zone's name must be {name!r}, as in the path"}]
        )
    current = camera_or_404(state, camera_id).zones
    zones = [zone if z.name == name else z for z in current]
    if all(z.name != name for z in current):
        zones.append(zone)
    await _save(state, who, camera_id, zones, "zone.put", f"camera:{camera_id}/zone:{name}")
    return zone


@router.delete("/{name}", operation_id="zones_delete", status_code=204, responses=NOT_EDITABLE)
async def zones_delete(state: State, who: Admin, camera_id: CameraId, name: ZoneName) -> None:
    current = camera_or_404(state, camera_id).zones
    if all(z.name != name for z in current):
        raise HTTPException(404, f"camera {camera_id!r} has no zone {name!r}")
    zones = [z for z in current if z.name != name]
    await _save(state, who, camera_id, zones, "zone.delete", f"camera:{camera_id}/zone:{name}")
