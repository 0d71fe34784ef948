"""The detector runner: frames of many cameras in batches, zone crops, results back to each camera.

A ``Job`` is one frame with the normalised regions (zone crops) to detect on besides the whole
frame, and a ``key`` saying whom the answer goes to. A region that names its zone
(``CropRegion.zone``, ``classes``) adds only the boxes of its classes centred in that zone: the
crop is the zone's.
``detect_jobs`` runs a list of jobs through one detector in calls of at most ``max_batch``
images and returns one merged ``Detections`` per job (or that frame's ``ValueError``: one bad
frame spoils only its own job). ``BatchQueue`` holds jobs until a batch is full or the oldest
has waited ``max_wait_s`` (the clock is injectable).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from gridwatch.detectors.base import Detector
from gridwatch.detectors.crops import (
    CropWindow,
    NormBox,
    capped,
    merge,
    to_frame,
    whole_in_crop,
    window_of,
)
from gridwatch.detectors.frames import as_bgr
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.geometry import points_in_polygon
from gridwatch.types import Detections, Image

K = TypeVar("K")
Clock = Callable[[], float]
Result = Detections | ValueError


@dataclass(frozen=True, slots=True)
class CropRegion:
    """A zone's region to detect on besides the whole frame (normalised frame coordinates)."""

    box: NormBox
    zone: tuple[tuple[float, float], ...] | None = None  # keep the crop's boxes centred in it
    classes: tuple[str, ...] | None = None  # and of these classes (None: any)


@dataclass(frozen=True, slots=True)
class Job(Generic[K]):
    """Detect on ``image`` (and on each of ``regions`` cropped from it) for ``key``."""

    key: K
    image: Image
    regions: tuple[NormBox | CropRegion, ...] = ()


Crop = tuple[CropWindow, CropRegion]


def crop_windows(image: Image, regions: Sequence[NormBox | CropRegion], config: RunnerConfig) -> list[Crop]:
    """The crop windows of ``regions`` (zoom capped at ``crop_max_gain``) worth running: those
    enlarging their region at least ``crop_min_gain`` times; each with its region."""
    height, width = int(image.shape[0]), int(image.shape[1])
    crops = []
    for r in regions:
        region = r if isinstance(r, CropRegion) else CropRegion(r)
        window = capped(window_of(region.box, width, height), config.crop_max_gain)
        if window.gain() >= config.crop_min_gain:
            crops.append((window, region))
    return crops


def _expand(job: Job[K], config: RunnerConfig) -> tuple[list[object], list[Crop]]:
    try:
        image = as_bgr(job.image)
    except ValueError:
        return [job.image], []  # detect_each reports it in this job's slot
    crops = crop_windows(image, job.regions, config)
    return [image, *(w.cut(image) for w, _ in crops)], crops


def detect_jobs(detector: Detector, jobs: Sequence[Job[K]], config: RunnerConfig) -> list[Result]:
    """One result per job: full-frame boxes merged with its crops' boxes mapped back."""
    images: list[object] = []
    plans: list[tuple[int, list[Crop]]] = []
    for job in jobs:
        parts, crops = _expand(job, config)
        plans.append((len(images), crops))
        images.extend(parts)
    raw: list[Result] = []
    for start in range(0, len(images), config.max_batch):
        raw.extend(detector.detect_each(images[start : start + config.max_batch]))
    return [_combine(raw[first : first + 1 + len(crops)], crops, config) for first, crops in plans]


def _combine(raw: Sequence[Result], crops: Sequence[Crop], config: RunnerConfig) -> Result:
    full = raw[0]
    if isinstance(full, ValueError):
        return full
    parts = [full]
    for result, (window, region) in zip(raw[1:], crops, strict=True):
        if isinstance(result, Detections):  # a crop of a good frame is a good frame
            found = to_frame(whole_in_crop(result, window), window)
            if region.classes is not None:
                found = found.with_classes(region.classes)
            if region.zone is not None and len(found):
                found = found[points_in_polygon(found.centers, region.zone)]
            parts.append(found)
    return merge(parts, config.crop_merge_iou)


def images_of(job: Job[K], config: RunnerConfig) -> int:
    """How many images ``job`` sends to the detector (its frame plus the crops worth running)."""
    try:
        return 1 + len(crop_windows(as_bgr(job.image), job.regions, config))
    except ValueError:
        return 1


class BatchQueue(Generic[K]):
    """Jobs for one detector, run when ``max_batch`` images wait or the oldest is ``max_wait_s`` old."""

    def __init__(self, detector: Detector, config: RunnerConfig, clock: Clock = time.monotonic) -> None:
        self.detector = detector
        self.config = config
        self.clock = clock
        self._pending: deque[tuple[float, int, Job[K]]] = deque()
        self._images = 0

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending_images(self) -> int:
        return self._images

    def add(self, job: Job[K]) -> None:
        count = images_of(job, self.config)
        self._pending.append((self.clock(), count, job))
        self._images += count

    def due(self) -> bool:
        """Whether a batch should run now: full, or its oldest job has waited long enough."""
        if not self._pending:
            return False
        waited = self.clock() - self._pending[0][0]
        return self._images >= self.config.max_batch or waited >= self.config.max_wait_s

    def run(self, *, force: bool = False) -> list[tuple[Job[K], Result]]:
        """Run one batch if due (or ``force``): oldest jobs first, up to ``max_batch`` images
        (a job with more crops than that runs alone). Returns each job with its result."""
        if not self._pending or not (force or self.due()):
            return []
        batch: list[Job[K]] = []
        images = 0
        while self._pending and (not batch or images + self._pending[0][1] <= self.config.max_batch):
            _, count, job = self._pending.popleft()
            batch.append(job)
            images += count
        self._images -= images
        return list(zip(batch, detect_jobs(self.detector, batch, self.config), strict=True))

    def drain(self) -> list[tuple[Job[K], Result]]:
        """Run everything still waiting, in batches."""
        out: list[tuple[Job[K], Result]] = []
        while self._pending:
            out.extend(self.run(force=True))
        return out
