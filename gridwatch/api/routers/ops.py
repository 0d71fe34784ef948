"""Operational endpoints: Prometheus metrics, the audit log, the incident table."""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from gridwatch.api.deps import State
from gridwatch.api.security.audit import AuditEntry
from gridwatch.api.security.auth import Supervisor, Viewer
from gridwatch.config.incidents import IncidentId

router = APIRouter(tags=["ops"])


class Incident(BaseModel):
    id: str = Field(description="Incident id.")
    name: str = Field(description="English name.")
    name_zh: str = Field(description="Chinese name.")
    code: str = Field(description="Category code.")
    department: str = Field(description="Default department.")
    level: str = Field(description="Initial warning level.")


@router.get(
    "/metrics", operation_id="metrics_get", response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def metrics_get(state: State, _: Viewer) -> Response:
    """Prometheus text format."""
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/audit", operation_id="audit_list")
async def audit_list(
    state: State,
    _: Supervisor,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[str | None, Query(pattern=r"^\d{1,20}-\d{1,20}$")] = None,
) -> list[AuditEntry]:
    """The newest audit entries (supervisor and above)."""
    try:
        return await state.audit.recent(limit, before)
    except ValueError as exc:
        raise HTTPException(422, f"before: {exc}") from None


@router.get("/incidents", operation_id="incidents_list")
async def incidents_list(state: State, _: Viewer) -> list[Incident]:
    """The incident vocabulary with this site's names, codes and departments."""
    out = []
    for incident in get_args(IncidentId):
        cat = state.site.category(incident)
        out.append(Incident(id=incident, name=cat.name, name_zh=cat.name_zh, code=cat.code,
                            department=cat.department, level=cat.level.value))
    return out
