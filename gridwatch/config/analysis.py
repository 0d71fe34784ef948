"""Per-camera analysis settings: static scans, motion gating, tracking, the learned background,
view alignment.

Static incidents (covers, soil, garbage, material) change slowly: they are looked at on scans
``scan_interval_s`` apart. Dynamic ones (stalls, parking, crowds) are motion-gated: the detector
runs only when something moved in one of their zones since it last ran (or ``max_skip_s`` has
passed); in between the last detections stand, as nothing moved.
"""

from __future__ import annotations

from pydantic import Field

from gridwatch.config_base import PositiveShare, Share, StrictModel
from gridwatch.tracking.config import TrackerConfig


class MotionConfig(StrictModel):
    """The cheap frame difference that gates the detector for dynamic rules."""

    enabled: bool = Field(
        True, description="Gate the detector on motion; off: run it on every analysed frame."
    )
    width: int = Field(
        160, ge=32, le=1920, description="The gray frame is downscaled to this width first."
    )
    threshold: PositiveShare = Field(
        0.08,
        description="A pixel moved when it differs from the frame of the last detection by "
        "this share of the zone's median brightness (lighting drift is normalised away).",
    )
    min_share: PositiveShare = Field(
        0.003, description="Motion in a zone: at least this share of its pixels moved."
    )
    max_skip_s: float = Field(
        10.0,
        ge=0,
        le=3600,
        description="Run the detector at least this often even when nothing moved.",
    )


class BackgroundConfig(StrictModel):
    """The per-zone background model behind exposed_garbage and piled_material."""

    width: int = Field(
        320, ge=64, le=1920, description="Frames are downscaled to this width first."
    )
    short_samples: int = Field(
        7,
        ge=3,
        le=101,
        description="Scans in the short-term median: a passer-by in fewer than half of them "
        "does not count, an object there in more than half does.",
    )
    learn_seconds: float = Field(
        600.0,
        gt=0,
        le=7 * 86400,
        description="Time constant of the long-term background (slow learning); pixels of a "
        "static blob are not learned, so a new object is not absorbed.",
    )
    variation_seconds: float = Field(
        60.0,
        gt=0,
        le=86400,
        description="Time constant of each pixel's usual variation (swaying shadows, leaves).",
    )
    variation_k: float = Field(
        3.0,
        ge=0,
        le=20,
        description="A change must exceed min_contrast plus this many times the pixel's usual "
        "variation.",
    )
    absorb_seconds: float = Field(
        86400.0,
        gt=0,
        le=30 * 86400,
        description="A blob static this long becomes background (a permanent change of scene).",
    )
    min_contrast: float = Field(
        0.15,
        gt=0,
        le=2,
        description="A pixel differs from the background when a channel changed by this share "
        "of the zone's median (after per-channel gain normalisation).",
    )
    shadow_chroma: Share = Field(
        0.06,
        description="A change that scales all three channels alike (within this share of the "
        "scale) is a "
        "shadow or a light change, not an object (unless brighter/darker than shadow_range).",
    )
    shadow_range: tuple[float, float] = Field(
        (0.3, 3.0),
        description="Brightness ratios (now / background) a shadow or light change may have.",
    )
    ignore_classes: list[str] = Field(
        default_factory=lambda: ["person", "car", "truck", "bus", "bicycle", "motorcycle"],
        description="A blob mostly (half its box) covered by a detection of these classes is a "
        "person or vehicle standing still, not garbage (classes the model lacks are skipped).",
    )


class AlignmentConfig(StrictModel):
    """Zones that follow a slightly moved camera (``gridwatch.pipeline.alignment``).

    On each scan the view is compared with the camera's reference view (phase correlation): an
    offset inside ``dead_band_px`` is noise; a small one is undone (the frame is warped back and
    the detections shifted back before any rule sees them); a large one, or a view that no
    longer matches, suspends the camera's rules and raises one ``camera_moved`` alert.
    """

    enabled: bool = Field(
        True, description="Align each scan to the reference view; off: zones stay as drawn."
    )
    width: int = Field(
        320, ge=64, le=1920,
        description="Frames are compared as grey copies this many pixels wide (wider: finer "
        "offsets, slower).",
    )
    dead_band_px: float = Field(
        2.0, ge=0, le=100,
        description="An offset below this many full-frame pixels is noise: the frame is used "
        "as it is.",
    )
    max_shift_share: float = Field(
        0.08, gt=0, le=1,
        description="An offset of at least this share of the frame width is a large shift: the "
        "camera's rules are suspended (below it, zones follow the view).",
    )
    match_min: float = Field(
        0.15, ge=0, le=1,
        description="Phase-correlation peak below this: the view no longer matches the "
        "reference (the camera turned away or is blocked); rules are suspended.",
    )
    confirm_scans: int = Field(
        2, ge=1, le=100,
        description="Scans in a row with a large shift before camera_moved is reported (a bus "
        "filling the view once is not a moved camera); rules pause from the first.",
    )
    reference_samples: int = Field(
        3, ge=1, le=100,
        description="Scans averaged into the reference view when the camera has no reference "
        "image.",
    )
    reference_rate: float = Field(
        0.02, gt=0, le=1,
        description="Weight of each later scan inside the dead band in the reference view, so "
        "it follows slow light changes.",
    )
    relearn_s: float | None = Field(
        600.0, gt=0, le=30 * 86400,
        description="A view that stayed put in a new place (large shift) for this many seconds "
        "becomes the new reference and the rules resume there, zones as drawn; unset: rules "
        "stay suspended until the view comes back.",
    )


class AnalysisConfig(StrictModel):
    """How one camera's frames are analysed."""

    scan_interval_s: float | None = Field(
        None,
        gt=0,
        le=86400,
        description="Static rules (covers, soil, garbage, material) run on scans this many "
        "seconds apart; unset: on every analysed frame.",
    )
    motion: MotionConfig = Field(
        default_factory=MotionConfig, description="Motion gating of dynamic rules."
    )
    tracker: TrackerConfig = Field(
        default_factory=TrackerConfig, description="Tracker for the tracked (dwell) rules."
    )
    background: BackgroundConfig = Field(
        default_factory=BackgroundConfig, description="Learned background of static-object rules."
    )
    alignment: AlignmentConfig = Field(
        default_factory=AlignmentConfig,
        description="Zones follow a slightly moved camera; a badly moved one suspends its rules.",
    )
