"""Zone-crop geometry: regions, pixel windows, mapping crop boxes back, merging by NMS."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.detectors.crops import (
    CropWindow,
    NormBox,
    capped,
    merge,
    region_of,
    to_frame,
    whole_in_crop,
    window_of,
)
from gridwatch.types import Detections

NAMES = ("a", "b")


def dets(rows: list[tuple[float, float, float, float, float, int]]) -> Detections:
    arr = np.asarray(rows, dtype=np.float64).reshape(-1, 6)
    return Detections(
        arr[:, :4].astype(np.float32), arr[:, 4].astype(np.float32), arr[:, 5].astype(np.int64), NAMES
    )


@pytest.mark.parametrize(
    ("polygon", "margin", "expected"),
    [
        ([(0.4, 0.4), (0.6, 0.4), (0.6, 0.5), (0.4, 0.5)], 0.0, (0.4, 0.4, 0.6, 0.5)),
        ([(0.4, 0.4), (0.6, 0.4), (0.6, 0.5), (0.4, 0.5)], 0.5, (0.3, 0.3, 0.7, 0.6)),
        ([(0.0, 0.0), (0.2, 0.0), (0.2, 0.2)], 1.0, (0.0, 0.0, 0.4, 0.4)),  # clipped at the edge
        ([(0.9, 0.1), (1.0, 0.1), (0.95, 0.3)], 0.25, (0.85, 0.05, 1.0, 0.35)),
    ],
)
def test_region_of_a_zone(polygon: list[tuple[float, float]], margin: float, expected: NormBox) -> None:
    assert region_of(polygon, margin) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("region", "size", "window", "gain"),
    [
        ((0.0, 0.0, 1.0, 1.0), (640, 360), (0, 0, 640, 360), 1.0),
        ((0.25, 0.5, 0.5, 0.75), (640, 360), (160, 180, 320, 270), 4.0),
        ((0.1001, 0.2, 0.1002, 0.2001), (100, 100), (10, 20, 11, 21), 100.0),  # at least 1 px
        ((0.999, 0.999, 1.0, 1.0), (100, 100), (99, 99, 100, 100), 100.0),
        ((1.0, 1.0, 1.0, 1.0), (100, 50), (99, 49, 100, 50), 100.0),  # degenerate, kept inside
        ((0.1, 0.1, 0.3, 0.9), (1920, 1080), (192, 108, 576, 972), 1920 / 864),
    ],
)
def test_window_of_a_region(
    region: NormBox, size: tuple[int, int], window: tuple[int, int, int, int], gain: float
) -> None:
    got = window_of(region, *size)
    assert (got.x1, got.y1, got.x2, got.y2) == window
    assert got.gain() == pytest.approx(gain)


@pytest.mark.parametrize(
    ("window", "crop_box", "frame_box"),
    [
        ((160, 180, 320, 270, 640, 360), (0.0, 0.0, 1.0, 1.0), (0.25, 0.5, 0.5, 0.75)),
        ((160, 180, 320, 270, 640, 360), (0.5, 0.5, 1.0, 1.0), (0.375, 0.625, 0.5, 0.75)),
        ((0, 0, 640, 360, 640, 360), (0.1, 0.2, 0.3, 0.4), (0.1, 0.2, 0.3, 0.4)),
        (
            (1000, 500, 1920, 1080, 1920, 1080),
            (0.25, 0.0, 0.75, 0.5),
            (1230 / 1920, 500 / 1080, 1690 / 1920, 790 / 1080),
        ),
    ],
)
def test_crop_boxes_map_back_to_the_frame(
    window: tuple[int, int, int, int, int, int], crop_box: NormBox, frame_box: NormBox
) -> None:
    mapped = to_frame(dets([(*crop_box, 0.9, 1)]), CropWindow(*window))
    np.testing.assert_allclose(mapped.xyxy[0], frame_box, atol=1e-4)
    assert mapped.class_id.tolist() == [1] and mapped.confidence.tolist() == pytest.approx([0.9])


@pytest.mark.parametrize("seed", range(5))
def test_pixel_box_round_trips_through_a_crop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(64, 2000)), int(rng.integers(64, 2000))
    x1, x2 = sorted(rng.integers(0, width, 2).tolist())
    y1, y2 = sorted(rng.integers(0, height, 2).tolist())
    window = CropWindow(x1, y1, x2 + 1, y2 + 1, width, height)
    w, h = x2 + 1 - x1, y2 + 1 - y1
    px = np.array([x1 + 0.3 * w, y1, x2 + 1, y1 + 0.5 * h])
    in_crop = (px - [x1, y1, x1, y1]) / [w, h, w, h]
    mapped = to_frame(dets([(*in_crop, 0.5, 0)]), window)
    np.testing.assert_allclose(mapped.xyxy[0], px / [width, height, width, height], atol=1e-5)


@pytest.mark.parametrize(
    ("full", "crop", "kept"),
    [
        ([(0.1, 0.1, 0.2, 0.2, 0.9, 0)], [(0.105, 0.1, 0.2, 0.2, 0.8, 0)], [(0.9, 0)]),  # duplicate
        ([(0.1, 0.1, 0.2, 0.2, 0.6, 0)], [(0.105, 0.1, 0.2, 0.2, 0.8, 0)], [(0.8, 0)]),  # crop wins
        ([(0.1, 0.1, 0.2, 0.2, 0.9, 0)], [(0.1, 0.1, 0.2, 0.2, 0.8, 1)], [(0.9, 0), (0.8, 1)]),
        ([(0.1, 0.1, 0.2, 0.2, 0.9, 0)], [(0.5, 0.5, 0.6, 0.6, 0.8, 0)], [(0.9, 0), (0.8, 0)]),
        ([], [(0.5, 0.5, 0.6, 0.6, 0.8, 0)], [(0.8, 0)]),  # only the crop saw it
    ],
)
def test_merge_removes_same_class_duplicates(
    full: list[tuple[float, float, float, float, float, int]],
    crop: list[tuple[float, float, float, float, float, int]],
    kept: list[tuple[float, int]],
) -> None:
    merged = merge([dets(full), dets(crop)], iou=0.5)
    got = sorted(zip(merged.confidence.tolist(), merged.class_id.tolist(), strict=True), reverse=True)
    assert got == [(pytest.approx(c), k) for c, k in kept]


@pytest.mark.parametrize("bounds", [(0, 0, 0, 10), (-1, 0, 5, 5), (0, 0, 101, 10), (5, 5, 4, 9)])
def test_window_outside_its_frame_is_refused(bounds: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError, match="inside its frame"):
        CropWindow(*bounds, 100, 100)


@pytest.mark.parametrize(
    ("window", "max_gain", "expected"),
    [
        ((160, 180, 320, 270, 640, 360), 4.0, (160, 180, 320, 270)),  # already at 4x: unchanged
        ((160, 180, 320, 270, 640, 360), 2.0, (80, 135, 400, 315)),  # grown about its centre
        ((0, 0, 10, 10, 640, 360), 2.0, (0, 0, 320, 320)),  # pushed inside at the corner
        ((600, 300, 640, 360, 640, 360), 1.0, (0, 0, 640, 360)),  # 1x: the whole frame
        ((10, 10, 20, 20, 100, 400), 2.0, (0, 0, 100, 200)),  # tall frame: width clipped
    ],
)
def test_capped_zoom_grows_the_window(
    window: tuple[int, int, int, int, int, int], max_gain: float, expected: tuple[int, int, int, int]
) -> None:
    got = capped(CropWindow(*window), max_gain)
    assert (got.x1, got.y1, got.x2, got.y2) == expected
    assert got.gain() <= max_gain + 1e-9


INNER = (160, 90, 480, 270, 640, 360)  # a window inside the frame: every edge is a cut
CORNER = (0, 0, 320, 180, 640, 360)  # left and top edges are the frame's own


@pytest.mark.parametrize(
    ("window", "box", "kept"),
    [
        (INNER, (0.2, 0.2, 0.6, 0.6), True),  # whole inside the crop
        (INNER, (0.0, 0.2, 0.3, 0.6), False),  # cut by the left edge: part of something larger
        (INNER, (0.2, 0.3, 0.6, 1.0), False),  # cut by the bottom edge
        (INNER, (0.0, 0.0, 1.0, 1.0), False),  # the whole crop: ground seen up close
        (CORNER, (0.0, 0.0, 0.3, 0.3), True),  # at the frame's corner: nothing more to see
        (CORNER, (0.5, 0.5, 1.0, 0.8), False),  # but cut by the right edge
    ],
)
def test_boxes_cut_by_a_crop_edge_inside_the_frame_are_dropped(
    window: tuple[int, int, int, int, int, int], box: NormBox, kept: bool
) -> None:
    found = whole_in_crop(dets([(*box, 0.9, 0)]), CropWindow(*window))
    assert len(found) == (1 if kept else 0)
