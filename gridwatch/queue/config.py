"""Configuration of the streams machinery: consumer groups, the cases stream and the forwarder."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ConsumerConfig(_Strict):
    """How a consumer group reads one stream (at-least-once, with a dead-letter stream)."""

    batch: int = Field(100, ge=1, le=10_000, description="Entries read per XREADGROUP/XAUTOCLAIM.")
    block_ms: int = Field(
        1000, ge=1, le=60_000, description="How long one XREADGROUP waits for new entries."
    )
    min_idle_ms: int = Field(
        60_000,
        ge=1,
        description="A pending entry idle this long (its consumer died or gave it back) is "
        "claimed by another consumer (XAUTOCLAIM).",
    )
    reclaim_every_s: float = Field(
        5.0, gt=0, le=3600, description="How often a consumer looks for entries to claim."
    )
    max_deliveries: int = Field(
        5,
        ge=1,
        le=1000,
        description="An entry whose handler failed this many times, or that was delivered more "
        "often than this, goes to the dead-letter stream `<stream>:dead`.",
    )
    dead_maxlen: int = Field(
        100_000, ge=100, description="Approximate cap on the dead-letter stream's length."
    )
    reconnect_base_s: float = Field(
        0.2, gt=0, le=60, description="First delay before reconnecting to Redis (then doubling)."
    )
    reconnect_cap_s: float = Field(
        10.0, gt=0, le=600, description="Longest delay between reconnection attempts."
    )

    @model_validator(mode="after")
    def _backoff_order(self) -> ConsumerConfig:
        if self.reconnect_cap_s < self.reconnect_base_s:
            raise ValueError("reconnect_cap_s must be >= reconnect_base_s")
        return self


class ForwardConfig(_Strict):
    """The reference webhook forwarder (`gridwatch forward`)."""

    group: str = Field(
        "city-platform", min_length=1, description="Consumer group of the cases stream it uses."
    )
    departments: list[str] = Field(
        default_factory=list,
        description="Forward only cases for these departments (empty: all); other cases are "
        "acknowledged for this group and skipped.",
    )
    timeout_s: float = Field(10.0, gt=0, le=300, description="Timeout of one HTTP request.")
    attempts: int = Field(
        5, ge=1, le=100, description="HTTP attempts per case before it is left for later."
    )
    backoff_base_s: float = Field(
        0.5, gt=0, le=60, description="Upper bound of the first retry delay (full jitter)."
    )
    backoff_cap_s: float = Field(30.0, gt=0, le=3600, description="Upper bound of any retry delay.")
    max_skew_s: int = Field(
        300, ge=1, description="Receivers should reject a signature timestamp older than this."
    )


class QueueConfig(_Strict):
    """Redis Streams beyond the alert stream: dispatched cases, consumers, forwarding."""

    cases_stream: str = Field(
        "gridwatch:cases", min_length=1, description="Stream of operator-dispatched cases."
    )
    cases_maxlen: int = Field(
        100_000, ge=100, description="Approximate cap on the cases stream's length."
    )
    cases_dedup_ttl_s: int = Field(
        30 * 86400, ge=60, description="How long a case id is remembered for idempotency."
    )
    consumer: ConsumerConfig = Field(
        default_factory=ConsumerConfig, description="Consumer-group settings."
    )
    forward: ForwardConfig = Field(
        default_factory=ForwardConfig, description="The webhook forwarder."
    )
