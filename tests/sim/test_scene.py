"""The scene renderer: determinism, ground truth boxes, and what state changes look like."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.sim.scene import LabelledBox, SceneRenderer, random_scene
from gridwatch.sim.spec import SceneSpec
from gridwatch.types import Image

W, H = 640, 360


def scene(seed: int, randomise: bool = False, **kw: int) -> SceneSpec:
    return random_scene(np.random.default_rng(seed), W, H, randomise=randomise, **kw)


def pixel_box(box: tuple[float, float, float, float], grow: int = 0) -> tuple[slice, slice]:
    x1, y1, x2, y2 = box
    return (
        slice(max(0, int(y1 * H) - grow), min(H, int(np.ceil(y2 * H)) + grow)),
        slice(max(0, int(x1 * W) - grow), min(W, int(np.ceil(x2 * W)) + grow)),
    )


def luminance(image: Image) -> np.ndarray:
    return np.asarray(image.astype(np.float32).mean(axis=2))


def test_same_seed_same_scene_and_frames() -> None:
    a, b = scene(3), scene(3)
    assert a == b
    image_a, boxes_a = SceneRenderer(a).render(4.2, {"cover-0": "missing"})
    image_b, boxes_b = SceneRenderer(b).render(4.2, {"cover-0": "missing"})
    assert np.array_equal(image_a, image_b)
    assert boxes_a == boxes_b


def test_different_seeds_differ() -> None:
    image_a, _ = SceneRenderer(scene(3)).render(0.0)
    image_b, _ = SceneRenderer(scene(4)).render(0.0)
    assert np.abs(image_a.astype(int) - image_b.astype(int)).mean() > 10


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("randomise", [False, True])
def test_boxes_inside_frame_and_sized_for_a_320px_model(seed: int, randomise: bool) -> None:
    renderer = SceneRenderer(scene(seed, randomise))
    image, _ = renderer.render(1.0)
    assert image.shape == (H, W, 3) and image.dtype == np.uint8
    all_bad = {c.id: "missing" for c in renderer.spec.covers} | {s.id: "bare" for s in renderer.spec.soils}
    boxes = renderer.boxes(all_bad)
    assert len(boxes) == len(renderer.objects) >= 1
    for box in boxes:
        x1, y1, x2, y2 = box.bbox
        assert 0.0 <= x1 < x2 <= 1.0 and 0.0 <= y1 < y2 <= 1.0
        if box.class_name == "manhole_open":
            assert 25 <= (x2 - x1) * W <= 65 and (y2 - y1) * H >= 11.5


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ({}, {"cover-0": "manhole_cover", "cover-1": "manhole_cover"}),
        ({"cover-0": "missing"}, {"cover-0": "manhole_open", "cover-1": "manhole_cover"}),
        (
            {"cover-1": "damaged", "soil-0": "bare"},
            {"cover-0": "manhole_cover", "cover-1": "manhole_damaged", "soil-0": "bare_soil"},
        ),
        ({"soil-0": "covered"}, {"cover-0": "manhole_cover", "cover-1": "manhole_cover"}),
    ],
)
def test_classes_follow_states(states: dict[str, str], expected: dict[str, str]) -> None:
    renderer = SceneRenderer(scene(5, n_covers=2, n_soil=1))
    _, boxes = renderer.render(0.0, states)
    assert {b.object_id: b.class_name for b in boxes} == expected


@pytest.mark.parametrize(
    ("states", "message"),
    [
        ({"cover-9": "missing"}, "no object"),
        ({"cover-0": "bare"}, "unknown"),
        ({"soil-0": "missing"}, "unknown"),
    ],
)
def test_bad_states_are_refused(states: dict[str, str], message: str) -> None:
    renderer = SceneRenderer(scene(5, n_covers=1, n_soil=1))
    with pytest.raises(ValueError, match=message):
        renderer.render(0.0, states)


def _box(boxes: list[LabelledBox], object_id: str) -> tuple[float, float, float, float]:
    return next(b.bbox for b in boxes if b.object_id == object_id)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_missing_cover_is_a_dark_hole_and_changes_nothing_else(seed: int) -> None:
    renderer = SceneRenderer(scene(seed, n_covers=1, n_soil=0))
    before, boxes = renderer.render(7.0)
    after, _ = renderer.render(7.0, {"cover-0": "missing"})
    rows, cols = pixel_box(_box(boxes, "cover-0"))
    assert luminance(after[rows, cols]).mean() < luminance(before[rows, cols]).mean() - 15
    changed = np.abs(after.astype(int) - before.astype(int)).max(axis=2) > 0
    grown_rows, grown_cols = pixel_box(_box(boxes, "cover-0"), grow=4)
    inside = changed[grown_rows, grown_cols].sum()
    assert inside > 50
    assert changed.sum() == inside


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_net_is_green_and_bare_soil_is_brown(seed: int) -> None:
    renderer = SceneRenderer(scene(seed, n_covers=1, n_soil=1))
    covered, _ = renderer.render(0.0)
    bare, boxes = renderer.render(0.0, {"soil-0": "bare"})
    rows, cols = pixel_box(_box(boxes, "soil-0"))

    def green_minus_red(image: Image) -> float:
        patch = image[rows, cols].astype(np.float32)
        return float((patch[..., 1] - patch[..., 2]).mean())

    assert green_minus_red(covered) > green_minus_red(bare) + 15
    assert green_minus_red(bare) < 0


def test_frames_change_over_time_but_boxes_do_not() -> None:
    renderer = SceneRenderer(scene(8))
    first, boxes_first = renderer.render(0.0)
    later, boxes_later = renderer.render(30.0)
    assert boxes_first == boxes_later
    assert not np.array_equal(first, later)
    assert np.abs(first.astype(int) - later.astype(int)).mean() < 40
