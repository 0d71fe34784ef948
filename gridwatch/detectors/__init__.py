"""Detector plugins: configs dispatch on ``type``; ``build_detector`` returns a ``Detector``."""

from gridwatch.detectors.base import Detector, DetectorConfig, ModelError
from gridwatch.detectors.registry import (
    AnyDetectorConfig,
    build_detector,
    known_types,
    load_plugins,
    parse_detector_config,
    register,
)

__all__ = [
    "AnyDetectorConfig",
    "Detector",
    "DetectorConfig",
    "ModelError",
    "build_detector",
    "known_types",
    "load_plugins",
    "parse_detector_config",
    "register",
]
