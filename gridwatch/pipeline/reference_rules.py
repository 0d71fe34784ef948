"""Reference rules (manhole_* with ``reference: true``): each cover against the reference image.

Fed on static scans only. One ``CoverReference`` per zone with such rules, built from the
camera's ``reference_image`` (read once). A scan's verdict for a cover is one state (present,
missing, damaged, displaced or unknown); each rule is present when the verdict is its
incident with at least the rule's ``min_confidence`` and repeats the previous scan's with the
same dark pixels (``CoverVerdict.steady_after``: a moving passer-by does not). While the
cover is hidden (``unknown``: a passer-by or a car in front of it) the last judged scan's
state stands for up to ``HOLD_S`` seconds (an open hole stays open behind someone's legs;
a sound cover stays sound), then every rule counts it absent. A frame the reference cannot
judge (another aspect ratio: the camera was swapped or reconfigured) is logged as an error
once, in ``problems``, and counts as absent; the camera's other rules go on.
"""

from __future__ import annotations

import logging

from gridwatch.alerts.zones import Observation
from gridwatch.analysers.cover_reference import (
    CoverReference,
    CoverReferenceError,
    CoverVerdict,
)
from gridwatch.config.models import CameraConfig, ZoneConfig
from gridwatch.types import Image

log = logging.getLogger(__name__)

HOLD_S = 3.0  # how long a hidden cover keeps its last judged state

INCIDENT_OF_VERDICT = {
    "missing": "manhole_missing",
    "damaged": "manhole_damaged",
    "displaced": "manhole_displaced",
}


class ReferenceRules:
    """Observations of one camera's reference-based cover rules on each scan."""

    def __init__(self, camera: CameraConfig, image: Image | None) -> None:
        """``image``: the camera's reference view (BGR), read once by the caller; None when the
        camera has no ``reference_image``."""
        self.camera_id = camera.id
        self.zones: list[ZoneConfig] = [z for z in camera.zones if any(r.uses_reference for r in z.rules)]
        self.covers: dict[str, CoverReference] = {}
        if not self.zones:
            return
        if image is None:
            raise CoverReferenceError(f"camera {camera.id!r}: reference rules need a reference_image")
        for zone in self.zones:
            try:
                self.covers[zone.name] = CoverReference(image, zone.polygon)
            except CoverReferenceError as exc:
                raise CoverReferenceError(f"camera {camera.id!r} zone {zone.name!r}: {exc}") from None
        self.last: dict[str, CoverVerdict] = {}  # the latest verdict per zone
        self._judged: dict[str, CoverVerdict] = {}  # the latest verdict that saw the cover
        self._held: dict[str, tuple[str | None, float, float]] = {}  # incident, confidence, t
        self.problems: dict[str, str] = {}  # zone → why its cover cannot be judged (logged once)

    def observe(self, image: Image, t: float) -> list[Observation]:
        """One observation per reference rule for the scan (BGR frame) at epoch seconds ``t``."""
        out = []
        for zone in self.zones:
            try:
                verdict = self.covers[zone.name].judge(image)
            except CoverReferenceError as exc:  # a frame of another view: the other rules go on
                self._problem(zone.name, f"camera {self.camera_id!r} zone {zone.name!r}: {exc}")
                out += [Observation(zone.name, r.incident, False) for r in zone.rules if r.uses_reference]
                continue
            self.last[zone.name] = verdict
            seen, confidence = self._seen(zone.name, verdict, t)
            for rule in zone.rules:
                if not rule.uses_reference:
                    continue
                if seen == rule.incident and confidence >= rule.min_confidence:
                    out.append(Observation(zone.name, rule.incident, True, confidence, verdict.bbox, 1))
                else:
                    out.append(Observation(zone.name, rule.incident, present=False))
        return out

    def _seen(self, zone: str, verdict: CoverVerdict, t: float) -> tuple[str | None, float]:
        """The incident this scan shows (None: none) and its confidence. A hidden cover
        (``unknown``) keeps what the last judged scan showed for up to ``HOLD_S``."""
        if verdict.state == "unknown":
            held = self._held.get(zone)
            if held is not None and 0.0 <= t - held[2] <= HOLD_S:
                return held[0], held[1]
            return None, 0.0
        steady = verdict.steady_after(self._judged.get(zone))
        self._judged[zone] = verdict
        seen = INCIDENT_OF_VERDICT.get(verdict.state) if steady else None
        self._held[zone] = (seen, verdict.confidence, t)
        return seen, verdict.confidence

    def _problem(self, zone: str, message: str) -> None:
        if self.problems.get(zone) != message:
            log.error("%s; its reference rules see nothing until the view matches", message)
        self.problems[zone] = message
