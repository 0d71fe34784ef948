"""The bare-soil segmenter on rendered street scenes (bare earth vs dust netting) and its edges."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.analysers.soil_cover import boxes_mask, measure, polygon_mask
from gridwatch.sim.scene import SceneRenderer, random_scene

THRESHOLD = 0.2  # the share a zone rule would ask for


def soil_cases(seeds: range) -> list[tuple[SceneRenderer, list[tuple[float, float]], np.ndarray]]:
    """Scenes with a visible soil patch: (renderer, zone = patch box + 10 %, model box = patch box)."""
    cases = []
    for seed in seeds:
        try:
            spec = random_scene(np.random.default_rng(seed), 640, 360, randomise=True)
        except RuntimeError:
            continue
        renderer = SceneRenderer(spec)
        soil = next((o for o in renderer.objects if o.kind == "soil_patch"), None)
        if soil is None:
            continue
        x1, y1, x2, y2 = soil.bbox
        if (x2 - x1) * (y2 - y1) < 0.002:
            continue
        mx, my = (x2 - x1) * 0.1, (y2 - y1) * 0.1
        a, b, c, d = max(0, x1 - mx), max(0, y1 - my), min(1, x2 + mx), min(1, y2 + my)
        cases.append((renderer, [(a, b), (c, b), (c, d), (a, d)], np.array([soil.bbox], np.float32)))
    return cases


@pytest.fixture(scope="module")
def shares() -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"bare": [], "covered": [], "net_when_covered": []}
    for renderer, zone, box in soil_cases(range(200, 240)):
        for state in ("bare", "covered"):
            image, _ = renderer.render(30.0, {s.id: state for s in renderer.spec.soils})
            cover = measure(image, polygon_mask(zone, 640, 360), box)
            out[state].append(cover.bare_share)
            if state == "covered":
                out["net_when_covered"].append(cover.net_share)
    return out


def test_enough_scenes(shares: dict[str, list[float]]) -> None:
    assert len(shares["bare"]) >= 20


def test_bare_earth_fills_the_zone(shares: dict[str, list[float]]) -> None:
    bare = np.asarray(shares["bare"])
    assert np.mean(bare >= THRESHOLD) >= 0.9, bare.round(2)
    assert np.median(bare) > 0.4


def test_netting_inside_the_models_box_does_not_count(shares: dict[str, list[float]]) -> None:
    covered = np.asarray(shares["covered"])
    assert np.mean(covered < THRESHOLD) >= 0.9, covered.round(2)
    assert np.median(covered) < 0.05
    assert np.median(shares["net_when_covered"]) > 0.3


def test_nothing_counts_outside_the_models_boxes() -> None:
    renderer, zone, _ = soil_cases(range(200, 210))[0]
    image, _ = renderer.render(30.0, {s.id: "bare" for s in renderer.spec.soils})
    cover = measure(image, polygon_mask(zone, 640, 360), np.zeros((0, 4), np.float32))
    assert (cover.bare_share, cover.bbox) == (0.0, None)


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        ([[0.0, 0.0, 0.5, 0.5]], 50 * 25),
        ([[0.0, 0.0, 0.5, 0.5], [0.25, 0.25, 0.75, 0.75]], 50 * 25 * 2 - 25 * 12),
        ([[-1.0, -1.0, 2.0, 2.0]], 100 * 50),
    ],
)
def test_boxes_mask_area(boxes: list[list[float]], expected: int) -> None:
    assert int(boxes_mask(np.asarray(boxes, np.float32), 100, 50).sum()) == pytest.approx(expected, abs=60)


def test_polygon_mask_covers_its_share() -> None:
    mask = polygon_mask([(0.0, 0.0), (0.5, 0.0), (0.5, 1.0), (0.0, 1.0)], 200, 100)
    assert mask.mean() == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize("shape", [(10, 10), (10, 10, 4), (10, 10, 1)])
def test_non_bgr_images_are_rejected(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="BGR"):
        measure(np.zeros(shape, np.uint8), np.ones((10, 10), bool), np.zeros((0, 4), np.float32))


def test_zone_mask_of_another_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="does not match"):
        measure(np.zeros((10, 10, 3), np.uint8), np.ones((5, 5), bool), np.zeros((0, 4), np.float32))
