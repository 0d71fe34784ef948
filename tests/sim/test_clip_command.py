"""``gridwatch generate`` through typer, as the CLI wires it."""

from __future__ import annotations

from pathlib import Path

import av
import typer
from typer.testing import CliRunner

from gridwatch.sim import commands
from gridwatch.sim.truth import load_truth


def app() -> typer.Typer:
    cli = typer.Typer()
    commands.register(cli)
    cli.command("noop")(lambda: None)  # two commands, so "generate" stays a subcommand
    return cli


def test_generate_writes_clip_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "quiet.mp4"
    args = [
        "generate",
        "soil_uncovered",
        str(out),
        "--seed",
        "3",
        "--duration",
        "3",
        "--fps",
        "5",
        "--gop",
        "1",
    ]
    result = CliRunner().invoke(app(), args)
    assert result.exit_code == 0, result.output
    truth = load_truth(out)
    assert (truth["fps"], truth["frames"], truth["seed"]) == (5, 15, 3)
    assert [i["incident"] for i in truth["incidents"]] == ["bare_soil"]
    with av.open(str(out)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 15


def test_generate_rejects_an_unknown_scenario(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["generate", "flood", str(tmp_path / "x.mp4")])
    assert result.exit_code != 0
    assert "unknown scenario" in result.output
    assert not (tmp_path / "x.mp4").exists()
