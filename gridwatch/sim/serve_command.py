"""``gridwatch simulate``: serve clips as RTSP cameras until interrupted."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer


def _parse_clip(spec: str) -> tuple[str, Path]:
    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        raise typer.BadParameter(f"{spec!r}: use NAME=PATH, e.g. cam1=clips/cover.mp4")
    if not Path(path).is_file():
        raise typer.BadParameter(f"{spec!r}: no such file {path}")
    return name, Path(path)


def simulate(
    clip: Annotated[list[str], typer.Option(help="NAME=PATH of an H.264 MP4; repeat per camera.")],
    port: Annotated[int, typer.Option(help="RTSP port (0: a free one).")] = 8554,
    user: Annotated[str | None, typer.Option(help="Require this RTSP user.")] = None,
    password: Annotated[
        str | None, typer.Option(help="…with this password.", envvar="GRIDWATCH_SIM_PASSWORD")
    ] = None,
) -> None:
    """Serve looping clips as rtsp://127.0.0.1:PORT/NAME (GStreamer RTSP server) until Ctrl-C."""
    from gridwatch.sim.simulator import CameraSimulator

    clips = dict(_parse_clip(spec) for spec in clip)
    credentials = (user, password) if user and password else None
    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        with CameraSimulator(clips, port=port, credentials=credentials) as sim:
            for name in clips:
                typer.echo(f"serving {sim.url(name, with_credentials=False)}")
            try:
                while not done.wait(1.0):
                    if not sim.running:
                        typer.secho(f"the RTSP server stopped: {sim.log_tail(400)}", err=True)
                        raise typer.Exit(1)
            except KeyboardInterrupt:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
