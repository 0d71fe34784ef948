"""The detector plugin contract: a pydantic config per plugin type and a batch ``detect`` call."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from gridwatch.detectors.frames import as_bgr
from gridwatch.types import Detections, Image


class ModelError(ValueError):
    """A model file is missing, unreadable, or does not have the layout the plugin expects."""


class DetectorConfig(BaseModel):
    """Base of every detector plugin's config; ``type`` selects the plugin."""

    # polymorphic_serialization: a field annotated as DetectorConfig dumps the subclass's fields.
    model_config = ConfigDict(extra="forbid", polymorphic_serialization=True)

    type: str = Field(description="Detector plugin type name, e.g. 'onnx_yolo'.")


class Detector(abc.ABC):
    """An object detector that takes a batch of BGR frames of any sizes.

    Plugins subclass this, implement ``from_config`` and ``detect``, and register themselves
    with ``gridwatch.detectors.registry.register``.
    """

    names: tuple[str, ...]

    @classmethod
    @abc.abstractmethod
    def from_config(cls, config: Any, base_dir: Path | None = None) -> Detector:
        """Build the detector; relative paths in ``config`` resolve against ``base_dir``."""

    @abc.abstractmethod
    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        """One ``Detections`` (normalised xyxy) per image; ``[]`` for an empty batch.

        Frames may be BGR (HxWx3), grayscale (HxW or HxWx1) or BGRA (HxWx4) uint8; any other
        frame raises ``ValueError`` naming its index in the batch.
        """

    def detect_each(self, images: Sequence[object]) -> list[Detections | ValueError]:
        """Like ``detect`` but a bad frame yields its ``ValueError`` in place of its result.

        One unusable frame (wrong dtype, empty, odd channel count) then spoils only its own slot
        of a batch gathered from many cameras.
        """
        results: list[Detections | ValueError] = []
        good: list[Image] = []
        for image in images:
            try:
                good.append(as_bgr(image))
                results.append(Detections.empty(self.names))
            except ValueError as error:
                results.append(error)
        detected = iter(self.detect(good))
        return [r if isinstance(r, ValueError) else next(detected) for r in results]
