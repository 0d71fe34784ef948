"""Shared builders for escalation tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from gridwatch.config.incidents import WarningLevel
from gridwatch.config.models import GridwatchConfig
from gridwatch.escalation.factory import build_engine
from gridwatch.escalation.model import EscalationEvent, EscalationItem

SH = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def site(**escalation: object) -> GridwatchConfig:
    """Default site plus a synthetic holiday (Tue 2026-12-08) and make-up day (Sat 12-12)."""
    hours = {"holidays": ["2026-12-08"], "workdays": ["2026-12-12"]}
    return GridwatchConfig.model_validate(
        {"escalation": {"working_hours": hours, **escalation}}
    )


ENGINE = build_engine(site())


def item(
    incident: str = "bare_soil",
    raised: str = "2026-12-02 09:00",
    level: WarningLevel | None = None,
    item_id: str = "a1",
    **kw: object,
) -> EscalationItem:
    stamps = {k: local(v) if isinstance(v, str) and k.endswith("_at") else v for k, v in kw.items()}
    return EscalationItem(
        item_id=item_id,
        camera_id=str(stamps.pop("camera_id", "cam-1")),
        zone=str(stamps.pop("zone", "z1")),
        incident=incident,
        status=str(stamps.pop("status", "new")),
        level=level or site().category(incident).level,
        raised_at=local(raised),
        **stamps,  # type: ignore[arg-type]
    )


def record(snapshot: EscalationItem, events: Iterable[EscalationEvent]) -> EscalationItem:
    """What the store does with the events of one item."""
    for event in events:
        snapshot = snapshot.applied(event)
    return snapshot


def timeline(events: Iterable[EscalationEvent]) -> list[tuple[str, str, str]]:
    """(local time, trigger, to level) of each event, for readable assertions."""
    return [
        (e.at.astimezone(SH).strftime("%a %m-%d %H:%M"), e.trigger.value, e.to_level.value)
        for e in events
    ]
