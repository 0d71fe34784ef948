"""Detector plugins by type name (Frigate-style): configs dispatch on ``type``.

A plugin module registers its detector class with ``@register("name", ConfigClass)`` when it is
imported; ``load_plugins`` imports the modules in ``PLUGIN_MODULES`` on first use, so a plugin
whose runtime is not installed only fails when it is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, SerializeAsAny

from gridwatch.detectors.base import Detector, DetectorConfig

PLUGIN_MODULES: tuple[str, ...] = (
    "gridwatch.detectors.onnx_yolo",
    "gridwatch.detectors.openvino_yolo",
    "gridwatch.detectors.ultralytics_pt",
)

DetectorT = TypeVar("DetectorT", bound=type[Detector])


@dataclass(frozen=True, slots=True)
class Plugin:
    """One registered detector type."""

    config_cls: type[DetectorConfig]
    detector_cls: type[Detector]


_PLUGINS: dict[str, Plugin] = {}


def register(type_name: str, config_cls: type[DetectorConfig]) -> Callable[[DetectorT], DetectorT]:
    """Class decorator: make ``type_name`` build the decorated detector from ``config_cls``."""

    def decorate(detector_cls: DetectorT) -> DetectorT:
        known = _PLUGINS.get(type_name)
        if known is not None and known.detector_cls is not detector_cls:
            raise ValueError(f"detector type {type_name!r} is already registered")
        _PLUGINS[type_name] = Plugin(config_cls=config_cls, detector_cls=detector_cls)
        return detector_cls

    return decorate


def load_plugins() -> None:
    """Import the built-in plugin modules (each registers itself); cheap after the first call."""
    for module in PLUGIN_MODULES:
        importlib.import_module(module)


def known_types() -> list[str]:
    """The registered detector type names, sorted."""
    load_plugins()
    return sorted(_PLUGINS)


def _plugin(type_name: str) -> Plugin:
    load_plugins()
    if type_name not in _PLUGINS:
        raise ValueError(f"unknown detector type {type_name!r}; known types: {known_types()}")
    return _PLUGINS[type_name]


def parse_detector_config(raw: Mapping[str, Any] | DetectorConfig) -> DetectorConfig:
    """Validate a detector config mapping with its plugin's config class, chosen by ``type``.

    An unknown or missing ``type`` raises ``ValueError``; bad fields raise pydantic's
    ``ValidationError``. An already-built config is returned as is.
    """
    if isinstance(raw, DetectorConfig):
        return raw
    if not isinstance(raw, Mapping):
        raise ValueError(f"a detector config must be a mapping, got {type(raw).__name__}")
    type_name = raw.get("type")
    if not isinstance(type_name, str):
        raise ValueError(f"a detector config needs a string 'type'; known types: {known_types()}")
    return _plugin(type_name).config_cls.model_validate(dict(raw))


def build_detector(config: DetectorConfig, base_dir: Path | None = None) -> Detector:
    """Build the detector ``config`` describes; relative paths resolve against ``base_dir``."""
    plugin = _plugin(config.type)
    if not isinstance(config, plugin.config_cls):
        config = plugin.config_cls.model_validate(config.model_dump())
    return plugin.detector_cls.from_config(config, base_dir)


# Use in a parent config model: ``detectors: dict[str, AnyDetectorConfig]``; validation dispatches
# on ``type`` and ``model_dump()`` keeps every field of the plugin's config.
AnyDetectorConfig = Annotated[SerializeAsAny[DetectorConfig], BeforeValidator(parse_detector_config)]
