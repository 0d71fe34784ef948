"""Verification requests and verdicts in Redis, between the case service and the workers.

- Requests: a hash (``escalation.verification.requests_key``), request id → JSON. The case
  service posts one per handling of a case (``HSETNX``: posting again changes nothing) and
  deletes it once the verdict is applied. Workers poll it for their cameras, so a restarted
  worker picks its open requests up again.
- Verdicts: a stream (``escalation.verification.verdict_stream``), added once per request id
  (the idempotent Lua ``XADD``); the case service reads it with a consumer group.
"""

from __future__ import annotations

import logging
from datetime import datetime

import redis
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gridwatch.alerts.record import BBox
from gridwatch.config.models import GridwatchConfig
from gridwatch.queue.entry import text
from gridwatch.queue.idempotent import IdempotentStream
from gridwatch.verification.tracker import VerificationRequest, VerificationResult

log = logging.getLogger(__name__)


class PostedRequest(BaseModel):
    """One open verification request: re-check the place of a handled case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request_id: str = Field(min_length=1, description="Case id and handling time: one per handling.")
    case_id: str = Field(min_length=1, description="The handled case.")
    alert_id: str = Field(min_length=1, description="Its alert.")
    camera_id: str = Field(min_length=1, description="Camera that re-checks the place.")
    zone: str = Field(description="Zone of that camera.")
    incident: str = Field(description="Incident id.")
    bbox: BBox = Field(description="Normalised x1, y1, x2, y2 of the incident.")
    handled_at: datetime = Field(description="When the case was reported handled (UTC).")
    absent_s: float | None = Field(None, description="Verified after this long absent.")
    present_s: float | None = Field(None, description="Reopened after this long still present.")

    def tracker_request(self) -> VerificationRequest:
        return VerificationRequest(self.request_id, self.camera_id, self.zone, self.incident,
                                   self.bbox, self.absent_s, self.present_s)


def request_id_for(case_id: str, handled_at: datetime) -> str:
    """One id per handling of a case (a case handled again after reopening gets a new one)."""
    return f"{case_id}@{handled_at.timestamp():.3f}"


def verdict_fields(result: VerificationResult) -> dict[str, str]:
    return {"request_id": result.request_id, "outcome": result.outcome,
            "at": result.at.isoformat(), "detail": result.detail}


def verdict_from_fields(fields: dict[str, str]) -> VerificationResult:
    """Inverse of ``verdict_fields``; a clear ValueError for a malformed entry."""
    missing = [k for k in ("request_id", "outcome", "at", "detail") if k not in fields]
    if missing:
        raise ValueError(f"verdict entry lacks field(s) {', '.join(missing)}")
    outcome = fields["outcome"]
    if outcome not in ("verified", "reopened"):
        raise ValueError(f"verdict outcome {outcome!r} is not verified or reopened")
    at = datetime.fromisoformat(fields["at"])
    if at.tzinfo is None:
        raise ValueError(f"verdict time {fields['at']!r} has no UTC offset")
    return VerificationResult(fields["request_id"], outcome, at, fields["detail"])  # type: ignore[arg-type]


class VerificationBoard:
    """The requests hash and the verdict stream of one site."""

    def __init__(self, client: redis.Redis, requests_key: str, verdict_stream: str,
                 maxlen: int = 100_000, dedup_ttl_s: int = 7 * 86400) -> None:
        self.client = client
        self.requests_key = requests_key
        self.verdict_stream = verdict_stream
        self._verdicts = IdempotentStream(client, verdict_stream, maxlen, dedup_ttl_s)

    @classmethod
    def from_config(cls, client: redis.Redis, site: GridwatchConfig) -> VerificationBoard:
        cfg = site.escalation.verification
        return cls(client, cfg.requests_key, cfg.verdict_stream, site.redis.stream_maxlen,
                   site.redis.dedup_ttl_s)

    def post(self, request: PostedRequest) -> bool:
        """True when the request is new (False: it was already open)."""
        return bool(self.client.hsetnx(self.requests_key, request.request_id,
                                       request.model_dump_json()))

    def get(self, request_id: str) -> PostedRequest | None:
        raw = self.client.hget(self.requests_key, request_id)
        return None if raw is None else PostedRequest.model_validate_json(text(raw))

    def open_requests(self) -> list[PostedRequest]:
        """Every open request; an unreadable one is logged and skipped (never raised)."""
        raw: dict[object, object] = self.client.hgetall(self.requests_key)  # type: ignore[assignment]
        out = []
        for key, value in raw.items():
            try:
                out.append(PostedRequest.model_validate_json(text(value)))
            except (ValidationError, UnicodeDecodeError) as exc:
                log.error("%s: request %s is unreadable, skipped: %s", self.requests_key,
                          text(key), exc)
        return out

    def remove(self, request_id: str) -> None:
        self.client.hdel(self.requests_key, request_id)

    def publish_verdict(self, result: VerificationResult) -> str | None:
        """The verdict's entry id, or None when this request already has a verdict."""
        return self._verdicts.add(result.request_id, verdict_fields(result))
