"""Configuration: one pydantic tree loaded from YAML."""

from gridwatch.config.loader import ConfigError, ConfigProblem, load_camera, load_config
from gridwatch.config.models import (
    CameraConfig,
    GridwatchConfig,
    IncidentCategory,
    RuleConfig,
    ZoneConfig,
)

__all__ = [
    "CameraConfig",
    "ConfigError",
    "ConfigProblem",
    "GridwatchConfig",
    "IncidentCategory",
    "RuleConfig",
    "ZoneConfig",
    "load_camera",
    "load_config",
]
