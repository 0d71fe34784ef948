"""Letterbox placement (ultralytics' rounding and centring) and the mapping back to the frame."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.detectors.letterbox import PAD_VALUE, letterbox, place

# (height, width, size) -> (resized width, resized height, pad_left, pad_top)
PLACEMENTS = [
    (64, 64, 64, (64, 64, 0, 0)),
    (32, 64, 64, (64, 32, 0, 16)),
    (100, 200, 64, (64, 32, 0, 16)),
    (480, 640, 320, (320, 240, 0, 40)),
    (57, 133, 96, (96, 41, 0, 27)),  # odd padding: 27 above, 28 below
    (33, 10, 64, (19, 64, 22, 0)),
    (1, 1, 64, (64, 64, 0, 0)),
    (1, 1000, 64, (64, 1, 0, 31)),  # a thin frame keeps at least one row
]


@pytest.mark.parametrize(("height", "width", "size", "expected"), PLACEMENTS)
def test_placement_matches_ultralytics_rounding(
    height: int, width: int, size: int, expected: tuple[int, int, int, int]
) -> None:
    where = place(width, height, size)
    resized = (round(where.scale_x * width), round(where.scale_y * height))
    assert (*resized, where.pad_left, where.pad_top) == expected


@pytest.mark.parametrize(("height", "width", "size", "expected"), PLACEMENTS)
def test_letterboxed_image_is_the_frame_centred_in_grey(
    height: int, width: int, size: int, expected: tuple[int, int, int, int]
) -> None:
    new_w, new_h, left, top = expected
    boxed, _ = letterbox(np.full((height, width, 3), 7, dtype=np.uint8), size)
    assert boxed.shape == (size, size, 3) and boxed.dtype == np.uint8
    inside = np.zeros((size, size), dtype=bool)
    inside[top : top + new_h, left : left + new_w] = True
    assert (boxed[inside] == 7).all()
    assert (boxed[~inside] == PAD_VALUE).all()


@pytest.mark.parametrize(("height", "width", "size", "expected"), PLACEMENTS)
def test_boxes_map_back_to_normalised_frame_coordinates(
    height: int, width: int, size: int, expected: tuple[int, int, int, int]
) -> None:
    where = place(width, height, size)
    frame_box = np.array([[0.1 * width, 0.25 * height, 0.6 * width, 0.9 * height]])
    scale = np.array([where.scale_x, where.scale_y] * 2)
    model_box = (frame_box * scale + [where.pad_left, where.pad_top] * 2).astype(np.float32)
    normalised = where.to_normalised(model_box)
    np.testing.assert_allclose(normalised, [[0.1, 0.25, 0.6, 0.9]], atol=1e-5)


def test_boxes_reaching_into_the_padding_are_clipped_to_the_frame() -> None:
    where = place(200, 100, 64)  # 64 x 32 picture, 16 rows of padding above and below
    box = np.array([[-5.0, 2.0, 70.0, 40.0]], dtype=np.float32)
    np.testing.assert_allclose(where.to_normalised(box), [[0.0, 0.0, 1.0, 0.75]])
