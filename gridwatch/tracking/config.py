"""Tracker settings (ByteTrack-style two-stage association)."""

from __future__ import annotations

from pydantic import Field

from gridwatch.config_base import PositiveShare, Share, StrictModel


class TrackerConfig(StrictModel):
    """How detections of successive frames are linked into tracks."""

    high_threshold: PositiveShare = Field(
        0.5, description="Detections at or above this score are matched first."
    )
    low_threshold: Share = Field(
        0.1,
        description="Detections between this and high_threshold only extend tracks already "
        "followed (an occluded person's weaker box); below it they are ignored.",
    )
    new_track_threshold: PositiveShare = Field(
        0.6, description="An unmatched detection starts a track only at this score."
    )
    match_iou: PositiveShare = Field(
        0.2, description="Least IoU between a track's prediction and a strong detection."
    )
    buffer_ratio: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Strong detections left unmatched are matched again with both boxes grown by "
        "this times their size on every side (buffered IoU), so a walker sampled every 0.5-1 s, "
        "whose boxes no longer overlap, keeps its id; 0 turns this off.",
    )
    low_match_iou: PositiveShare = Field(
        0.5, description="Least IoU for the second, weak-detection association."
    )
    lost_buffer_s: float = Field(
        3.0, ge=0, le=3600, description="A track unseen for this long is dropped; seen again "
        "sooner, it keeps its id."
    )
    min_hits: int = Field(
        1, ge=1, le=100, description="Matched frames before a track's id is reported."
    )
    class_aware: bool = Field(
        True, description="Match only detections of the track's class."
    )
