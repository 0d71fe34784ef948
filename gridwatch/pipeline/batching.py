"""Batched analysis for a live worker: frames of all its cameras → one detector call per batch.

``submit`` queues a camera's frame (with its zone crops) on the queue of that camera's detector;
``run_due`` runs the batches that are full or have waited ``runner.max_wait_s`` and hands each
frame's detections to its own camera's ``CameraPipeline.analyse``. A frame its camera's gate
says needs no detection (no motion, no scan due) skips the queue and is analysed at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from gridwatch.detectors.runner import BatchQueue, Clock, Job, Result
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.pipeline.gating import Plan
from gridwatch.types import Frame

log = logging.getLogger(__name__)

Key = tuple[CameraPipeline, Frame, Plan]


@dataclass(frozen=True, slots=True)
class Progress:
    """What a ``run_due`` call did."""

    frames: int = 0
    alerts: int = 0


class BatchedAnalysis:
    """One ``BatchQueue`` per detector; results go back to the pipeline that sent the frame."""

    def __init__(self, config: RunnerConfig, clock: Clock = time.monotonic) -> None:
        self.config = config
        self.clock = clock
        self._queues: dict[int, BatchQueue[Key]] = {}

    @property
    def pending(self) -> int:
        """Frames waiting for their batch."""
        return sum(len(q) for q in self._queues.values())

    def submit(self, pipeline: CameraPipeline, frame: Frame) -> None:
        plan = pipeline.plan(frame)
        if not plan.detect:
            pipeline.analyse(frame, None, plan)
            return
        queue = self._queues.get(id(pipeline.detector))
        if queue is None:
            queue = BatchQueue(pipeline.detector, self.config, self.clock)
            self._queues[id(pipeline.detector)] = queue
        queue.add(Job((pipeline, frame, plan), frame.image, pipeline.crop_regions))

    def run_due(self) -> Progress:
        """Run every batch that is due now."""
        done: list[tuple[Job[Key], Result]] = []
        for queue in self._queues.values():
            while queue.due():
                done.extend(queue.run())
        return self._deliver(done)

    def drain(self) -> Progress:
        """Run everything still queued (at shutdown)."""
        return self._deliver([r for q in self._queues.values() for r in q.drain()])

    @staticmethod
    def _deliver(results: Iterable[tuple[Job[Key], Result]]) -> Progress:
        frames = alerts = 0
        for job, result in results:
            pipeline, frame, plan = job.key
            if isinstance(result, ValueError):  # a frame the detector cannot use: skip it
                log.warning("camera %s: frame %d skipped: %s", pipeline.camera.id, frame.index, result)
                continue
            frames += 1
            alerts += len(pipeline.analyse(frame, result, plan))
        return Progress(frames, alerts)
