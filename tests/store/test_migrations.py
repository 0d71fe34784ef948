"""The packaged migrations build exactly the schema the models describe."""

from __future__ import annotations

from sqlalchemy import inspect

from gridwatch.store.engine import make_engine
from gridwatch.store.migrate import current_revision, head_revision, schema_diff, upgrade_to_head


def test_migrations_match_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade_to_head(engine) == head_revision()
        assert schema_diff(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert {"alerts", "cases", "transitions", "evidence", "escalations"} <= tables
    finally:
        engine.dispose()


def test_upgrade_is_repeatable(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        first = upgrade_to_head(engine)
        assert upgrade_to_head(engine) == first
    finally:
        engine.dispose()
