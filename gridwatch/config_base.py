"""The base of every config model and the bounded numbers config models share.

A leaf module (pydantic only), so that component configs (tracking, detectors, …) can use it
without importing the ``gridwatch.config`` package that assembles them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Base for every config model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


Share = Annotated[float, Field(ge=0, le=1)]
"""A share or score from 0 to 1."""

PositiveShare = Annotated[float, Field(gt=0, le=1)]
"""A share or score above 0, at most 1."""
