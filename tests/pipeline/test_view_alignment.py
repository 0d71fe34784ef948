"""ViewAlignment on rendered street views: offsets, undoing them, suspension and re-learning."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from gridwatch.config.analysis import AlignmentConfig
from gridwatch.pipeline.alignment import AlignmentEvent, ViewAlignment
from gridwatch.sim.faults import Fault, FaultyCamera, shift
from gridwatch.types import Detections, Image

W, H = 640, 360


@lru_cache(maxsize=16)
def street(t: float = 1.0, seed: int = 5) -> Image:
    """A rendered quiet street (cached: callers must not write into it)."""
    return FaultyCamera(Fault("black", 1e6), seed, 60.0, W, H).render(t)


def events(alignment: ViewAlignment, images: list[Image], step_s: float = 1.0) -> list[str]:
    out = []
    for i, image in enumerate(images):
        out += [c.event.value for c in alignment.check(image, 1000.0 + i * step_s)]
    return out


@pytest.mark.parametrize("offset", [(12, 6), (-30, 18), (0, -25)])
def test_a_small_shift_is_measured_and_undone(offset: tuple[int, int]) -> None:
    view = street()
    alignment = ViewAlignment(AlignmentConfig(), reference_image=view)
    assert alignment.check(shift(street(2.0), *offset), 1.0) == []
    assert not alignment.suspended
    assert alignment.offset == pytest.approx(offset, abs=1.0)
    box = np.array([[0.4, 0.5, 0.5, 0.6]], np.float32)
    moved = box + np.array([offset[0] / W, offset[1] / H] * 2, np.float32)
    dets = Detections(moved, np.array([0.9], np.float32), np.array([0]), ("manhole_open",))
    back = alignment.boxes_to_reference(dets, W, H)
    assert back.xyxy == pytest.approx(box, abs=1.5 / W)
    restored = alignment.image_to_reference(shift(view, *offset)).astype(int)
    inner = (slice(40, H - 40), slice(60, W - 60))
    assert np.abs(restored[inner] - view[inner]).mean() < 6


@pytest.mark.parametrize(
    ("config", "views", "expected", "suspended"),
    [
        # one odd scan (a bus filling the view) pauses the rules but is not reported
        ({}, ["ref", "away", "ref"], ["suspended", "resumed"], False),
        ({}, ["ref", "away", "away", "away", "ref"], ["suspended", "moved", "resumed"], False),
        ({}, ["ref", "far", "far"], ["suspended", "moved"], True),
        # settled elsewhere: re-learned after relearn_s, then at home there
        ({"relearn_s": 3.0}, ["ref"] + ["away"] * 6, ["suspended", "moved", "relearned"], False),
        ({"relearn_s": None}, ["ref"] + ["away"] * 6, ["suspended", "moved"], True),
        ({"confirm_scans": 3}, ["ref", "away", "away", "ref"], ["suspended", "resumed"], False),
    ],
)
def test_a_large_move_suspends_and_is_reported_once(
    config: dict[str, object], views: list[str], expected: list[str], suspended: bool
) -> None:
    looks = {"ref": street(), "away": street(seed=77), "far": shift(street(), 120, 40)}
    alignment = ViewAlignment(AlignmentConfig.model_validate(config), reference_image=looks["ref"])
    assert events(alignment, [looks[v] for v in views]) == expected
    assert alignment.suspended is suspended


def test_the_reference_is_learned_from_the_first_scans() -> None:
    alignment = ViewAlignment(AlignmentConfig(reference_samples=3))
    assert events(alignment, [street(t) for t in (1.0, 1.5, 2.0)]) == []
    assert alignment.shift is None and alignment.reference.ready
    alignment.check(shift(street(2.5), 16, 8), 5.0)
    assert alignment.offset == pytest.approx((16, 8), abs=1.0)
    assert events(alignment, [street(seed=77)] * 2) == [AlignmentEvent.SUSPENDED,
                                                        AlignmentEvent.MOVED]


def test_a_black_picture_is_not_a_move_and_a_bad_one_is_a_clear_error() -> None:
    alignment = ViewAlignment(AlignmentConfig(), reference_image=street(), camera_id="cam-x")
    assert alignment.check(np.zeros((H, W, 3), np.uint8), 1.0) == []
    assert not alignment.suspended
    with pytest.raises(ValueError, match="camera cam-x: alignment needs an H x W x 3"):
        alignment.check(np.zeros((H, W), np.uint8), 2.0)


def test_every_alignment_setting_is_described() -> None:
    assert all(f.description for f in AlignmentConfig.model_fields.values())
