"""`gridwatch users`: password from the environment (never argv), stored only as a hash."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gridwatch.api.security.roles import Role
from gridwatch.api.security.users import UserStore
from gridwatch.cli import app


def test_users_add_list_apikey_remove(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    runner = CliRunner()
    env = {"GRIDWATCH_PASSWORD": "hall-pass-2026"}
    added = runner.invoke(app, ["users", "add", "li.wei", "--role", "supervisor",
                                "--users-file", str(users)], env=env)
    assert added.exit_code == 0, added.output
    assert "hall-pass-2026" not in users.read_text()
    assert UserStore(users).authenticate("li.wei", "hall-pass-2026") == Role.SUPERVISOR
    again = runner.invoke(app, ["users", "add", "li.wei", "--role", "viewer",
                                "--users-file", str(users)], env=env)
    assert again.exit_code == 2 and "exists already" in again.output
    key = runner.invoke(app, ["users", "apikey", "li.wei", "--users-file", str(users)]).output.strip()
    assert key.startswith("gwk_") and key not in users.read_text()
    assert "li.wei\tsupervisor" in runner.invoke(app, ["users", "list", "--users-file", str(users)]).output
    assert runner.invoke(app, ["users", "remove", "li.wei", "--users-file", str(users)]).exit_code == 0
    assert UserStore(users).resolve_api_key(key) is None
