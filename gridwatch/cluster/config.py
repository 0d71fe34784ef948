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
    episode_grace_ms: int = Field(
        30_000, ge=0, le=3_600_000,
        description="How long an ongoing incident episode is remembered after its worker last saw "
        "it, beyond the rule's min_seconds and two sampling intervals: a worker that takes the "
        "camera over and sees the incident persist within this continues the episode (same "
        "alert id, no second alert). At least twice lease_ms is used (the handover takes a lease "
        "period plus the new reader's connect time).",
    )

    @property
    def episode_grace_s(self) -> float:
        return max(self.episode_grace_ms, 2 * self.lease_ms) / 1000.0

    @property
    def tick_s(self) -> float:
        return (self.tick_ms or self.lease_ms // 3) / 1000.0
