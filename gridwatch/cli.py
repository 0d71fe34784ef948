"""The `gridwatch` command."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from gridwatch.cli_options import DEFAULT_CONFIG, ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig, load_camera, load_config

app = typer.Typer(
    name="gridwatch",
    help="City CCTV → case-ready city-management alerts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Check and document configuration files.", no_args_is_help=True)
app.add_typer(config_app, name="config")



def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def site_config(path: Path | None) -> GridwatchConfig:
    """The site config at ``path``, the default file when present, or the embedded defaults."""
    if path is None:
        return load_config(DEFAULT_CONFIG) if DEFAULT_CONFIG.is_file() else GridwatchConfig()
    return load_config(path)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def analyze(
    video: Annotated[Path, typer.Argument(help="Video file to analyse.")],
    camera: Annotated[Path, typer.Option("--camera", help="Camera YAML (zones and rules).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write alerts, one JSON per line.")],
    config: ConfigOption = None,
    start: Annotated[
        datetime | None, typer.Option(help="Wall-clock time of the video's start (ISO-8601 UTC).")
    ] = None,
    evidence: Annotated[
        Path | None, typer.Option(help="Snapshot folder (default: next to --out).")
    ] = None,
) -> None:
    """Run one camera's full pipeline over a video file, as fast as the machine allows."""
    from gridwatch.pipeline.replay import analyze_video
    from gridwatch.pipeline.video_file import VideoFileError

    try:
        site = site_config(config)
        cam = load_camera(camera)
        result = analyze_video(video, cam, site, out, start_time=start, evidence_dir=evidence)
    except (ConfigError, VideoFileError, ValueError) as exc:
        raise _fail(str(exc)) from None
    speed = result.video_seconds / result.wall_seconds if result.wall_seconds else 0.0
    typer.echo(
        f"{len(result.alerts)} alert(s) from {result.frames} analysed frames over "
        f"{result.video_seconds:.1f} s of video in {result.wall_seconds:.1f} s ({speed:.1f}x) → {out}"
    )


@app.command()
def api(
    config: ConfigOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Serve the HTTP API and the operator console (http://HOST:PORT/console/)."""
    import uvicorn

    from gridwatch.api.app import create_app
    from gridwatch.api.settings import ApiSettings

    try:
        site = site_config(config)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    path = config or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    uvicorn.run(create_app(ApiSettings(config=path), site=site), host=host, port=port)


@config_app.command("check")
def config_check(
    path: Annotated[Path, typer.Argument(help="Site config or camera YAML.")],
    camera: Annotated[bool, typer.Option("--camera", help="The file is one camera.")] = False,
) -> None:
    """Validate a config file; print every problem with its file, line and key."""
    try:
        if camera:
            cam = load_camera(path)
            typer.echo(f"ok: camera {cam.id} ({cam.display_url}), {len(cam.zones)} zone(s)")
        else:
            site = load_config(path)
            typer.echo(f"ok: {len(site.cameras)} camera(s), detectors: {', '.join(site.detectors)}")
    except ConfigError as exc:
        raise _fail(str(exc)) from None


@config_app.command("schema")
def config_schema() -> None:
    """Print the JSON schema of the site config (every field documented)."""
    typer.echo(json.dumps(GridwatchConfig.model_json_schema(), indent=2, ensure_ascii=False))


def _register_subcommands() -> None:
    from gridwatch.api.commands import register as register_users
    from gridwatch.cases.commands import register as register_cases
    from gridwatch.cluster.commands import register as register_cluster
    from gridwatch.evaluation.commands import register as register_eval
    from gridwatch.pipeline.commands import register as register_pipeline
    from gridwatch.queue.commands import register as register_queue
    from gridwatch.registry.commands import register as register_registry
    from gridwatch.sim.commands import register as register_sim
    from gridwatch.sim.serve_command import register as register_simulate
    from gridwatch.store.commands import register as register_store
    from gridwatch.training.commands import register as register_training

    register_pipeline(app, site_config, _fail)
    register_registry(app, site_config, _fail)
    register_cluster(app, site_config, _fail)
    register_store(app, site_config, _fail)
    register_cases(app, site_config, _fail)
    register_queue(app, site_config, _fail)
    register_sim(app)
    register_simulate(app)
    register_training(app)
    register_eval(app)
    register_users(app, site_config, _fail)


_register_subcommands()
