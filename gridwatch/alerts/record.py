"""The alert record (DESIGN.md §5): the JSON line, the Redis Stream payload and the API body."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gridwatch.config.incidents import WarningLevel

BBox = tuple[float, float, float, float]
CAMERA_ZONE = ""  # the zone of a camera-level alert (camera_moved): the whole view, no zone


def make_alert_id(camera_id: str, zone: str, incident: str, started_at: datetime) -> str:
    """Stable id of one incident episode: the same episode always gets the same id."""
    key = f"{camera_id}|{zone}|{incident}|{started_at.isoformat(timespec='milliseconds')}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


class Alert(BaseModel):
    """One persisted incident at one place, ready for the case dispatch queue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alert_id: str = Field(description="Stable id of the incident episode; the idempotency key.")
    camera_id: str = Field(description="Camera that saw it.")
    zone: str = Field(
        description="Zone of that camera; empty for a camera-level alert (camera_moved)."
    )
    incident: str = Field(description="Incident id (DESIGN.md §2).")
    category_code: str = Field(description="Category code in the city's scheme.")
    level: WarningLevel = Field(description="Warning level: blue, yellow, orange or red.")
    confidence: float = Field(ge=0, le=1, description="Mean detector confidence over the episode.")
    started_at: datetime = Field(description="When the incident was first seen (UTC).")
    raised_at: datetime = Field(description="When it had persisted long enough to alert (UTC).")
    started_s: float | None = Field(None, description="Video time of started_at (replay only).")
    raised_s: float | None = Field(None, description="Video time of raised_at (replay only).")
    bbox: BBox = Field(description="Normalised x1, y1, x2, y2 of the incident.")
    street: str = Field("", description="Responsible sub-district (街道).")
    grid: str = Field("", description="Grid cell id.")
    department: str = Field("", description="Department that handles it.")
    shop: str | None = Field(None, description="Responsible street-front shop, if the zone names one.")
    evidence: str = Field("", description="Snapshot reference, relative to the evidence store.")
    status: str = Field("new", description="Lifecycle status; new when raised.")

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)

    def to_stream_fields(self) -> dict[str, str]:
        """Flat string fields for XADD; nested values are JSON."""
        return stream_fields(self)

    @classmethod
    def from_stream_fields(cls, fields: dict[str, str]) -> Alert:
        """Inverse of ``to_stream_fields``."""
        data: dict[str, object] = {
            key: json.loads(value) if key in _JSON_FIELDS else value
            for key, value in fields.items()
        }
        return cls.model_validate(data)

    @classmethod
    def from_stream_entry(cls, fields: Mapping[Any, Any] | None) -> Alert:
        """An alert from a raw XRANGE/XREAD entry (bytes or str keys and values)."""
        if not fields:
            raise ValueError("empty stream entry")
        return cls.from_stream_fields({_text(k): _text(v) for k, v in fields.items()})


def stream_fields(model: BaseModel) -> dict[str, str]:
    """A record as flat string fields for XADD: strings as they are, everything else as JSON."""
    out: dict[str, str] = {}
    for key, value in model.model_dump(mode="json", exclude_none=True).items():
        out[key] = value if isinstance(value, str) else json.dumps(value)
    return out


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


_JSON_FIELDS = frozenset({"confidence", "started_s", "raised_s", "bbox"})
