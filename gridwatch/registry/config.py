"""Registry settings (the `registry` section of the site config)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class RegistryConfig(BaseModel):
    """Where the camera registry lives."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    path: Path | None = Field(
        None, description="Registry SQLite file; default `<store.data_dir>/registry.sqlite`."
    )
    use_for_run: bool = Field(
        True, description="`gridwatch worker` reads its cameras from the registry when it has any."
    )

    def file(self, data_dir: Path) -> Path:
        return self.path or data_dir / "registry.sqlite"
