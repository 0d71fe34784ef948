"""The small shared data types that flow through the pipeline.

A ``Frame`` comes out of ingest (live reader or file replay), a ``Detections`` comes out of a
detector. Coordinates in ``Detections`` are normalised to the frame (0..1, x right, y down), the
same space as zones, so nothing downstream needs the frame size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
Image = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded picture from one camera.

    ``pts_s`` is the stream's own clock (seconds since the first frame of this connection or
    file); ``wall_time`` is when it was captured (UTC). Replay derives ``wall_time`` from
    ``pts_s``, so the same code runs live and offline.
    """

    camera_id: str
    image: Image  # H x W x 3, uint8, BGR
    pts_s: float
    wall_time: datetime
    index: int = 0

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])


@dataclass(slots=True)
class Detections:
    """Parallel arrays of boxes for one frame (supervision-style).

    ``xyxy`` is (N, 4) normalised x1, y1, x2, y2; ``confidence`` (N,); ``class_id`` (N,) indexes
    ``names``, the detector's class table. ``tracker_id`` (N,) is set by a tracker
    (``gridwatch.tracking``): the same object keeps its id across frames; None before tracking.
    """

    xyxy: FloatArray
    confidence: FloatArray
    class_id: IntArray
    names: tuple[str, ...] = field(default_factory=tuple)
    tracker_id: IntArray | None = None

    def __post_init__(self) -> None:
        n = len(self.xyxy)
        if self.xyxy.shape != (n, 4):
            raise ValueError(f"xyxy must have shape (N, 4), got {self.xyxy.shape}")
        if self.confidence.shape != (n,) or self.class_id.shape != (n,):
            raise ValueError(
                "confidence and class_id must have shape (N,) matching xyxy; got "
                f"{self.confidence.shape} and {self.class_id.shape} for N={n}"
            )
        if self.tracker_id is not None and self.tracker_id.shape != (n,):
            raise ValueError(f"tracker_id must have shape (N,) = ({n},), got {self.tracker_id.shape}")

    @classmethod
    def empty(cls, names: Sequence[str] = ()) -> Detections:
        return cls(
            xyxy=np.zeros((0, 4), dtype=np.float32),
            confidence=np.zeros((0,), dtype=np.float32),
            class_id=np.zeros((0,), dtype=np.int64),
            names=tuple(names),
        )

    def __len__(self) -> int:
        return len(self.xyxy)

    def __getitem__(self, index: npt.NDArray[np.bool_] | npt.NDArray[np.int64] | slice) -> Detections:
        return Detections(
            xyxy=self.xyxy[index],
            confidence=self.confidence[index],
            class_id=self.class_id[index],
            names=self.names,
            tracker_id=None if self.tracker_id is None else self.tracker_id[index],
        )

    @property
    def class_names(self) -> list[str]:
        return [self.names[i] if 0 <= i < len(self.names) else str(i) for i in self.class_id]

    @property
    def centers(self) -> FloatArray:
        """(N, 2) box centres, normalised."""
        return np.stack(
            [(self.xyxy[:, 0] + self.xyxy[:, 2]) / 2, (self.xyxy[:, 1] + self.xyxy[:, 3]) / 2],
            axis=1,
        ).astype(np.float32)

    @property
    def areas(self) -> FloatArray:
        """(N,) box areas as a share of the frame."""
        w = np.clip(self.xyxy[:, 2] - self.xyxy[:, 0], 0, None)
        h = np.clip(self.xyxy[:, 3] - self.xyxy[:, 1], 0, None)
        areas: FloatArray = (w * h).astype(np.float32)
        return areas

    def with_classes(self, wanted: Sequence[str]) -> Detections:
        """Only the detections whose class name is in ``wanted``."""
        ids = [i for i, name in enumerate(self.names) if name in set(wanted)]
        return self[np.isin(self.class_id, ids)]
