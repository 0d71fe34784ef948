"""API settings from the environment (GRIDWATCH_*), loaded by the app factory, not at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Where the API finds the site configuration."""

    model_config = SettingsConfigDict(env_prefix="GRIDWATCH_", extra="forbid")

    config: Path | None = Field(
        None, description="Site config YAML; unset: the embedded defaults."
    )
