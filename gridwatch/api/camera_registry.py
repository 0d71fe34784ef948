"""The site's cameras as the API serves them, and zone edits written back to camera files.

Zones are persisted by rewriting the camera's own YAML file (the one ``camera_files`` includes)
atomically: the file is re-read, its ``zones`` key replaced, the whole camera validated exactly as
the loader validates it, the previous version kept as ``<file>.bak``, and the new text renamed
into place. Comments in that file are not kept (a header line says it was written by the API).
Cameras defined inline in the site file, or a site without a config file, cannot be edited.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from gridwatch.config.loader import ConfigError, load_camera
from gridwatch.config.models import CameraConfig, GridwatchConfig, ZoneConfig


class UnknownCamera(KeyError):
    pass


class ZonesNotEditable(RuntimeError):
    """The camera has no file of its own to write zones to."""


def camera_sources(site: GridwatchConfig, config_path: Path | None) -> dict[str, Path]:
    """Camera id → the file it came from, by the same globs the loader follows."""
    if config_path is None:
        return {}
    base = config_path.resolve().parent
    found: dict[str, Path] = {}
    for pattern in site.camera_files:
        for match in sorted(base.glob(pattern)):
            try:
                found.setdefault(load_camera(match).id, match)
            except ConfigError:
                continue
    return found


class CameraRegistry:
    def __init__(self, site: GridwatchConfig, config_path: Path | None) -> None:
        self._cameras = {camera.id: camera for camera in site.cameras}
        self._sources = camera_sources(site, config_path)
        self._lock = threading.Lock()

    def all(self) -> list[CameraConfig]:
        return list(self._cameras.values())

    def get(self, camera_id: str) -> CameraConfig:
        try:
            return self._cameras[camera_id]
        except KeyError:
            raise UnknownCamera(camera_id) from None

    def source_of(self, camera_id: str) -> Path | None:
        return self._sources.get(camera_id)

    def replace_zones(self, camera_id: str, zones: list[ZoneConfig]) -> CameraConfig:
        """Validate ``zones`` as the camera's whole zone list and write them to its file.

        Raises ``pydantic.ValidationError`` (for example two zones with one name) and writes
        nothing in that case."""
        self.get(camera_id)
        path = self._sources.get(camera_id)
        if path is None:
            raise ZonesNotEditable(
                f"camera {camera_id!r} is not defined in a file of its own (camera_files); its "
                "zones can only be changed in the site config"
            )
        with self._lock:
            raw = _read_mapping(path)
            raw["zones"] = [zone.model_dump(mode="json", exclude_none=True) for zone in zones]
            camera = CameraConfig.model_validate(raw)
            _write_atomically(path, raw)
            self._cameras[camera_id] = camera
        return camera


def _read_mapping(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ZonesNotEditable(f"{path.name} is not a mapping any more; fix it by hand")
    return data


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    text = f"# written by the gridwatch API at {stamp} (zones edited in the console)\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, tmp)
        shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
