"""Settings of the detector runner: cross-camera batching and zone crops (``runner:`` in the site)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RunnerConfig(BaseModel):
    """How a worker feeds its detectors: frames of many cameras per call, zone crops for far objects."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    max_batch: int = Field(
        8, ge=1, le=256, description="Most images (full frames plus zone crops) per detector call."
    )
    max_wait_s: float = Field(
        0.05,
        ge=0,
        le=10,
        description="Longest the oldest waiting frame is held for the batch to fill before it "
        "runs anyway (0: run at once with whatever is there).",
    )
    crop_margin: float = Field(
        0.15,
        ge=0,
        le=2,
        description="Context added on each side of a cropped zone's bounding box, as a share of "
        "its larger side.",
    )
    crop_min_gain: float = Field(
        1.25,
        ge=1,
        le=100,
        description="A zone with `crop: true` is cropped only when its crop window reaches the "
        "model at least this many times larger than the full frame (else the crop adds nothing).",
    )
    crop_max_gain: float = Field(
        1.5,
        ge=1,
        le=100,
        description="A crop window is grown around its zone until it is upscaled at most this "
        "many times more than the full frame (a model trained on whole street views misreads "
        "objects blown up past its training sizes: the shipped model reads an open manhole as bare "
        "soil from about 2x on; raise it for models trained with strong scale augmentation).",
    )
    crop_merge_iou: float = Field(
        0.5,
        gt=0,
        le=1,
        description="IoU above which a crop box and a full-frame box of the same class are one "
        "object (class-aware NMS over both).",
    )
