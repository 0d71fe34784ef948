"""Held counts (crowds) on hand-made detections through the camera's real tracker."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.config.models import ZoneConfig
from gridwatch.pipeline.camera_tracks import CameraTracks
from gridwatch.pipeline.held_counts import REST_HOLD_S, HeldCounts
from gridwatch.tracking import TrackerConfig
from gridwatch.types import Detections

Box = tuple[float, float, float, float]
ZONE = ZoneConfig.model_validate({
    "name": "square", "polygon": [[0, 0], [1, 0], [1, 1], [0, 1]],
    "rules": [{"incident": "crowd_gathering", "min_count": 2}],
})


def people(*boxes: Box) -> Detections:
    return Detections(
        xyxy=np.array(boxes, dtype=np.float32).reshape(-1, 4),
        confidence=np.full(len(boxes), 0.9, dtype=np.float32),
        class_id=np.zeros(len(boxes), dtype=np.int64),
        names=("person",),
    )


def counts(frames: list[Detections]) -> list[int]:
    """The zone's count after each frame (one a second)."""
    tracks, held = CameraTracks(["person"], TrackerConfig()), HeldCounts([ZONE])
    out = []
    for t, dets in enumerate(frames):
        (obs,) = held.observe(tracks.update(dets, float(t)))
        out.append(obs.count)
    return out


STANDER = (0.40, 0.40, 0.44, 0.52)
NEIGHBOUR = (0.41, 0.41, 0.45, 0.53)  # shoulder to shoulder: IoU with STANDER ~0.6


def walker(x: float) -> Box:
    return (x, 0.7, x + 0.04, 0.82)


@pytest.mark.parametrize(("frames", "expected"), [
    # someone who stood 4 s and is then hidden for 6 s still counts beside a second person
    ([people(STANDER, walker(0.1))] * 4 + [people(walker(0.1))] * 6,
     [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
    # hidden longer than REST_HOLD_S: no longer counted
    ([people(STANDER, walker(0.1))] * 4 + [people(walker(0.1))] * (int(REST_HOLD_S) + 2),
     [2, 2, 2, 2] + [2] * int(REST_HOLD_S) + [1, 1]),
    # someone walking on and then unseen counts for count_window_s (2 s) only
    ([people(STANDER, walker(0.1 + 0.05 * t)) for t in range(4)] + [people(STANDER)] * 4,
     [2, 2, 2, 2, 2, 2, 1, 1]),
    # two people standing shoulder to shoulder, one missed now and then, are two people
    ([people(STANDER, NEIGHBOUR), people(STANDER), people(NEIGHBOUR), people(STANDER, NEIGHBOUR),
      people(STANDER)], [2, 2, 2, 2, 2]),
])
def test_count_holds_who_stood_still_and_not_who_walked_on(frames: list[Detections],
                                                           expected: list[int]) -> None:
    assert counts(frames) == expected
