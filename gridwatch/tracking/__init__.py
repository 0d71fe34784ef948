"""Multi-object tracking (ByteTrack-style) and dwell time per zone per track."""

from gridwatch.tracking.byte_tracker import ByteTracker, Track
from gridwatch.tracking.config import TrackerConfig
from gridwatch.tracking.dwell import DwellTimer, Stay

__all__ = ["ByteTracker", "DwellTimer", "Stay", "Track", "TrackerConfig"]
