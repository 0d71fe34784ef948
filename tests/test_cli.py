from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gridwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_config_check_ok() -> None:
    result = runner.invoke(app, ["config", "check", str(ROOT / "configs" / "gridwatch.yaml")])
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output


def test_config_check_camera_hides_password() -> None:
    path = ROOT / "configs" / "examples" / "camera.yaml"
    result = runner.invoke(app, ["config", "check", "--camera", str(path)])
    assert result.exit_code == 0, result.output
    assert "viewer:***@" in result.output and "change-me" not in result.output


def test_config_check_reports_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "site.yaml"
    bad.write_text("redis:\n  urll: x\ncameras:\n  - id: a\n    url: 'ftp://h/x'\n")
    result = runner.invoke(app, ["config", "check", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: redis.urll: Extra inputs are not permitted" in result.output
    assert f"{bad}:5: cameras[0].url:" in result.output and "unsupported scheme" in result.output


def test_config_schema_documents_every_field() -> None:
    result = runner.invoke(app, ["config", "schema"])
    schema = json.loads(result.output)
    undocumented = [
        f"{name}.{field}"
        for name, model in schema["$defs"].items()
        for field, spec in model.get("properties", {}).items()
        if "description" not in spec
    ]
    assert not undocumented
