"""The case record on the wire: one entry of ``gridwatch:cases`` and the forwarder's JSON body.

A dispatched case (派遣) keeps the alert's routing fields (street, grid, department,
category_code) as top-level stream fields, so each department's consumer group can filter on
them without parsing the rest. Times are ISO-8601 UTC; ``bbox`` is JSON in the stream.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gridwatch.alerts.record import stream_fields
from gridwatch.config.incidents import WarningLevel
from gridwatch.queue.entry import text

BBox = tuple[float, float, float, float]


class CaseRecord(BaseModel):
    """One case an operator (or a trusted rule) dispatched to a department."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: str = Field(min_length=1, description="Case id; the idempotency key of the stream.")
    alert_id: str = Field(min_length=1, description="The alert the case was opened from.")
    incident: str = Field(description="Incident id (DESIGN.md §2).")
    category_code: str = Field(description="Category code in the city's scheme.")
    level: WarningLevel = Field(description="Warning level at dispatch: blue, yellow, orange, red.")
    street: str = Field("", description="Responsible sub-district (街道).")
    grid: str = Field("", description="Grid cell id.")
    department: str = Field("", description="Department the case is dispatched to.")
    shop: str | None = Field(None, description="Responsible street-front shop, if any.")
    camera_id: str = Field(description="Camera that saw the incident.")
    zone: str = Field(description="Zone of that camera.")
    bbox: BBox = Field(description="Normalised x1, y1, x2, y2 of the incident.")
    evidence: str = Field("", description="Snapshot reference, relative to the evidence store.")
    due_at: datetime = Field(description="Deadline for handling (UTC), from the category's rule.")
    dispatched_at: datetime = Field(description="When the case was dispatched (UTC).")

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)

    def to_stream_fields(self) -> dict[str, str]:
        """Flat string fields for XADD; ``bbox`` is JSON."""
        return stream_fields(self)

    @classmethod
    def from_stream_fields(cls, fields: Mapping[str, str]) -> CaseRecord:
        """Inverse of ``to_stream_fields``; a clear ``ValueError`` for a malformed entry."""
        if not fields:
            raise ValueError("empty stream entry")
        data: dict[str, Any] = dict(fields)
        if "bbox" in data:
            try:
                data["bbox"] = json.loads(data["bbox"])
            except json.JSONDecodeError as exc:
                raise ValueError(f"field bbox is not JSON: {exc}") from None
        return cls.model_validate(data)

    @classmethod
    def from_stream_entry(cls, fields: Mapping[Any, Any]) -> CaseRecord:
        """A case from a raw XRANGE/XREAD entry (bytes or str keys and values)."""
        return cls.from_stream_fields({text(k): text(v) for k, v in fields.items()})
