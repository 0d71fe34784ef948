"""Alembic environment: runs online against the engine handed over by gridwatch.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from gridwatch.store.models import Base


def run() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run migrations through gridwatch.store.migrate (gridwatch db upgrade)")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
