"""`gridwatch users ...`: manage console users and API keys (passwords never on the command line)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from gridwatch.api.security.roles import Role
from gridwatch.api.security.users import UserStore
from gridwatch.cli_options import ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig

PASSWORD_ENV = "GRIDWATCH_PASSWORD"
UsersFile = Annotated[
    Path | None, typer.Option("--users-file", help="Default: <data_dir>/users.json.")
]
SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]


def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    users_app = typer.Typer(help="Console users and API keys.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    def store(config: Path | None, users_file: Path | None) -> UserStore:
        from gridwatch.api.app import users_path
        from gridwatch.api.settings import ApiSettings

        try:
            site = load_site(config)
        except ConfigError as exc:
            raise fail(str(exc), 2) from None
        return UserStore(users_path(ApiSettings(users_file=users_file), site))

    @users_app.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="User name.")],
        role: Annotated[Role, typer.Option("--role", help="viewer, operator, supervisor, admin.")],
        config: ConfigOption = None,
        users_file: UsersFile = None,
    ) -> None:
        """Add a user; the password comes from $GRIDWATCH_PASSWORD or a prompt, never argv."""
        password = os.environ.get(PASSWORD_ENV) or typer.prompt(
            f"password for {name}", hide_input=True, confirmation_prompt=True
        )
        users = store(config, users_file)
        try:
            users.add_user(name, role, password)
        except ValueError as exc:
            raise fail(str(exc), 2) from None
        typer.echo(f"added {name} ({role.value}) to {users.path}")

    @users_app.command("remove")
    def remove(
        name: Annotated[str, typer.Argument(help="User name.")],
        config: ConfigOption = None,
        users_file: UsersFile = None,
    ) -> None:
        """Remove a user and every API key of theirs."""
        try:
            store(config, users_file).remove_user(name)
        except ValueError as exc:
            raise fail(str(exc), 2) from None
        typer.echo(f"removed {name}")

    @users_app.command("list")
    def list_users(config: ConfigOption = None, users_file: UsersFile = None) -> None:
        """Print every user and role."""
        for name, record in sorted(store(config, users_file).users().items()):
            typer.echo(f"{name}\t{record.role.value}")

    @users_app.command("apikey")
    def apikey(
        name: Annotated[str, typer.Argument(help="User the key acts as.")],
        label: Annotated[str, typer.Option(help="What the key is for.")] = "",
        config: ConfigOption = None,
        users_file: UsersFile = None,
    ) -> None:
        """Make an API key for a user; it is printed once (only its hash is kept)."""
        try:
            key = store(config, users_file).add_api_key(name, label)
        except ValueError as exc:
            raise fail(str(exc), 2) from None
        typer.echo(key)
