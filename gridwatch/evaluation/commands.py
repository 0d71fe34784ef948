"""``gridwatch eval SUITE_DIR`` and ``gridwatch eval make-suite OUT``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from gridwatch.cli_options import ConfigOption


class _RunByDefault(TyperGroup):
    """``gridwatch eval SUITE_DIR`` means ``gridwatch eval run SUITE_DIR``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: typer's click Context
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


eval_app = typer.Typer(
    cls=_RunByDefault,
    help="Score the replay pipeline on a suite of clips with ground truth.",
    no_args_is_help=True,
)


def _ints(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise typer.BadParameter(f"seeds must be integers separated by commas, got {text!r}") from None


@eval_app.command("run")
def run(
    suite: Annotated[Path, typer.Argument(help="Suite folder (clips, truth, cameras).")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the report as JSON here.")] = None,
    work: Annotated[
        Path | None, typer.Option(help="Where alerts and snapshots go (default: a temporary folder).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Replay every clip of SUITE (the same pipeline as live) and score it against its truth."""
    from gridwatch.cli import _fail, site_config
    from gridwatch.config import ConfigError
    from gridwatch.evaluation.evaluate import evaluate_suite
    from gridwatch.evaluation.report import format_report
    from gridwatch.evaluation.suite import SuiteError
    from gridwatch.pipeline.video_file import VideoFileError

    try:
        site = site_config(config)
        with tempfile.TemporaryDirectory(prefix="gridwatch-eval-") as tmp:
            report = evaluate_suite(suite, site, work or Path(tmp))
    except (ConfigError, SuiteError, VideoFileError, ValueError) as exc:
        raise _fail(str(exc), 2) from None
    typer.echo(format_report(report))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(f"report → {out}")


@eval_app.command("make-suite")
def make_suite_command(
    out: Annotated[Path, typer.Argument(help="Folder to write the suite into.")],
    seeds: Annotated[str, typer.Option(help="Scene seeds, comma-separated.")] = "700001,700002,700003",
    scenarios: Annotated[
        str, typer.Option(help="Scenarios, comma-separated.")
    ] = "cover_missing,soil_uncovered,mixed,cover_replaced,quiet",
    duration: Annotated[float, typer.Option(help="Clip length in seconds.")] = 60.0,
    width: Annotated[int, typer.Option(help="Frame width (even).")] = 640,
    height: Annotated[int, typer.Option(help="Frame height (even).")] = 360,
    fps: Annotated[int, typer.Option(help="Frames per second.")] = 10,
    interval: Annotated[float, typer.Option(help="Cameras' sampling interval in seconds.")] = 0.5,
    cover_reference: Annotated[bool, typer.Option(
        help="Write each clip's reference image (its incident-free view) and judge covers against "
        "it (reference: true rules for manhole_missing/damaged/displaced); needed for the "
        "cover_damaged and cover_displaced scenarios.")] = False,
    weather: Annotated[str, typer.Option(
        help="clear, rain (streaks over a darker view) or haze (a grey veil) on every frame.")
    ] = "clear",
    crop_covers: Annotated[bool, typer.Option(
        help="Detect each cover zone on its own crop too (crop: true), as a site does for "
        "small, far covers.")] = True,
) -> None:
    """Render scenario clips on scene seeds the training never drew, with truth and cameras."""
    from gridwatch.evaluation.make_suite import make_suite

    names = [s.strip() for s in scenarios.split(",") if s.strip()]
    try:
        clips = make_suite(
            out, _ints(seeds), names, duration_s=duration, width=width, height=height, fps=fps,
            interval_s=interval, cover_reference=cover_reference, weather=weather,
            crop_covers=crop_covers,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"wrote {len(clips)} clip(s) with truth and camera files to {out}")


@eval_app.command("rules")
def rules_command(
    seeds: Annotated[
        str, typer.Option(help="Scene seeds, comma-separated.")
    ] = "910001,910002,910003,910004,910005",
    scenarios: Annotated[
        str, typer.Option(help="Scenarios, comma-separated (default: all; see --list).")
    ] = "",
    list_only: Annotated[bool, typer.Option("--list", help="List the scenarios and stop.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the report as JSON here.")] = None,
) -> None:
    """Score the dynamic rules (stalls, terraces, parking, crowds) on scripted scenes seen
    through a SIMULATED noisy detector: the rule logic, not a model, is what this measures."""
    from gridwatch.evaluation.rules_suite import evaluate_rules, format_rules_report
    from gridwatch.evaluation.track_scenarios import SCENARIOS

    if list_only:
        for name, scenario in SCENARIOS.items():
            typer.echo(f"{name:<20}{scenario.incident:<26}{scenario.duration_s / 60:g} min from "
                       f"{scenario.start:%H:%M}")
        return
    names = [s.strip() for s in scenarios.split(",") if s.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise typer.BadParameter(f"unknown scenario(s) {', '.join(unknown)}; see --list")
    report = evaluate_rules(names or None, _ints(seeds))
    typer.echo(format_rules_report(report))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(f"report → {out}")


def register(app: typer.Typer) -> None:
    """Add ``eval`` to the ``gridwatch`` command."""
    app.add_typer(eval_app, name="eval")
