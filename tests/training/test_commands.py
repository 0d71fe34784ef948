"""``gridwatch dataset`` through typer."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from gridwatch.training import commands


def test_dataset_command_writes_a_dataset(tmp_path: Path) -> None:
    cli = typer.Typer()
    commands.register(cli)
    out = tmp_path / "ds"
    result = CliRunner().invoke(
        cli, ["dataset", str(out), "--train", "2", "--val", "1", "--seed", "4", "--imgsz", "128"]
    )
    assert result.exit_code == 0, result.output
    assert len(list((out / "images" / "train").glob("*.jpg"))) == 2
    assert len(list((out / "labels" / "val").glob("*.txt"))) == 1
    assert (out / "data.yaml").is_file() and (out / "dataset.json").is_file()
