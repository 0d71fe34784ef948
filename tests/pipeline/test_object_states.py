"""One state per object: overlapping boxes of exclusive classes keep the likeliest."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.pipeline.object_states import one_state_per_object
from gridwatch.types import Detections

NAMES = ("manhole_cover", "manhole_open", "bare_soil")
COVER = (0.30, 0.30, 0.40, 0.40)
NEAR = (0.305, 0.30, 0.405, 0.40)  # the same cover, box a little off
ELSEWHERE = (0.70, 0.30, 0.80, 0.40)
Row = tuple[str, float, tuple[float, float, float, float]]


def dets(rows: list[Row], names: tuple[str, ...] = NAMES) -> Detections:
    return Detections(
        xyxy=np.array([r[2] for r in rows], dtype=np.float32).reshape(-1, 4),
        confidence=np.array([r[1] for r in rows], dtype=np.float32),
        class_id=np.array([names.index(r[0]) for r in rows], dtype=np.int64),
        names=names,
    )


@pytest.mark.parametrize(("rows", "kept"), [
    # a dark cover scored both ways: the cover stands
    ([("manhole_cover", 0.62, COVER), ("manhole_open", 0.5, NEAR)], ["manhole_cover"]),
    # an open hole with a weak cover guess: the hole stands
    ([("manhole_cover", 0.3, COVER), ("manhole_open", 0.88, NEAR)], ["manhole_open"]),
    # different covers: both stand
    ([("manhole_cover", 0.62, COVER), ("manhole_open", 0.5, ELSEWHERE)],
     ["manhole_cover", "manhole_open"]),
    # soil is no state of a cover
    ([("manhole_cover", 0.62, COVER), ("bare_soil", 0.9, NEAR)], ["manhole_cover", "bare_soil"]),
    # two covers side by side (same class): both stand, whatever they overlap
    ([("manhole_cover", 0.62, COVER), ("manhole_cover", 0.5, NEAR)], ["manhole_cover", "manhole_cover"]),
    ([], []),
])
def test_the_likeliest_state_of_an_object_stands(rows: list[Row], kept: list[str]) -> None:
    assert one_state_per_object(dets(rows)).class_names == kept


def test_a_model_without_the_states_passes_through() -> None:
    coco = ("person", "car")
    found = dets([("person", 0.9, COVER), ("car", 0.8, NEAR)], coco)
    assert one_state_per_object(found) is found
