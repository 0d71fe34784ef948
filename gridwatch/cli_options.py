"""Options shared by several `gridwatch` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_CONFIG = Path("configs/gridwatch.yaml")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="Site config YAML (default: configs/gridwatch.yaml if present)."
    ),
]
