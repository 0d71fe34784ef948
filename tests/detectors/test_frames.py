"""Frames of any common layout become BGR HxWx3; anything else is a clear ValueError."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.detectors.frames import as_bgr, check_batch


@pytest.mark.parametrize(
    ("frame", "pixel"),
    [
        (np.full((4, 5, 3), (1, 2, 3), np.uint8), (1, 2, 3)),
        (np.full((4, 5), 9, np.uint8), (9, 9, 9)),
        (np.full((4, 5, 1), 9, np.uint8), (9, 9, 9)),
        (np.full((4, 5, 4), (1, 2, 3, 200), np.uint8), (1, 2, 3)),
        (np.full((1, 1, 3), 5, np.uint8), (5, 5, 5)),
        (np.full((8, 10, 3), (1, 2, 3), np.uint8)[::2, ::2], (1, 2, 3)),  # not contiguous
    ],
)
def test_convertible_frames_become_bgr(frame: np.ndarray, pixel: tuple[int, int, int]) -> None:
    bgr = as_bgr(frame)
    assert bgr.shape == (*frame.shape[:2], 3)
    assert bgr.dtype == np.uint8 and bgr.flags.c_contiguous
    assert (bgr == pixel).all()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (np.zeros((4, 5, 3), np.float32), "must be uint8"),
        (np.zeros((4, 5, 3), np.uint16), "must be uint8"),
        (np.zeros((4, 5, 2), np.uint8), "HxWx4, got shape \\(4, 5, 2\\)"),
        (np.zeros((4, 5, 5), np.uint8), "got shape"),
        (np.zeros((2, 4, 5, 3), np.uint8), "got shape"),
        (np.zeros((7,), np.uint8), "got shape"),
        (np.zeros((0, 5, 3), np.uint8), "empty"),
        (np.zeros((5, 0), np.uint8), "empty"),
        ([[1, 2], [3, 4]], "numpy array, got list"),
        (None, "numpy array, got NoneType"),
    ],
)
def test_unusable_frames_raise_value_error(frame: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        as_bgr(frame)


def test_batch_check_names_the_bad_frame() -> None:
    good = np.zeros((4, 4, 3), np.uint8)
    with pytest.raises(ValueError, match="frame 2 of the batch: frame must be uint8"):
        check_batch([good, good, good.astype(np.float32)])
