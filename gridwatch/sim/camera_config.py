"""Camera configs for simulated clips: zones and rules from a clip's ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gridwatch.config.models import CameraConfig

# Default rule parameters per incident for simulated cameras.
RULE_DEFAULTS: dict[str, dict[str, float]] = {
    "manhole_missing": {"min_seconds": 3.0, "clear_seconds": 5.0, "min_confidence": 0.4},
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
) -> CameraConfig:
    """A camera whose zones are the truth's zones, each with a rule per incident it can have."""
    zones = [
        {
            "name": zone["name"],
            "polygon": zone["polygon"],
            "rules": [
                {"incident": incident, **RULE_DEFAULTS.get(incident, {})}
                for incident in zone["incidents"]
            ],
        }
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
        }
    )


def write_camera_yaml(camera: CameraConfig, path: Path) -> Path:
    """Write ``camera`` as a camera file (``gridwatch analyze --camera``)."""
    data = camera.model_dump(mode="json", exclude_defaults=False)
    data["url"] = camera.url.get_secret_value()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
