"""What a reader reports about its camera: state, last frame, reconnects, last error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ReaderState(StrEnum):
    CONNECTING = "connecting"  # opening the stream (first time or after a failure)
    ONLINE = "online"  # frames are arriving
    IDLE = "idle"  # a snapshot camera between samples (disconnected on purpose)
    OFFLINE = "offline"  # the last attempt failed; waiting to retry
    ENDED = "ended"  # a local file reached its end (and ``loop`` is off)
    STOPPED = "stopped"  # stop() was called


@dataclass(frozen=True, slots=True)
class ReaderHealth:
    """A snapshot; ``url`` and ``last_error`` never contain a password."""

    camera_id: str
    url: str
    state: ReaderState
    last_frame_at: datetime | None
    last_frame_pts_s: float | None
    frames_decoded: int
    frames_sampled: int
    frames_overwritten: int
    reconnects: int
    consecutive_failures: int
    last_error: str | None
    online_since: datetime | None
    retry_in_s: float | None
    snapshots: int = 0

    def __str__(self) -> str:
        error = f", last error: {self.last_error}" if self.last_error else ""
        return (
            f"{self.camera_id} [{self.state}] {self.url}: {self.frames_sampled} frames, "
            f"{self.reconnects} reconnects{error}"
        )
