"""Real databases for store tests: a SQLite file, or a throwaway PostgreSQL database."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from gridwatch.store.store import Store, open_store

PG_HOST, PG_PORT = "127.0.0.1", 5432
TABLES = ("escalations", "evidence", "transitions", "cases", "alerts")
PG_ADMIN = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"


def pg_answers() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1.0):
            return True
    except OSError:
        return False


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+pysqlite:///{tmp_path / 'store' / 'gridwatch.sqlite'}"


@contextmanager
def throwaway_pg() -> Iterator[str]:
    """A fresh PostgreSQL database with a unique name, dropped afterwards."""
    if not pg_answers():
        pytest.skip(f"PostgreSQL does not answer at {PG_HOST}:{PG_PORT}")
    import psycopg

    name = f"gw_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL database of this test's own."""
    with throwaway_pg() as url:
        yield url


@pytest.fixture(scope="session")
def pg_store_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the session; ``store`` empties it before each test."""
    with throwaway_pg() as url:
        open_store(url=url).close()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test runs on a real SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store: a new SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        opened = open_store(url=sqlite_url(tmp_path))
    else:
        opened = open_store(url=str(request.getfixturevalue("pg_store_url")))
        with opened.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    yield opened
    opened.close()
