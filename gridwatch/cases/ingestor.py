"""The store ingestor: one dispatch-stream entry in, one alert recorded.

Contract for the stream consumer (gridwatch.queue):
- ``handle(fields)`` returns a ``RecordOutcome`` once the alert is durably in the store (recorded,
  merged into an open duplicate, or already there from an earlier delivery): ack the entry.
- ``StoreUnavailable`` means nothing was recorded: do NOT ack; leave the entry pending and retry
  (a replay later is harmless, recording is idempotent on ``alert_id``).
- ``BadEntry`` means the entry can never be recorded (not an alert record): dead-letter it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from gridwatch.alerts.record import Alert
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.views import RecordOutcome


class BadEntry(ValueError):
    """A stream entry that is not a valid alert record; retrying cannot help."""


class StoreIngestor:
    """Turns raw stream entries into recorded alerts."""

    def __init__(self, recorder: AlertRecorder) -> None:
        self.recorder = recorder

    def handle(self, fields: Mapping[Any, Any] | None, entry_id: str = "?") -> RecordOutcome:
        try:
            alert = Alert.from_stream_entry(fields)
        except (ValidationError, ValueError) as exc:
            raise BadEntry(f"stream entry {entry_id} is not an alert record: {_short(exc)}") from None
        if alert.raised_at.tzinfo is None or alert.started_at.tzinfo is None:
            raise BadEntry(f"stream entry {entry_id}: alert {alert.alert_id} has times without a "
                           "UTC offset")
        return self.recorder.record(alert)


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
    return str(exc)
