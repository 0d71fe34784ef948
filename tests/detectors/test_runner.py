"""The detector runner: batched results equal per-frame ones, crops, and the wait/size policy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from gridwatch.alerts.persistence import iou
from gridwatch.config.models import GridwatchConfig
from gridwatch.detectors.base import Detector
from gridwatch.detectors.crops import capped, region_of, to_frame, window_of
from gridwatch.detectors.registry import build_detector
from gridwatch.detectors.runner import BatchQueue, CropRegion, Job, detect_jobs
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.types import Detections, Image


@pytest.fixture(scope="module")
def detector() -> Detector:
    return build_detector(GridwatchConfig().detectors["default"])


@pytest.fixture(scope="module")
def frames() -> list[Image]:
    """Street views from three scenes, with and without an open manhole, in two sizes."""
    out: list[Image] = []
    for seed in (11, 12, 13):
        renderer = SceneRenderer(named_scenario("cover_missing", seed, 30.0).scene())
        out.append(renderer.render(1.0, {})[0])
        out.append(renderer.render(2.0, {"cover-0": "missing"})[0])
    out.append(np.asarray(cv2.resize(out[1], (960, 540))))
    return out


def assert_same(got: Detections | ValueError, want: Detections) -> None:
    assert isinstance(got, Detections), got
    assert got.class_id.tolist() == want.class_id.tolist()
    np.testing.assert_allclose(got.xyxy, want.xyxy, atol=1e-4)
    np.testing.assert_allclose(got.confidence, want.confidence, atol=1e-4)


@pytest.mark.parametrize("max_batch", [1, 3, 16])
def test_batched_results_equal_per_frame_detect(
    detector: Detector, frames: list[Image], max_batch: int
) -> None:
    singles = [detector.detect([image])[0] for image in frames]
    assert sum(len(d) for d in singles) >= len(frames), "the model should see the covers"
    order = [4, 0, 6, 2, 5, 1, 3]  # any order: results follow their jobs, not their positions
    jobs = [Job(i, frames[i]) for i in order]
    results = detect_jobs(detector, jobs, RunnerConfig(max_batch=max_batch))
    assert len(results) == len(jobs)
    for job, result in zip(jobs, results, strict=True):
        assert_same(result, singles[job.key])


@pytest.mark.parametrize("bad", [np.zeros((0, 10, 3), np.uint8), np.zeros((8, 8, 3), np.float32), "x"])
def test_a_bad_frame_spoils_only_its_own_job(detector: Detector, frames: list[Image], bad: Any) -> None:
    jobs = [Job(0, frames[1]), Job(1, bad, ((0.1, 0.1, 0.2, 0.2),)), Job(2, frames[3])]
    results = detect_jobs(detector, jobs, RunnerConfig(max_batch=2))
    assert isinstance(results[1], ValueError)
    assert_same(results[0], detector.detect([frames[1]])[0])
    assert_same(results[2], detector.detect([frames[3]])[0])


@pytest.mark.parametrize("seed", [11, 12, 16])
def test_a_zone_crop_finds_the_object_where_the_full_frame_does(detector: Detector, seed: int) -> None:
    """An open manhole detected in a crop of its zone maps back onto its true box, and merging
    the crop with the full frame keeps one box for it, not two."""
    config = RunnerConfig()
    scenario = named_scenario("cover_missing", seed, 30.0, width=1280, height=720)
    renderer = SceneRenderer(scenario.scene())
    image, boxes = renderer.render(2.0, {"cover-0": "missing"})
    cover = next(o for o in renderer.objects if o.id == "cover-0")
    truth = next(b for b in boxes if b.object_id == "cover-0")
    region = region_of(cover.polygon, config.crop_margin)
    window = capped(window_of(region, 1280, 720), config.crop_max_gain)
    assert window.gain() == pytest.approx(config.crop_max_gain, rel=0.01)
    (in_crop,) = detector.detect([window.cut(image)])
    mapped = to_frame(in_crop, window).with_classes(["manhole_open"])
    (full,) = detector.detect([image])
    full_open = full.with_classes(["manhole_open"])
    assert len(mapped) == 1 and len(full_open) == 1
    box = tuple(mapped.xyxy[0].tolist())
    assert iou(box, tuple(full_open.xyxy[0].tolist())) > 0.7 and iou(box, truth.bbox) > 0.4
    (merged,) = detect_jobs(detector, [Job(0, image, (region,))], config)
    assert isinstance(merged, Detections)
    opens = merged.with_classes(["manhole_open"])
    assert sum(iou(tuple(b.tolist()), truth.bbox) > 0.3 for b in opens.xyxy) == 1


class Recorder(Detector):
    """Pure-logic stand-in for the policy tests: one box per image, its width in x2."""

    names = ("thing",)

    def __init__(self) -> None:
        self.calls: list[int] = []

    @classmethod
    def from_config(cls, config: Any, base_dir: Path | None = None) -> Recorder:
        return cls()

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        self.calls.append(len(images))
        return [
            Detections(
                np.array([[0, 0, im.shape[1] / 10000, 0.1]], np.float32),
                np.array([0.9], np.float32),
                np.array([0], np.int64),
                self.names,
            )
            for im in images
        ]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def image(width: int = 64) -> Image:
    return np.zeros((48, width, 3), np.uint8)


def queue(max_batch: int, max_wait_s: float) -> tuple[BatchQueue[int], Recorder, Clock]:
    recorder, clock = Recorder(), Clock()
    config = RunnerConfig(max_batch=max_batch, max_wait_s=max_wait_s, crop_min_gain=1.0)
    return BatchQueue(recorder, config, clock), recorder, clock


@pytest.mark.parametrize(
    ("added", "wait", "due"),
    [
        (0, 10.0, False),  # nothing to run
        (3, 0.0, False),  # 3 of 4, just added
        (3, 0.99, False),  # 3 of 4, not waited long enough
        (3, 1.0, True),  # the oldest has waited max_wait_s
        (4, 0.0, True),  # full
        (1, 1.5, True),
    ],
)
def test_a_batch_is_due_when_full_or_waited_long_enough(added: int, wait: float, due: bool) -> None:
    q, recorder, clock = queue(max_batch=4, max_wait_s=1.0)
    for i in range(added):
        q.add(Job(i, image()))
    clock.now += wait
    assert q.due() is due
    results = q.run()
    assert [job.key for job, _ in results] == (list(range(added)) if due else [])
    assert recorder.calls == ([added] if due else [])


def test_the_wait_counts_from_the_oldest_job() -> None:
    q, recorder, clock = queue(max_batch=10, max_wait_s=1.0)
    q.add(Job("old", image()))
    clock.now += 0.6
    q.add(Job("new", image()))
    clock.now += 0.5  # old has waited 1.1 s, new 0.5 s
    assert [job.key for job, _ in q.run()] == ["old", "new"] and recorder.calls == [2]


def test_max_wait_zero_runs_at_once() -> None:
    q, recorder, _ = queue(max_batch=8, max_wait_s=0.0)
    q.add(Job(0, image()))
    assert q.due() and len(q.run()) == 1 and recorder.calls == [1]


@pytest.mark.parametrize(
    ("regions_per_job", "max_batch", "batches"),
    [
        ([0, 0, 0, 0, 0], 2, [[0, 1], [2, 3], [4]]),
        ([1, 0, 0, 2], 3, [[0, 1], [2], [3]]),  # crops count as images: 2+1, then 1+3 > 3
        ([4, 0], 3, [[0], [1]]),  # a job larger than a batch runs alone
        ([0, 1, 0], 8, [[0, 1, 2]]),
    ],
)
def test_batches_take_the_oldest_jobs_up_to_max_batch_images(
    regions_per_job: list[int], max_batch: int, batches: list[list[int]]
) -> None:
    q, recorder, _ = queue(max_batch=max_batch, max_wait_s=0.0)
    region = (0.0, 0.0, 0.5, 0.5)
    for key, n in enumerate(regions_per_job):
        q.add(Job(key, image(), (region,) * n))
    assert q.pending_images == sum(1 + n for n in regions_per_job)
    got = []
    while len(q):
        got.append([job.key for job, _ in q.run(force=True)])
    assert got == batches and q.pending_images == 0
    assert sum(recorder.calls) == sum(1 + n for n in regions_per_job)


def test_drain_runs_everything_in_batches_and_maps_each_result_to_its_job() -> None:
    q, recorder, _ = queue(max_batch=2, max_wait_s=10.0)
    widths = [40, 50, 60, 70, 80]
    for w in widths:
        q.add(Job(w, image(w)))
    results = q.drain()
    assert [job.key for job, _ in results] == widths and recorder.calls == [2, 2, 1]
    for job, result in results:
        assert isinstance(result, Detections)
        assert result.xyxy[0, 2] == pytest.approx(job.key / 10000)


class CropBoxes(Detector):
    """Logic stand-in: no box on the full frame, ``BOXES`` (crop-normalised) on any crop."""

    names = ("manhole_cover", "bare_soil")
    BOXES = (  # x1, y1, x2, y2, class id
        (0.40, 0.40, 0.60, 0.60, 0),  # the cover, in the zone
        (0.40, 0.40, 0.60, 0.60, 1),  # "soil" on the cover: not a class of the zone
        (0.05, 0.05, 0.20, 0.20, 0),  # a cover in the crop but outside the zone
        (0.00, 0.30, 0.30, 0.70, 0),  # cut by the crop's edge
    )

    @classmethod
    def from_config(cls, config: Any, base_dir: Path | None = None) -> CropBoxes:
        return cls()

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        out = []
        for image in images:
            rows = self.BOXES if image.shape[:2] != (720, 1280) else ()
            arr = np.asarray(rows, dtype=np.float32).reshape(-1, 5)
            out.append(Detections(arr[:, :4], np.full(len(arr), 0.9, np.float32),
                                  arr[:, 4].astype(np.int64), self.names))
        return out


@pytest.mark.parametrize(("classes", "zone", "kept"), [
    (None, None, [0, 1, 0]),  # a bare region: every whole box
    (("manhole_cover",), None, [0, 0]),
    (None, ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)), [0, 1]),
    (("manhole_cover",), ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)), [0]),
])
def test_a_zone_crop_adds_only_its_classes_centred_in_its_zone(
    classes: tuple[str, ...] | None, zone: tuple[tuple[float, float], ...] | None, kept: list[int]
) -> None:
    image = np.zeros((720, 1280, 3), np.uint8)
    region = CropRegion((0.4, 0.4, 0.6, 0.6), zone, classes)
    config = RunnerConfig(crop_margin=0.0, crop_merge_iou=0.99)
    (merged,) = detect_jobs(CropBoxes(), [Job(0, image, (region,))], config)
    assert isinstance(merged, Detections)
    assert sorted(merged.class_id.tolist()) == sorted(kept)
