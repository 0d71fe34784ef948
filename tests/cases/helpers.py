"""Alert records for lifecycle tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from gridwatch.alerts.record import Alert, make_alert_id
from gridwatch.config.incidents import WarningLevel

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
_seq = itertools.count()


def make_alert(**overrides: Any) -> Alert:
    """A plausible alert; each call is a new episode unless ``alert_id``/``started_at`` are given."""
    started = overrides.pop("started_at", T0 + timedelta(minutes=next(_seq)))
    fields: dict[str, Any] = {
        "camera_id": "cam-01", "zone": "road", "incident": "exposed_garbage",
        "category_code": "0102", "level": WarningLevel.BLUE, "confidence": 0.8,
        "started_at": started, "raised_at": started + timedelta(seconds=30),
        "bbox": (0.1, 0.1, 0.3, 0.3), "street": "龙城", "grid": "g-1",
        "department": "环境卫生管理处", "evidence": "",
    }
    fields.update(overrides)
    fields.setdefault(
        "alert_id", make_alert_id(fields["camera_id"], fields["zone"], fields["incident"], started)
    )
    return Alert(**fields)


def elsewhere(n: int) -> dict[str, Any]:
    """Overrides that put an alert at its own place (never a duplicate of another)."""
    return {"zone": f"zone-{n}"}
