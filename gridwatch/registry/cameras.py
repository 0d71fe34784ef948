"""Registry records → CameraConfig, with zones (and detector) from the camera YAML of the same id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gridwatch.config.models import CameraConfig, SamplingConfig
from gridwatch.registry.record import CameraRecord


def to_camera(record: CameraRecord, yaml_camera: CameraConfig | None = None) -> CameraConfig:
    sampling: dict[str, Any] = {"interval_s": record.interval_s}
    if record.mode and "mode" in SamplingConfig.model_fields:
        sampling["mode"] = record.mode
    data: dict[str, Any] = {
        "id": record.id, "name": record.name, "url": record.url, "street": record.street,
        "grid": record.grid, "sampling": sampling, "enabled": record.enabled,
    }
    if yaml_camera is not None:
        data["zones"] = [z.model_dump() for z in yaml_camera.zones]
        data["detector"] = yaml_camera.detector
    return CameraConfig.model_validate(data)


def merged_cameras(
    records: Iterable[CameraRecord], yaml_cameras: Sequence[CameraConfig]
) -> list[CameraConfig]:
    """One CameraConfig per record; a YAML camera with the same id lends its zones."""
    by_id = {c.id: c for c in yaml_cameras}
    return [to_camera(r, by_id.get(r.id)) for r in records]
