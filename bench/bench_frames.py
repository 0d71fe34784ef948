"""Frames for the detector benchmarks: a video's, or seeded noise where there is no video."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from gridwatch.types import Image


def noise_frames(count: int, height: int, width: int) -> list[Image]:
    """``count`` frames of seeded noise (the same on every run)."""
    rng = np.random.default_rng(0)
    return [rng.integers(0, 255, (height, width, 3), dtype=np.uint8) for _ in range(count)]


def video_frames(video: Path, count: int, every: int = 1) -> list[Image]:
    """Up to ``count`` frames of ``video``, one in ``every`` (fewer where the video ends)."""
    capture = cv2.VideoCapture(str(video))
    frames: list[Image] = []
    while len(frames) < count:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(np.asarray(frame, dtype=np.uint8))
        for _ in range(every - 1):
            capture.grab()
    capture.release()
    return frames
