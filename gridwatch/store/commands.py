"""`gridwatch db upgrade` and `gridwatch db current`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from gridwatch.cli_options import ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig
from gridwatch.store.errors import StoreUnavailable

SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]


def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    db_app = typer.Typer(help="The alert/case store (SQLite or PostgreSQL).", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade")
    def upgrade(config: ConfigOption = None) -> None:
        """Create or migrate the store's schema to the newest revision."""
        from gridwatch.store.engine import make_engine, redact, store_url
        from gridwatch.store.migrate import upgrade_to_head

        try:
            url = store_url(load_site(config).store)
            engine = make_engine(url)
            revision = upgrade_to_head(engine)
        except (ConfigError, StoreUnavailable, ValueError) as exc:
            raise fail(str(exc), 2) from None
        engine.dispose()
        typer.echo(f"{redact(url)}: at revision {revision}")

    @db_app.command("current")
    def current(config: ConfigOption = None) -> None:
        """Print the store's schema revision and the newest one shipped."""
        from gridwatch.store.engine import make_engine, redact, store_url
        from gridwatch.store.migrate import current_revision, head_revision

        try:
            url = store_url(load_site(config).store)
            engine = make_engine(url)
            revision = current_revision(engine)
        except (ConfigError, StoreUnavailable, ValueError) as exc:
            raise fail(str(exc), 2) from None
        engine.dispose()
        head = head_revision()
        state = "up to date" if revision == head else "run `gridwatch db upgrade`"
        typer.echo(f"{redact(url)}: revision {revision or '(none)'}, newest {head} ({state})")
