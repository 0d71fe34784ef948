"""`gridwatch db upgrade` / `gridwatch db current` on a real SQLite file and a closed port."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gridwatch.cli import app
from tests.store.test_engine import _closed_port


def _site(tmp_path: Path, store_yaml: str) -> Path:
    config = tmp_path / "site.yaml"
    config.write_text(f"store: {store_yaml}\n", encoding="utf-8")
    return config


def test_upgrade_then_current(tmp_path: Path) -> None:
    config = _site(tmp_path, "{data_dir: var}")
    runner = CliRunner()
    before = runner.invoke(app, ["db", "current", "--config", str(config)])
    assert before.exit_code == 0, before.output
    assert "revision (none)" in before.output and "run `gridwatch db upgrade`" in before.output
    upgraded = runner.invoke(app, ["db", "upgrade", "--config", str(config)])
    assert upgraded.exit_code == 0, upgraded.output
    assert (tmp_path / "var" / "gridwatch.sqlite").is_file()
    after = runner.invoke(app, ["db", "current", "--config", str(config)])
    assert "(up to date)" in after.output


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://gw:Hidden42@127.0.0.1:{_closed_port()}/gw"
    config = _site(tmp_path, f"{{database_url: '{url}'}}")
    result = CliRunner().invoke(app, ["db", "upgrade", "--config", str(config)])
    assert result.exit_code == 2
    assert "store unavailable at postgresql+psycopg://gw:***@127.0.0.1" in result.output
    assert "Hidden42" not in result.output
