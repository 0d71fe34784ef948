"""Synthetic test clips whose frames say which frame they are.

``make_counter_clip`` encodes a moving gradient with the frame number drawn as text (for people)
and as a row of black/white blocks at the top (for tests: ``read_counter``), so a test can tell
which frame of the clip a decoded picture came from, after H.264 and RTSP. Uses PyAV's bundled
libx264, no system encoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from gridwatch.types import Image

COUNTER_BITS = 12
_BLOCK_H = 24


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """What to encode: size, rate, length and GOP (keyframe every ``gop_s`` seconds)."""

    width: int = 640
    height: int = 360
    fps: int = 10
    seconds: float = 10.0
    gop_s: float = 2.0
    b_frames: int = 0

    @property
    def frame_count(self) -> int:
        return round(self.seconds * self.fps)

    @property
    def gop_frames(self) -> int:
        return max(1, round(self.gop_s * self.fps))


def counter_image(index: int, spec: ClipSpec) -> Image:
    """The BGR picture for frame ``index``: a gradient that moves, the number, and its bits."""
    xs = np.arange(spec.width, dtype=np.int32)[None, :]
    ys = np.arange(spec.height, dtype=np.int32)[:, None]
    shift = index * 8
    img = np.empty((spec.height, spec.width, 3), dtype=np.uint8)
    img[..., 0] = ((xs + shift) % 256).astype(np.uint8)
    img[..., 1] = ((ys * 2 + shift) % 256).astype(np.uint8)
    img[..., 2] = ((xs + ys + 3 * shift) % 256).astype(np.uint8)
    _draw_bits(img, index)
    cv2.putText(img, f"{index:05d}", (20, spec.height - 30), cv2.FONT_HERSHEY_SIMPLEX, 2.0,
                (255, 255, 255), 4, cv2.LINE_AA)
    return img


def _block_width(image_width: int) -> int:
    return min(40, (image_width - 8) // COUNTER_BITS)


def _draw_bits(img: Image, index: int) -> None:
    block_w = _block_width(img.shape[1])
    img[: _BLOCK_H + 8, : COUNTER_BITS * block_w + 8] = 128
    for bit in range(COUNTER_BITS):
        value = 255 if (index >> bit) & 1 else 0
        x0 = 4 + bit * block_w
        img[4 : 4 + _BLOCK_H, x0 : x0 + block_w] = value


def read_counter(image: Image) -> int:
    """The frame number drawn by ``counter_image`` (robust to H.264 at normal quality)."""
    value = 0
    block_w = _block_width(image.shape[1])
    for bit in range(COUNTER_BITS):
        x0 = 4 + bit * block_w
        block = image[10 : _BLOCK_H - 2, x0 + block_w // 4 : x0 + block_w - block_w // 4]
        if float(block.mean()) > 128.0:
            value |= 1 << bit
    return value


def make_counter_clip(path: Path, spec: ClipSpec | None = None) -> Path:
    """Encode an H.264 MP4 of ``spec`` at ``path`` (fixed GOP, no scene-cut keyframes)."""
    spec = spec or ClipSpec()
    if spec.width < 8 + 16 * COUNTER_BITS or spec.height < 64:
        raise ValueError(f"a counter clip needs at least 200x64 pixels, got {spec.width}x{spec.height}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=spec.fps)
        stream.width = spec.width
        stream.height = spec.height
        stream.pix_fmt = "yuv420p"
        keyint = spec.gop_frames
        stream.options = {
            "preset": "ultrafast",
            "crf": "23",
            "x264-params": f"keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes={spec.b_frames}",
        }
        for index in range(spec.frame_count):
            frame = av.VideoFrame.from_ndarray(counter_image(index, spec), format="bgr24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path
