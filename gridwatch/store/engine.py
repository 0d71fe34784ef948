"""Engine factory: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from gridwatch.config.models import StoreConfig
from gridwatch.store.errors import StoreUnavailable

SQLITE_FILE = "gridwatch.sqlite"
BUSY_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5


def store_url(config: StoreConfig) -> str:
    """The configured database URL, or SQLite at ``<data_dir>/gridwatch.sqlite``."""
    if config.database_url is not None:
        return config.database_url.get_secret_value()
    return f"sqlite+pysqlite:///{(config.data_dir / SQLITE_FILE).as_posix()}"


def redact(url: str | URL) -> str:
    """The URL with its password masked: safe for logs and errors."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "<unparseable database URL>"


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise ValueError("invalid database URL (expected e.g. sqlite:///FILE or "
                         "postgresql+psycopg://USER:PASSWORD@HOST/DB)") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r} in {redact(parsed)} "
                         "(use sqlite or postgresql+psycopg)")
    return parsed


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        parsed, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
    )


def _reason(error: exc.DBAPIError, secret: str | None) -> str:
    text = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
    if secret:
        text = text.replace(secret, "***")
    return f"{type(error.orig or error).__name__}: {text}"


@contextmanager
def unavailable_as(engine: Engine) -> Iterator[None]:
    """Turn "cannot connect / cannot use the database" into ``StoreUnavailable``."""
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError) as error:
        raise StoreUnavailable(redact(engine.url), _reason(error, engine.url.password)) from None
