"""Resting places: objects counted by where they stand, whatever their track ids."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.tracking.places import RestingPlaces
from gridwatch.types import Detections

NAMES = ("bicycle", "motorcycle")


def boxes(rows: list[tuple[float, float, float, float]]) -> Detections:
    if not rows:
        return Detections.empty(NAMES)
    return Detections(np.asarray(rows, np.float32), np.full(len(rows), 0.8, np.float32),
                      np.zeros(len(rows), np.int64), NAMES)


def bike(x: float, y: float = 0.7, w: float = 0.05, h: float = 0.06) -> tuple[float, float, float, float]:
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


@pytest.mark.parametrize(("frames", "sightings"), [
    # a row of 5 bikes, each frame shuffled and one missed: 5 places, each seen most frames
    ([[bike(0.3 + 0.06 * i) for i in range(5) if i != f % 5][::(-1) ** f] for f in range(10)],
     [8, 8, 8, 8, 8]),
    # a rider passing 2 box sides per frame: every place is seen once
    ([[bike(0.1 + 0.1 * f)] for f in range(8)], [1] * 8),
    # a box of another size on the spot is another object
    ([[bike(0.5)], [bike(0.5, w=0.12)], [bike(0.5)]], [2, 1]),
])
def test_places_follow_spots_not_ids(
    frames: list[list[tuple[float, float, float, float]]], sightings: list[int]
) -> None:
    places = RestingPlaces(limit=0.5, hold_s=10.0)
    held = []
    for t, rows in enumerate(frames):
        held = places.update(boxes(rows), float(t))
    assert [p.sightings for p in held] == sightings


def test_a_place_is_held_through_a_short_occlusion_and_dropped_after_hold() -> None:
    places = RestingPlaces(limit=0.5, hold_s=5.0)
    for t in range(3):
        places.update(boxes([bike(0.5)]), float(t))
    (place,) = places.update(boxes([]), 6.0)  # unseen 4 s: still held
    assert place.first_t == 0.0 and place.seen_share == pytest.approx(3 / 4)
    assert places.update(boxes([]), 8.0) == []
    (again,) = places.update(boxes([bike(0.5)]), 9.0)
    assert again.first_t == 9.0


def test_the_same_frame_fed_twice_counts_once() -> None:
    places = RestingPlaces(limit=0.5, hold_s=5.0)
    places.update(boxes([bike(0.5)]), 1.0)
    (place,) = places.update(boxes([bike(0.5)]), 1.0)
    assert place.sightings == 1


@pytest.mark.parametrize(("limit", "hold"), [(0.0, 5.0), (0.5, 0.0)])
def test_bad_settings_are_refused(limit: float, hold: float) -> None:
    with pytest.raises(ValueError, match="positive limit and hold"):
        RestingPlaces(limit, hold)
