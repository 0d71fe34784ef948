"""Cluster settings (the `cluster` section of the site config)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ClusterConfig(BaseModel):
    """How workers share cameras through Redis."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    prefix: str = Field("gridwatch:cluster", min_length=1, description="Redis key prefix.")
    lease_ms: int = Field(
        6000, ge=200, le=600_000,
        description="Camera lease (and member heartbeat TTL); a dead worker's cameras move after it.",
    )
    tick_ms: int | None = Field(
        None, ge=20, description="Renew/rebalance period; default a third of `lease_ms`."
    )

    @property
    def tick_s(self) -> float:
        return (self.tick_ms or self.lease_ms // 3) / 1000.0
