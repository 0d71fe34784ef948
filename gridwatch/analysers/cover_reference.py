"""Per-cover reference: a manhole cover's live crop judged against the camera's reference image.

An operator marks a cover (a small zone drawn around the lid and its frame) on a reference
image of the camera taken while the cover was sound. Everything here is in the reference
image's pixels (a live frame of another size with the same aspect ratio is resized to it):

- the **lid** is the zone shrunk about its centroid to ``LID_SHARE`` (the zone is drawn around
  lid and frame with a margin); its bounding box is the lid box;
- the **window** is the zone's bounding box grown by ``SEAT_MARGIN`` of its size on each side:
  the seat and the paving around the cover, where a pushed-off lid is searched for;
- the **ring** is the window outside the zone: paving only. Both images are divided by their
  ring's median brightness (lighting normalisation: a day→dusk drift or a cloud scales the
  cover and its surroundings alike).

On each scan (``CoverReference.judge``):

1. **occluded**: more than ``OCCLUDED`` of the ring changed brightness by more than a factor
   ``exp(RING_CHANGE)``, or a change on the lid runs on out over the paving (``CROSSING`` of
   its pixels beyond the zone, as a person standing on the cover) → ``unknown``;
2. the lid's per-pixel brightness ratio live/reference (after normalisation): ``dark`` pixels
   are below ``DARK`` (an open shaft, a broken-out piece, an uncovered seat);
3. the reference lid box is template-matched (zero-mean normalised cross-correlation, which
   ignores gain and offset) inside the live window: ``match0`` at its own place, ``best`` at
   the best place, ``offset`` how far that is in lid sizes;
   (both on the high-passed image: texture, not the disc's outline);
4. the verdict:
   - ``missing``: at least ``MISSING_DARK`` of the lid is dark (the open shaft), or
     ``LOST_DARK`` of it and its texture is found nowhere (``best`` < ``LOST_MATCH``: a dark
     lid over a not much darker shaft);
   - ``displaced``: a crescent of the seat shows (``CRESCENT_DARK`` of the lid dark), or a
     smaller one (``MOVED_DARK``) where the template match confirms it: the lid found
     ``MIN_OFFSET`` .. ``MAX_OFFSET`` lid sizes off its seat with a clearly better match there
     (``best`` ≥ ``FOUND_MATCH`` and ``SHIFT_GAIN`` above ``match0``; confidence 1);
   - ``damaged``: the lid is in place and matches on the whole (``match0`` ≥
     ``INTACT_MATCH``) but a part of it is broken: ``BROKEN_DARK`` .. ``CRESCENT_DARK`` of it
     dark and at least ``DAMAGED_CELLS`` of its ``GRID`` x ``GRID`` cells differing strongly
     from the reference (texture correlation below ``CELL_BROKEN`` or a dark share above
     ``CELL_DARK``);
   - ``present`` otherwise.

Measured on rendered sim covers (scene seeds 11-13, 21, 31, 32 and eval seeds 700201-700203
and 700301-700304, through light drift and passers-by): dark share 0.00 present, 0.02-0.07
damaged, 0.10-0.22 displaced, 0.37-0.64 missing (the low ends: a dark lid over its shaft).
The thresholds sit between those groups; the template match settles the low ends.

``CoverVerdict.steady_after`` tells a verdict that repeats the previous scan's with the same
dark pixels; ``ReferenceRules`` counts an incident only then (a passer-by's legs on the lid
move between scans; a hole does not), at the cost of one scan of delay.

The confidence grows with how far past its threshold the deciding measure is (0.5 at the
threshold, 1 well past it); the box is always the zone's lid box, so the sightings of one
episode overlap. Single-frame verdicts can be wrong (a shadow edge, an occluder the ring test
missed); the alert engine's persistence ratio handles those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import cv2
import numpy as np
import numpy.typing as npt

from gridwatch.analysers.soil_cover import Mask
from gridwatch.types import Image

if TYPE_CHECKING:
    from gridwatch.config.models import CameraConfig

F32 = npt.NDArray[np.float32]
BBox = tuple[float, float, float, float]
Polygon = Sequence[tuple[float, float]]
CoverState = Literal["present", "missing", "damaged", "displaced", "unknown"]

LID_SHARE = 0.68  # the lid's linear size as a share of the zone's
INNER = 0.6  # the template: this middle share of the lid box
SEAT_MARGIN = 0.5  # window = zone box grown by this share of its size on each side
MIN_LID_PX = 10  # a lid box smaller than this (reference pixels) cannot be judged
ASPECT_TOLERANCE = 0.02
OCCLUDED = 0.3
CROSSING = 0.15  # share of a lid change's pixels out on the paving that makes it an occluder
RING_CHANGE = 0.35  # |log brightness ratio| above which a ring pixel changed
DARK = 0.5
MISSING_DARK = 0.4
LOST_DARK = 0.25
LOST_MATCH = 0.45
CRESCENT_DARK = 0.085
MOVED_DARK = 0.06
BROKEN_DARK = 0.015
MIN_OFFSET = 0.08
MAX_OFFSET = 0.5  # a lid found farther off than this would not leave only a small crescent
FOUND_MATCH = 0.45
SHIFT_GAIN = 0.2
INTACT_MATCH = 0.15
GRID = 4
CELL_BROKEN = 0.2
CELL_DARK = 0.15
DAMAGED_CELLS = 1
STEADY_IOU = 0.5
EPS = 0.04  # added to normalised brightness before a ratio (noise in near-black pixels)


class CoverReferenceError(ValueError):
    """A cover that cannot be judged against its reference (outside it, too small, wrong size)."""


@dataclass(frozen=True, slots=True)
class CoverVerdict:
    """What one scan shows of one cover, with the measures behind it."""

    state: CoverState
    confidence: float
    bbox: BBox  # the lid box, normalised
    dark_share: float = 0.0
    match0: float = 0.0
    best: float = 0.0
    offset: float = 0.0
    broken_cells: int = 0
    ring_changed: float = 0.0
    dark: Mask | None = field(default=None, compare=False, repr=False)  # the lid's dark pixels

    def steady_after(self, previous: CoverVerdict | None) -> bool:
        """Whether this verdict repeats ``previous`` (the scan before) with much the same dark
        pixels (IoU ≥ ``STEADY_IOU``): a broken or missing lid stays put, a passer-by moves."""
        if previous is None or previous.state != self.state:
            return False
        if self.dark is None or previous.dark is None or self.dark.shape != previous.dark.shape:
            return self.dark is None and previous.dark is None
        union = int((self.dark | previous.dark).sum())
        return union == 0 or int((self.dark & previous.dark).sum()) / union >= STEADY_IOU


@dataclass(frozen=True, slots=True)
class _Geometry:
    window: tuple[int, int, int, int]  # x0, y0, x1, y1 in reference pixels
    lid: tuple[int, int, int, int]  # lid box, relative to the window
    lid_mask: Mask  # the lid inside the lid box
    ring: Mask  # the window outside the zone
    bbox: BBox


def read_reference(path: Path) -> Image:
    """The reference image at ``path`` (BGR); ``CoverReferenceError`` if missing or unreadable."""
    if not path.is_file():
        raise CoverReferenceError(f"reference image {str(path)!r} does not exist")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None or image.size == 0:
        raise CoverReferenceError(f"reference image {str(path)!r} cannot be read as an image")
    return np.asarray(image, np.uint8)


def _poly_px(polygon: Polygon, width: int, height: int) -> npt.NDArray[np.float64]:
    return np.asarray(polygon, np.float64) * [width, height]


def _geometry(polygon: Polygon, width: int, height: int) -> _Geometry:
    pts = _poly_px(polygon, width, height)
    outside = (pts < -0.5).any() or (pts[:, 0] > width + 0.5).any() or (pts[:, 1] > height + 0.5).any()
    if pts.size == 0 or outside:
        raise CoverReferenceError("the cover zone lies (partly) outside the reference image")
    (zx0, zy0), (zx1, zy1) = pts.min(axis=0), pts.max(axis=0)
    centre = pts.mean(axis=0)
    lid_pts = centre + (pts - centre) * LID_SHARE
    (lx0, ly0), (lx1, ly1) = np.floor(lid_pts.min(axis=0)), np.ceil(lid_pts.max(axis=0))
    if min(lx1 - lx0, ly1 - ly0) < MIN_LID_PX:
        raise CoverReferenceError(
            f"the cover zone is too small to judge: its lid is {int(lx1 - lx0)}x{int(ly1 - ly0)} px "
            f"in the {width}x{height} reference image (at least {MIN_LID_PX} px a side)")
    mx, my = (zx1 - zx0) * SEAT_MARGIN, (zy1 - zy0) * SEAT_MARGIN
    wx0, wy0 = max(0, int(zx0 - mx)), max(0, int(zy0 - my))
    wx1, wy1 = min(width, int(np.ceil(zx1 + mx))), min(height, int(np.ceil(zy1 + my)))
    zone = np.zeros((wy1 - wy0, wx1 - wx0), np.uint8)
    cv2.fillPoly(zone, [np.round(pts - [wx0, wy0]).astype(np.int32)], 1)
    lid = (int(lx0) - wx0, int(ly0) - wy0, int(lx1) - wx0, int(ly1) - wy0)
    lid_mask = np.zeros((lid[3] - lid[1], lid[2] - lid[0]), np.uint8)
    cv2.fillPoly(lid_mask, [np.round(lid_pts - [lx0, ly0]).astype(np.int32)], 1)
    ring = zone == 0
    if ring.sum() < 20:
        raise CoverReferenceError("the cover zone fills the image: no paving around it to compare")
    bbox = (float(lx0 / width), float(ly0 / height), float(lx1 / width), float(ly1 / height))
    return _Geometry((wx0, wy0, wx1, wy1), lid, lid_mask.astype(bool), ring, bbox)


def _gray(image: Image, window: tuple[int, int, int, int]) -> F32:
    x0, y0, x1, y1 = window
    crop = image[y0:y1, x0:x1].astype(np.float32).mean(axis=2)
    return np.asarray(cv2.GaussianBlur(crop, (3, 3), 0), np.float32)


def _high_pass(gray: F32, sigma: float) -> F32:
    """Texture only: ``gray`` less its local mean (the lid's disc and any smooth shading go)."""
    return np.asarray(gray - cv2.GaussianBlur(gray, (0, 0), sigma), np.float32)


def _inner(lid: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The middle ``INNER`` of the lid box: lid surface only, no frame, in any lid shape."""
    x0, y0, x1, y1 = lid
    mx, my = round((x1 - x0) * (1 - INNER) / 2), round((y1 - y0) * (1 - INNER) / 2)
    return x0 + mx, y0 + my, x1 - mx, y1 - my


def _ncc(a: F32, b: F32) -> float:
    a0, b0 = a - a.mean(), b - b.mean()
    den = float(np.sqrt((a0 * a0).sum() * (b0 * b0).sum()))
    return float((a0 * b0).sum() / den) if den > 1e-6 else 0.0


def _strength(value: float, threshold: float, full: float) -> float:
    """0.5 at ``threshold``, 1 at ``full`` (either direction)."""
    span = full - threshold
    share = (value - threshold) / span if span else 1.0
    return float(np.clip(0.5 + 0.5 * share, 0.5, 1.0))


class CoverReference:
    """One cover's reference crop and the judge of live frames against it."""

    def __init__(self, reference: Image, polygon: Polygon) -> None:
        if reference.ndim != 3 or reference.shape[2] != 3 or reference.size == 0:
            raise CoverReferenceError(f"the reference must be an H x W x 3 image, got {reference.shape}")
        self.height, self.width = int(reference.shape[0]), int(reference.shape[1])
        self.geo = _geometry(polygon, self.width, self.height)
        ref = _gray(reference, self.geo.window)
        self.ref = ref / max(float(np.median(ref[self.geo.ring])), 1.0)
        x0, y0, x1, y1 = self.geo.lid
        self.sigma = max(1.0, (x1 - x0) / 12)
        self.ref_hp = _high_pass(self.ref, self.sigma)
        self.lid_hp = self.ref_hp[y0:y1, x0:x1]
        self.inner = _inner(self.geo.lid)
        ix0, iy0, ix1, iy1 = self.inner
        self.template = self.ref_hp[iy0:iy1, ix0:ix1]
        self.cells = self._cells()
        zone = cv2.dilate((~self.geo.ring).astype(np.uint8), np.ones((5, 5), np.uint8))
        self.outer: Mask = zone == 0

    def _cells(self) -> list[tuple[slice, slice]]:
        h, w = self.lid_hp.shape
        ys, xs = np.linspace(0, h, GRID + 1).astype(int), np.linspace(0, w, GRID + 1).astype(int)
        out = []
        for i in range(GRID):
            for j in range(GRID):
                cell = (slice(ys[i], ys[i + 1]), slice(xs[j], xs[j + 1]))
                if self.geo.lid_mask[cell].mean() >= 0.5:
                    out.append(cell)
        return out

    def fit(self, image: Image) -> Image:
        """``image`` at the reference's size; ``CoverReferenceError`` if its aspect ratio differs."""
        if image.ndim != 3 or image.shape[2] != 3 or image.size == 0:
            raise CoverReferenceError(f"expected an H x W x 3 BGR frame, got shape {image.shape}")
        h, w = int(image.shape[0]), int(image.shape[1])
        if (h, w) == (self.height, self.width):
            return image
        if abs((w / h) / (self.width / self.height) - 1.0) > ASPECT_TOLERANCE:
            raise CoverReferenceError(
                f"the stream's frames are {w}x{h} but the reference image is "
                f"{self.width}x{self.height}: a different aspect ratio (another camera or view?)")
        resized = cv2.resize(image, (self.width, self.height), interpolation=cv2.INTER_AREA)
        return np.asarray(resized, np.uint8)

    def judge(self, image: Image) -> CoverVerdict:
        """The cover's state in the BGR frame ``image`` (see the module docstring)."""
        geo = self.geo
        live = _gray(self.fit(image), geo.window)
        live = live / max(float(np.median(live[geo.ring])), 1.0)
        log_ratio = np.log((live + EPS) / (self.ref + EPS))
        changed = np.abs(log_ratio) > RING_CHANGE
        ring_changed = float(changed[geo.ring].mean())
        if ring_changed > OCCLUDED or self._crossing(changed):
            return CoverVerdict("unknown", 0.0, geo.bbox, ring_changed=ring_changed)
        x0, y0, x1, y1 = geo.lid
        hp = _high_pass(live, self.sigma)
        dark = (log_ratio[y0:y1, x0:x1] < np.log(DARK)) & geo.lid_mask
        dark_share = float(dark.sum() / max(int(geo.lid_mask.sum()), 1))
        scores = cv2.matchTemplate(hp, self.template, cv2.TM_CCOEFF_NORMED)
        ix0, iy0 = self.inner[:2]
        match0 = float(scores[iy0, ix0])
        _, best, _, (bx, by) = cv2.minMaxLoc(scores)
        offset = float(np.hypot(bx - ix0, by - iy0) / max(x1 - x0, y1 - y0))
        broken = self._broken_cells(hp[y0:y1, x0:x1], dark)
        state, confidence = self._classify(dark_share, match0, float(best), offset, broken)
        return CoverVerdict(state, confidence, geo.bbox, dark_share, match0, float(best), offset, broken,
                            ring_changed, dark)

    def _crossing(self, changed: Mask) -> bool:
        """Whether a change on the lid runs on out over the paving, as someone standing there
        does (a hole, a broken piece or an uncovered seat stays inside the cover's frame)."""
        count, labels = cv2.connectedComponents(changed.astype(np.uint8), connectivity=8)
        if count <= 1:
            return False
        x0, y0, x1, y1 = self.geo.lid
        on_lid = np.unique(labels[y0:y1, x0:x1][self.geo.lid_mask & changed[y0:y1, x0:x1]])
        for label in on_lid[on_lid > 0]:
            blob = labels == label
            outside = int((blob & self.outer).sum())
            if outside >= CROSSING * int(blob.sum()) and outside >= MIN_LID_PX:
                return True
        return False

    def _broken_cells(self, lid_hp: F32, dark: Mask) -> int:
        count = 0
        for cell in self.cells:
            if _ncc(lid_hp[cell], self.lid_hp[cell]) < CELL_BROKEN or dark[cell].mean() > CELL_DARK:
                count += 1
        return count

    @staticmethod
    def _classify(dark_share: float, match0: float, best: float, offset: float, broken: int
                  ) -> tuple[CoverState, float]:
        if dark_share >= MISSING_DARK or (dark_share >= LOST_DARK and best < LOST_MATCH):
            return "missing", _strength(dark_share, LOST_DARK, 0.7)
        moved = MIN_OFFSET <= offset <= MAX_OFFSET and best >= FOUND_MATCH and best - match0 >= SHIFT_GAIN
        if dark_share >= CRESCENT_DARK or (dark_share >= MOVED_DARK and moved):
            return "displaced", 1.0 if moved else _strength(dark_share, CRESCENT_DARK, 0.3)
        if dark_share >= BROKEN_DARK and match0 >= INTACT_MATCH and broken >= DAMAGED_CELLS:
            return "damaged", _strength(dark_share, BROKEN_DARK, 0.08)
        return "present", _strength(match0, 0.0, 1.0)


def reference_problems(camera: CameraConfig) -> list[str]:
    """Why ``camera``'s reference-based cover rules cannot run (empty when they can): no or an
    unreadable ``reference_image``, or a cover zone outside it or too small to judge."""
    zones = [z for z in camera.zones if any(r.uses_reference for r in z.rules)]
    if not zones:
        return []
    where = f"camera {camera.id!r}"
    if camera.reference_image is None:
        names = ", ".join(repr(z.name) for z in zones)
        return [f"{where}: zone(s) {names} have rules with reference: true but the camera has "
                "no reference_image"]
    try:
        image = read_reference(camera.reference_image)
    except CoverReferenceError as exc:
        return [f"{where}: {exc}"]
    out = []
    for zone in zones:
        try:
            _geometry(zone.polygon, int(image.shape[1]), int(image.shape[0]))
        except CoverReferenceError as exc:
            out.append(f"{where} zone {zone.name!r}: {exc}")
    return out
