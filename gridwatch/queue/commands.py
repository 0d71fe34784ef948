"""`gridwatch forward`: the reference consumer of the cases stream."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr

from gridwatch.cli_options import ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig

SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]


def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    @app.command()
    def forward(
        url: Annotated[str, typer.Option("--url", help="City platform endpoint (http/https).")],
        secret_env: Annotated[
            str, typer.Option("--secret-env", help="Environment variable holding the HMAC secret.")
        ],
        config: ConfigOption = None,
        duration: Annotated[
            float | None, typer.Option(help="Stop after this many seconds (default: until Ctrl-C).")
        ] = None,
    ) -> None:
        """POST every dispatched case to URL as signed JSON (see gridwatch/queue/signature.py)."""
        from gridwatch.queue.forward import run_forwarder

        if not url.startswith(("http://", "https://")):
            raise fail(f"--url must be an http:// or https:// URL, got {url!r}", 2)
        secret = os.environ.get(secret_env, "")
        if not secret:
            raise fail(f"environment variable {secret_env} (--secret-env) is not set or empty", 2)
        try:
            site = load_site(config)
        except ConfigError as exc:
            raise fail(str(exc), 2) from None
        sent = run_forwarder(site, url, SecretStr(secret), duration)
        typer.echo(f"forwarded {sent} case(s)")
