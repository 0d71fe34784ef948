"""``gridwatch generate SCENARIO OUT.mp4``: a simulated CCTV clip with its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def generate(
    scenario: Annotated[
        str, typer.Argument(help="quiet, cover_missing, soil_uncovered, cover_replaced or mixed.")
    ],
    out: Annotated[Path, typer.Argument(help="Clip to write (.mp4); the truth goes beside it.")],
    seed: Annotated[int, typer.Option(help="Scene seed (camera, street, objects, light).")] = 0,
    duration: Annotated[float, typer.Option(help="Clip length in seconds.")] = 60.0,
    fps: Annotated[int, typer.Option(help="Frames per second.")] = 10,
    gop: Annotated[float, typer.Option(help="Seconds between keyframes.")] = 2.0,
    width: Annotated[int, typer.Option(help="Frame width (even).")] = 640,
    height: Annotated[int, typer.Option(help="Frame height (even).")] = 360,
) -> None:
    """Render a scripted scenario to H.264 MP4 and write <name>.truth.json beside it."""
    from gridwatch.sim.clip import render_clip
    from gridwatch.sim.scenarios import named_scenario
    from gridwatch.sim.truth import truth_path

    try:
        chosen = named_scenario(scenario, seed, duration, width=width, height=height)
        clip = render_clip(chosen, out, fps=fps, gop_s=gop)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"wrote {clip} and {truth_path(clip)}")


def register(app: typer.Typer) -> None:
    """Add ``generate`` to the ``gridwatch`` command."""
    app.command("generate")(generate)
