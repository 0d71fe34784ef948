"""One registry camera as a plain value, and its problems with the CSV line they came from."""

from __future__ import annotations

from dataclasses import dataclass

from gridwatch.ingest.url import redact_url


@dataclass(frozen=True)
class CameraRecord:
    """A validated registry row; ``url`` holds the real (secret) URL."""

    id: str
    name: str
    url: str
    street: str
    grid: str
    longitude: float | None
    latitude: float | None
    interval_s: float
    mode: str
    enabled: bool

    @property
    def display_url(self) -> str:
        return redact_url(self.url)

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"CameraRecord(id={self.id!r}, url={self.display_url!r}, street={self.street!r})"


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one CSV line (never containing a password)."""

    line: int
    message: str
    camera_id: str = ""

    def __str__(self) -> str:
        who = f" (camera {self.camera_id})" if self.camera_id else ""
        return f"line {self.line}{who}: {self.message}"
