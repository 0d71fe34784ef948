"""Per-frame labelled boxes rebuilt from a clip's truth, checked against the renderer's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridwatch.evaluation.frame_truth import boxes_at, has_box_truth
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import clip_truth


@pytest.mark.parametrize(
    ("scenario", "seed"), [("cover_replaced", 9401), ("mixed", 9402), ("quiet", 9403)]
)
def test_boxes_at_equal_what_the_renderer_labels(scenario: str, seed: int) -> None:
    chosen = named_scenario(scenario, seed, 30.0)
    renderer = SceneRenderer(chosen.scene())
    truth = clip_truth(chosen, renderer, Path("x.mp4"), 10, 2.0, 300)
    assert has_box_truth(truth)
    for t in [0.0, 9.9, 10.0, 15.0, 19.99, 20.0, 22.5, 22.6, 29.9]:
        want = sorted((b.class_name, b.bbox) for b in renderer.boxes(chosen.states_at(t)))
        got = sorted(boxes_at(truth, t))
        assert [n for n, _ in got] == [n for n, _ in want], t
        for (_, g), (_, w) in zip(got, want, strict=True):
            assert g == pytest.approx(w, abs=1e-4)


def test_truth_without_objects_has_no_box_truth() -> None:
    assert not has_box_truth({"incidents": []})
    assert not has_box_truth({"incidents": [], "objects": [{"id": "p", "kind": "person"}]})
