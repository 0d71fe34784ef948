"""View alignment: zones follow a slightly moved camera; a badly moved one suspends its rules.

A ``ViewAlignment`` keeps one camera's reference view (the camera's reference image when it has
one, else the average of its first ``reference_samples`` scans) and, on every scan, measures how
the view lies against it (``gridwatch.ingest.view_check``: phase correlation on a grey copy):

- inside ``dead_band_px``: the view is where it was; the scan refreshes the reference slowly;
- a small shift (below ``max_shift_share`` of the width): it is a translation by the offset;
  ``boxes_to_reference`` and ``image_to_reference`` undo it, so rules see the zones' geometry;
- a large shift or no match (``match_min``): the camera's rules are suspended from that scan on,
  and after ``confirm_scans`` such scans in a row the episode is reported once (``moved``);
- the view matches again: the rules resume (``resumed``). A view that stays put in its new
  place for ``relearn_s`` becomes the reference there (``relearned``) and the rules resume.

The offset holds between scans: frames that are not scans use the last one measured. A black
or uniform picture is not measured (camera health reports it as tampered).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from gridwatch.config.analysis import AlignmentConfig
from gridwatch.ingest.view_check import (
    ViewReference,
    ViewShift,
    ViewStats,
    measure_shift,
    shift_size,
    view_stats,
)
from gridwatch.types import Detections, Image

log = logging.getLogger(__name__)
UNIFORM_STD = 4.0  # a grey copy this flat (a black or covered picture) shows no view to align


class AlignmentEvent(StrEnum):
    SUSPENDED = "suspended"  # a large shift: rules pause from this scan
    MOVED = "moved"  # the large shift is confirmed: report it (once per episode)
    RESUMED = "resumed"  # the view matches the reference again
    RELEARNED = "relearned"  # the view settled elsewhere: new reference, rules resume


@dataclass(frozen=True, slots=True)
class Change:
    """What one scan changed: ``event`` at epoch seconds ``t``, in the episode since
    ``episode_t``, with the shift that scan measured (None: no reference to measure against)."""

    event: AlignmentEvent
    t: float
    episode_t: float
    shift: ViewShift | None


class ViewAlignment:
    """One camera's view against its reference (see the module docstring)."""

    def __init__(
        self, config: AlignmentConfig, reference_image: Image | None = None, camera_id: str = ""
    ) -> None:
        self.config = config
        self.camera_id = camera_id
        self.reference = ViewReference(config)
        if reference_image is not None:
            self.reference.adopt(self._stats(reference_image))
        self.offset: tuple[float, float] = (0.0, 0.0)  # full-frame pixels, scene right and down
        self.shift: ViewShift | None = None  # what the last scan measured
        self.suspended = False
        self._episode_t: float | None = None
        self._large_scans = 0
        self._reported = False
        self._settled: tuple[ViewStats, float] | None = None  # the new view and since when

    def _stats(self, image: Image) -> ViewStats:
        if image.ndim != 3 or image.shape[2] != 3 or image.shape[0] < 8 or image.shape[1] < 8:
            raise ValueError(f"camera {self.camera_id}: alignment needs an H x W x 3 BGR image "
                             f"of at least 8 x 8 pixels, got shape {image.shape}")
        return view_stats(image, min(self.config.width, int(image.shape[1])))

    def check(self, image: Image, t: float) -> list[Change]:
        """Measure one scan (``image`` at epoch seconds ``t``); the changes it caused."""
        stats = self._stats(image)
        if stats.std < UNIFORM_STD:  # black or blank: camera health's business, not a move
            return []
        ref = self.reference.gray
        if not self.reference.ready or ref is None or ref.shape != stats.gray.shape:
            if ref is not None and ref.shape != stats.gray.shape:
                log.warning("camera %s: the frame size changed; learning a new reference view",
                            self.camera_id)
                self.reference = ViewReference(self.config)
            self.reference.learn(stats)
            return self._matched(None, (0.0, 0.0), t)
        shift = measure_shift(ref, stats)
        self.shift = shift
        width = stats.scale * stats.gray.shape[1]
        c = self.config
        size = shift_size(shift, width, c.match_min, c.dead_band_px, c.max_shift_share)
        if size == "large":
            return self._large(stats, shift, t)
        if size is None:
            self.reference.learn(stats)
            return self._matched(shift, (0.0, 0.0), t)
        return self._matched(shift, (shift.dx, shift.dy), t)

    def _matched(self, shift: ViewShift | None, offset: tuple[float, float], t: float
                 ) -> list[Change]:
        self.offset = offset
        self._large_scans, self._settled = 0, None
        if not self.suspended:
            return []
        return [self._resume(AlignmentEvent.RESUMED, shift, t)]

    def _resume(self, event: AlignmentEvent, shift: ViewShift | None, t: float) -> Change:
        episode_t = self._episode_t if self._episode_t is not None else t
        self.suspended, self._episode_t, self._reported = False, None, False
        log.info("camera %s: view %s after %.0f s; rules resume", self.camera_id, event,
                 t - episode_t)
        return Change(event, t, episode_t, shift)

    def _large(self, stats: ViewStats, shift: ViewShift, t: float) -> list[Change]:
        changes = []
        self._large_scans += 1
        if not self.suspended:
            self.suspended, self._episode_t, self._reported = True, t, False
            log.info("camera %s: view moved (offset %.1f, %.1f px, match %.2f); rules suspended",
                     self.camera_id, shift.dx, shift.dy, shift.match)
            changes.append(Change(AlignmentEvent.SUSPENDED, t, t, shift))
        episode_t = self._episode_t if self._episode_t is not None else t
        if not self._reported and self._large_scans >= self.config.confirm_scans:
            self._reported = True
            changes.append(Change(AlignmentEvent.MOVED, t, episode_t, shift))
        if self._settled_for(stats, t) >= (self.config.relearn_s or float("inf")):
            self.reference = ViewReference(self.config)
            self.reference.adopt(stats)
            self.offset, self._large_scans, self._settled = (0.0, 0.0), 0, None
            changes.append(self._resume(AlignmentEvent.RELEARNED, shift, t))
        return changes

    def _settled_for(self, stats: ViewStats, t: float) -> float:
        """Seconds the view has stayed put where it is now (0 on the first scan there)."""
        if self._settled is not None:
            first, since = self._settled
            c = self.config
            still = measure_shift(first.gray, stats)
            width = stats.scale * stats.gray.shape[1]
            if shift_size(still, width, c.match_min, c.dead_band_px, c.max_shift_share) is None:
                return t - since
        self._settled = (stats, t)
        return 0.0

    @property
    def shifted(self) -> bool:
        """Whether frames must be brought back to the reference geometry."""
        return self.offset != (0.0, 0.0)

    def boxes_to_reference(self, detections: Detections, width: int, height: int) -> Detections:
        """``detections`` (normalised to a ``width`` x ``height`` frame) moved back by the
        offset into the reference view's coordinates, clipped to the frame."""
        if not self.shifted or not len(detections):
            return detections
        dx, dy = self.offset[0] / width, self.offset[1] / height
        moved = np.clip(detections.xyxy - np.array([dx, dy, dx, dy], np.float32), 0.0, 1.0)
        return Detections(moved.astype(np.float32), detections.confidence, detections.class_id,
                          detections.names, detections.tracker_id)

    def image_to_reference(self, image: Image) -> Image:
        """``image`` moved back by the offset (edges repeated where the view lacks pixels)."""
        if not self.shifted:
            return image
        matrix = np.array([[1, 0, -self.offset[0]], [0, 1, -self.offset[1]]], np.float32)
        h, w = image.shape[:2]
        warped = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
        return np.asarray(warped, dtype=np.uint8)
