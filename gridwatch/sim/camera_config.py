"""Camera configs for simulated clips: zones and rules from a clip's ground truth.

With a ``reference_image`` (``write_reference``: the clip's scene in its incident-free state
at t=0, no passers-by), every cover zone watches all three manhole incidents with
``reference: true`` rules; without one, its truth incidents with model-based rules. With
``crop_covers`` cover zones are also detected on their own crops (``crop: true``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import yaml

from gridwatch.config.incidents import REFERENCE_INCIDENTS
from gridwatch.config.models import CameraConfig
from gridwatch.sim.scenarios import Scenario
from gridwatch.sim.scene import SceneRenderer

# Default rule parameters per incident for simulated cameras.
RULE_DEFAULTS: dict[str, dict[str, float]] = {
    "manhole_missing": {"min_seconds": 3.0, "clear_seconds": 5.0, "min_confidence": 0.4},
    "manhole_damaged": {"min_seconds": 3.0, "clear_seconds": 5.0, "min_confidence": 0.4},
    "manhole_displaced": {"min_seconds": 3.0, "clear_seconds": 5.0, "min_confidence": 0.4},
    "bare_soil": {"min_seconds": 5.0, "clear_seconds": 10.0, "min_confidence": 0.4},
}


def camera_from_truth(
    truth: dict[str, Any],
    camera_id: str,
    url: str,
    *,
    street: str = "",
    grid: str = "",
    interval_s: float = 0.5,
    reference_image: Path | None = None,
    crop_covers: bool = False,
) -> CameraConfig:
    """A camera whose zones are the truth's zones, each with a rule per incident it can have
    (cover zones: all three manhole incidents against ``reference_image`` when given)."""
    zones = [
        {"name": zone["name"], "polygon": zone["polygon"], "rules": _rules(zone, reference_image),
         "crop": crop_covers and _is_cover(zone)}
        for zone in truth["zones"]
        if zone["incidents"]
    ]
    return CameraConfig.model_validate(
        {
            "id": camera_id,
            "name": f"simulated {truth.get('scenario', '')} (seed {truth.get('seed', '?')})",
            "url": url,
            "street": street,
            "grid": grid,
            "sampling": {"interval_s": interval_s},
            "zones": zones,
            "reference_image": None if reference_image is None else str(reference_image),
        }
    )


def _is_cover(zone: dict[str, Any]) -> bool:
    return any(i in REFERENCE_INCIDENTS for i in zone["incidents"])


def _rules(zone: dict[str, Any], reference_image: Path | None) -> list[dict[str, Any]]:
    incidents = list(zone["incidents"])
    if reference_image is None or not any(i in REFERENCE_INCIDENTS for i in incidents):
        return [{"incident": i, **RULE_DEFAULTS.get(i, {})} for i in incidents]
    return [
        {"incident": i, "reference": True, **RULE_DEFAULTS.get(i, {})} for i in sorted(REFERENCE_INCIDENTS)
    ]


def write_reference(scenario: Scenario, path: Path) -> Path:
    """The camera's reference image for ``scenario``: every object in its normal state, light
    at t=0, no passers-by (what an operator would pick as the healthy view)."""
    renderer = SceneRenderer(scenario.scene())
    image = renderer.light.apply(renderer.static_view({}), 0.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), image):
        raise OSError(f"could not write the reference image {path}")
    return path


def write_camera_yaml(camera: CameraConfig, path: Path) -> Path:
    """Write ``camera`` as a camera file (``gridwatch analyze --camera``)."""
    data = camera.model_dump(mode="json", exclude_defaults=False)
    data["url"] = camera.url.get_secret_value()
    ref = camera.reference_image
    if ref is not None and ref.parent.resolve() == path.parent.resolve():
        data["reference_image"] = ref.name  # relative to the camera file: the suite can move
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
