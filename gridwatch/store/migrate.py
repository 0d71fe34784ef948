"""Alembic migrations shipped inside the package, run programmatically (no alembic.ini)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from gridwatch.store.engine import redact, unavailable_as
from gridwatch.store.models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged scripts, bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> str | None:
    """Bring the schema to the newest revision; returns that revision."""
    before = current_revision(engine)
    with unavailable_as(engine):
        command.upgrade(alembic_config(engine), "head")
    after = current_revision(engine)
    if after != before:
        log.info("store %s migrated from %s to %s", redact(engine.url), before or "(empty)", after)
    return after


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with unavailable_as(engine), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of gridwatch."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the migrated database and the models (empty when they agree)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
