"""Settings of operator feedback: what a rejected alert changes (see gridwatch.alerts.feedback)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FeedbackConfig(BaseModel):
    """What a rejected alert changes."""

    model_config = ConfigDict(extra="forbid")

    suppress_days: float = Field(
        7.0, ge=0, le=365, description="Days a rejected incident stays suppressed at its place (0: off)."
    )
    min_iou: float = Field(
        0.3, gt=0, le=1, description="Box overlap (IoU) at which a new episode counts as the same place."
    )
    save_negatives: bool = Field(
        True, description="Keep the clean frame of a rejected alert as a hard-negative sample."
    )
