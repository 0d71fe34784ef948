"""`gridwatch run` and `gridwatch demo`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from gridwatch.cli_options import ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig

SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]



def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    @app.command()
    def run(
        config: ConfigOption = None,
        duration: Annotated[
            float | None, typer.Option(help="Stop after this many seconds (default: run until Ctrl-C).")
        ] = None,
    ) -> None:
        """Run a live worker over every enabled camera of the site config."""
        from gridwatch.pipeline.live import run_live

        try:
            site = load_site(config)
        except ConfigError as exc:
            raise fail(str(exc), 2) from None
        if not site.cameras:
            raise fail("the config has no cameras (add camera_files or cameras)", 2)
        run_live(site, site.cameras, duration_s=duration)

    @app.command()
    def demo(
        config: ConfigOption = None,
        duration: Annotated[float, typer.Option(help="Seconds to run the live part.")] = 70.0,
        workdir: Annotated[Path, typer.Option(help="Where clips, outbox and evidence go.")] = Path(
            "var/demo"
        ),
        api_port: Annotated[int, typer.Option(
            help="Port of the API and operator console on 127.0.0.1 (0: no API).")] = 8080,
        hold: Annotated[bool, typer.Option(
            help="Keep the console up after the cameras stop, until Ctrl-C.")] = False,
    ) -> None:
        """Full demo: simulated RTSP cameras → worker → Redis dispatch stream → case service
        (store, escalation) → API and operator console; alerts printed as they land."""
        from gridwatch.demo import run_demo

        try:
            site = load_site(config)
        except ConfigError as exc:
            raise fail(str(exc), 2) from None
        raise typer.Exit(run_demo(site, workdir, duration, api_port, hold))
