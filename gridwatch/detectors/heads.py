"""Detection heads an exported model may end in: their output layout, input layout and decoder.

``yolo``: ultralytics YOLOv8/11 detect, output (B, 4 + nc, N), input RGB 0..1 letterboxed in the
centre. ``yolox``: Megvii YOLOX, output (B, N, 5 + nc) with N the anchors of the stride 8/16/32
grids, input BGR 0..255 letterboxed in the top-left corner. ``pick_head`` chooses one from the
output shape (``auto``) or checks the one the config names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from gridwatch.detectors.preprocess import ULTRALYTICS_LAYOUT, YOLOX_LAYOUT, InputLayout
from gridwatch.detectors.yolo_decode import RawBoxes, decode_yolo
from gridwatch.detectors.yolox_decode import anchor_count, decode_yolox
from gridwatch.types import FloatArray

HeadName = Literal["yolo", "yolox"]
HeadChoice = Literal["auto", "yolo", "yolox"]
Dim = int | str | None
# (one image's raw output, input size, confidence, iou, max detections) -> boxes in input pixels
Decoder = Callable[[FloatArray, int, float, float, int], RawBoxes]


def _decode_yolo(output: FloatArray, size: int, confidence: float, iou: float, limit: int) -> RawBoxes:
    return decode_yolo(output, confidence, iou, limit)


@dataclass(frozen=True, slots=True)
class Head:
    """One head type: the output it writes for ``nc`` classes and how to read it."""

    name: HeadName
    layout: InputLayout
    shape_text: str
    decode: Decoder

    def expected(self, nc: int, size: int) -> tuple[int, int]:
        """The output's shape after the batch axis (the yolo head's anchor count is not checked: -1)."""
        return (4 + nc, -1) if self.name == "yolo" else (anchor_count(size), 5 + nc)

    def fits(self, shape: Sequence[Dim], nc: int, size: int) -> bool:
        """Whether an output shape (dynamic axes as str/None) can be this head's."""
        if len(shape) != 3:
            return False
        wanted = self.expected(nc, size)
        return all(not isinstance(d, int) or w in (-1, d) for d, w in zip(shape[1:], wanted, strict=True))


HEADS: dict[HeadName, Head] = {
    "yolo": Head("yolo", ULTRALYTICS_LAYOUT, "(B, 4 + nc, N)", _decode_yolo),
    "yolox": Head("yolox", YOLOX_LAYOUT, "(B, N, 5 + nc) with N the stride 8/16/32 anchors", decode_yolox),
}


def pick_head(choice: HeadChoice, shape: Sequence[Dim], nc: int, size: int) -> Head | None:
    """The head ``choice`` names if the output ``shape`` fits it; for ``auto`` the one that fits
    (yolo when both could, e.g. with dynamic axes); None when none does."""
    if choice != "auto":
        head = HEADS[choice]
        return head if head.fits(shape, nc, size) else None
    yolo, yolox = HEADS["yolo"], HEADS["yolox"]
    if yolo.fits(shape, nc, size):
        return yolo
    return yolox if yolox.fits(shape, nc, size) else None
