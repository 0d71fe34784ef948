"""New static objects against the learned background, on simulated streets (light drift, cloud
and tree shadows, passers-by, sensor noise) with litter set down and taken away."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.analysers.static_objects import Blob, ZoneBackground
from gridwatch.config.analysis import BackgroundConfig
from tests.analysers.litter import ZONE, Litter, street_frames

WHOLE = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
BAG = Litter(t_s=20.0)
DARK_BAG = Litter(centre=(0.4, 0.7), colour=(25, 30, 30), t_s=20.0)
WHITE_BAG = Litter(centre=(0.35, 0.85), colour=(235, 235, 230), t_s=20.0)
TAKEN_AWAY = Litter(t_s=15.0, until_s=35.0)


def blobs_over_time(seed: int, litter: list[Litter], zone: list[tuple[float, float]] = ZONE,
                    duration_s: float = 60.0, min_area: float = 0.01) -> list[tuple[float, list[Blob]]]:
    model = ZoneBackground(zone, BackgroundConfig())
    out = []
    for t, image in street_frames(seed, duration_s, 1.0, litter, walkers=4):
        out.append((t, [b for b in model.update(image, 1e9 + t) if b.area >= min_area]))
    return out


def covers(blob: Blob, point: tuple[float, float]) -> bool:
    x1, y1, x2, y2 = blob.bbox
    return x1 <= point[0] <= x2 and y1 <= point[1] <= y2


@pytest.mark.parametrize(
    ("seed", "litter"),
    [(5101, BAG), (5103, BAG), (5105, DARK_BAG), (5101, DARK_BAG), (5103, WHITE_BAG), (5105, WHITE_BAG)],
)
def test_litter_is_found_within_seconds_and_stays_found(seed: int, litter: Litter) -> None:
    history = blobs_over_time(seed, [litter], duration_s=40.0)
    before = [t for t, blobs in history if blobs and t < litter.t_s]
    assert before == [], f"blobs before the litter was set down at {before}"
    found = [t for t, blobs in history if any(covers(b, litter.centre) for b in blobs)]
    assert found and found[0] <= litter.t_s + 5, f"found at {found[:1]}"
    assert found == [t for t, _ in history if t >= found[0]], "lost again while still there"


@pytest.mark.parametrize(
    ("seed", "zone"), [(5102, ZONE), (5104, ZONE), (5106, WHOLE)], ids=["kerb", "kerb", "whole-frame"]
)
def test_a_quiet_street_has_no_static_blob(seed: int, zone: list[tuple[float, float]]) -> None:
    history = blobs_over_time(seed, [], zone, duration_s=60.0, min_area=0.005)
    assert [t for t, blobs in history if blobs] == []


def test_litter_taken_away_is_gone_again() -> None:
    history = blobs_over_time(5107, [TAKEN_AWAY], duration_s=45.0)
    present = [t for t, blobs in history if blobs]
    assert present and present[0] <= 20.0
    assert max(present) <= TAKEN_AWAY.until_s + 5  # type: ignore[operator]


def test_the_middle_sample_says_since_when() -> None:
    model = ZoneBackground(ZONE, BackgroundConfig(short_samples=5))
    frames = list(street_frames(5108, 8.0, 1.0, []))
    for t, image in frames:
        model.update(image, 100.0 + t)
    assert model.since == 100.0 + 5.0  # samples 3..7: the middle one is at 5 s


@pytest.mark.parametrize("image", [np.zeros((10, 10), np.uint8), np.zeros((0, 0, 3), np.uint8)])
def test_a_bad_frame_is_a_clear_error(image: np.ndarray) -> None:
    with pytest.raises(ValueError, match="expected an H x W x 3 BGR image"):
        ZoneBackground(ZONE, BackgroundConfig()).update(image, 0.0)
