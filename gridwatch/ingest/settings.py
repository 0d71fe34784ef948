"""How one camera's stream is read."""

from __future__ import annotations

from dataclasses import dataclass

from gridwatch.ingest.url import redact_url, validate_stream_url


@dataclass(frozen=True, slots=True, repr=False)
class ReaderSettings:
    """One camera's reader.

    ``sample_interval_s``: at most one frame is converted and handed out per this much stream
    time (0: every decoded frame). ``keyframes_only`` decodes only keyframes (about 8x cheaper;
    the effective interval is then at least the GOP). ``snapshot``: take one keyframe per
    connection, disconnect, and connect again ``sample_interval_s`` later (implies keyframe-only
    decoding; see ``gridwatch.ingest.modes``). ``stable_after_s``: a connection that
    delivered frames for this long resets the backoff. ``realtime`` and ``loop`` apply to local
    files only: pace frames at the video's rate, and start again at the end instead of ending.
    """

    url: str
    camera_id: str
    sample_interval_s: float = 1.0
    open_timeout_s: float = 5.0
    read_timeout_s: float = 5.0
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    stable_after_s: float = 10.0
    keyframes_only: bool = False
    snapshot: bool = False
    rtsp_transport: str = "tcp"
    probesize: int = 32768
    realtime: bool = False
    loop: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", validate_stream_url(self.url))
        if not self.camera_id:
            raise ValueError("camera_id must not be empty")
        if self.sample_interval_s < 0:
            raise ValueError(f"sample_interval_s must be >= 0, got {self.sample_interval_s}")
        for name in ("open_timeout_s", "read_timeout_s", "backoff_base_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        if self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff_cap_s must be >= backoff_base_s")
        if self.snapshot and self.sample_interval_s <= 0:
            raise ValueError("snapshot sampling needs sample_interval_s > 0")
        if self.rtsp_transport not in ("tcp", "udp"):
            raise ValueError(f"rtsp_transport must be 'tcp' or 'udp', got {self.rtsp_transport!r}")

    @property
    def display_url(self) -> str:
        """The URL with any password masked."""
        return redact_url(self.url)

    def __repr__(self) -> str:
        return (
            f"ReaderSettings(camera_id={self.camera_id!r}, url={self.display_url!r}, "
            f"sample_interval_s={self.sample_interval_s}, keyframes_only={self.keyframes_only}, "
            f"snapshot={self.snapshot})"
        )
