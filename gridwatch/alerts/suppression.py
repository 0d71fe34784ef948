"""Operator feedback, part one: a rejected alert suppresses the same incident at the same place.

When an operator rejects an alert as a false positive, a ``Suppression`` for its camera, zone,
incident and box is kept (in Redis, so every worker sees it) until it expires. The alert engine
drops a new episode that matches one (same zone and incident, box IoU at least ``min_iou``), so
the same sign, shadow or parked object does not come back every few minutes.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

import redis

BBox = tuple[float, float, float, float]
KEY_PREFIX = "gridwatch:suppressions"


def iou(a: BBox, b: BBox) -> float:
    """Intersection over union of two normalised x1, y1, x2, y2 boxes."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Suppression:
    """Episodes of ``incident`` in ``zone`` of ``camera_id`` overlapping ``bbox`` are dropped
    until ``until``."""

    camera_id: str
    zone: str
    incident: str
    bbox: BBox
    until: float  # epoch seconds
    alert_id: str  # the rejected alert
    reason: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Suppression:
        data = json.loads(text)
        data["bbox"] = tuple(float(v) for v in data["bbox"])
        return cls(**data)


@dataclass(frozen=True, slots=True)
class SuppressionList:
    """The suppressions of one camera at one moment (an immutable snapshot)."""

    items: tuple[Suppression, ...] = ()
    min_iou: float = 0.3

    def match(self, zone: str, incident: str, bbox: BBox, t: float) -> Suppression | None:
        """The suppression that covers this episode, if any."""
        for item in self.items:
            same_place = (item.zone, item.incident) == (zone, incident)
            if same_place and t < item.until and iou(item.bbox, bbox) >= self.min_iou:
                return item
        return None


class RedisSuppressions:
    """Suppressions kept in one Redis hash per camera (field: the rejected alert id)."""

    def __init__(self, client: redis.Redis, prefix: str = KEY_PREFIX) -> None:
        self.client = client
        self.prefix = prefix

    def key(self, camera_id: str) -> str:
        return f"{self.prefix}:{camera_id}"

    def add(self, item: Suppression) -> None:
        key = self.key(item.camera_id)
        pipe = self.client.pipeline()
        pipe.hset(key, item.alert_id, item.to_json())
        pipe.expireat(key, int(item.until) + 1, gt=True)
        pipe.expireat(key, int(item.until) + 1, nx=True)
        pipe.execute()

    def remove(self, camera_id: str, alert_id: str) -> bool:
        return bool(self.client.hdel(self.key(camera_id), alert_id))

    def for_camera(self, camera_id: str, now: float | None = None) -> SuppressionList:
        """The camera's live suppressions; expired ones are deleted on the way."""
        now = time.time() if now is None else now
        raw: dict[bytes, bytes] = self.client.hgetall(self.key(camera_id))  # type: ignore[assignment]
        items = [Suppression.from_json(value) for value in raw.values()]
        stale = [s.alert_id for s in items if s.until <= now]
        if stale:
            self.client.hdel(self.key(camera_id), *stale)
        return SuppressionList(tuple(s for s in items if s.until > now))
