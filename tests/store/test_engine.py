"""Engine factory: SQLite pragmas, URL handling, and a clear error when the store is away."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from gridwatch.config.models import StoreConfig
from gridwatch.store.engine import make_engine, redact, store_url
from gridwatch.store.errors import StoreUnavailable
from gridwatch.store.store import open_store


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_default_is_sqlite_under_data_dir(tmp_path: Path) -> None:
    url = store_url(StoreConfig(data_dir=tmp_path / "var"))
    assert url.endswith(f"{tmp_path}/var/gridwatch.sqlite")
    store = open_store(url=url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    finally:
        store.close()
    assert (tmp_path / "var" / "gridwatch.sqlite").is_file()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://gw:s3cr3t@db.example:5432/gw", "postgresql+psycopg://gw:***@db.example:5432/gw"),
        ("sqlite:///var/x.sqlite", "sqlite:///var/x.sqlite"),
    ],
)
def test_redact_hides_password(url: str, shown: str) -> None:
    assert redact(url) == shown


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:pw@h/db", "unsupported database 'mysql'"),
        ("not a url", "invalid database URL"),
    ],
)
def test_bad_urls_are_clear(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        make_engine(url)
    assert "pw" not in str(info.value)


def test_closed_port_is_store_unavailable_without_password() -> None:
    url = f"postgresql+psycopg://gw:TopSecret99@127.0.0.1:{_closed_port()}/gw"
    with pytest.raises(StoreUnavailable) as info:
        open_store(StoreConfig(database_url=SecretStr(url)))
    message = str(info.value)
    assert "TopSecret99" not in message
    assert "gw:***@127.0.0.1" in message
    assert info.value.__cause__ is None


def test_database_url_is_secret_in_config() -> None:
    config = StoreConfig(database_url=SecretStr("postgresql+psycopg://gw:TopSecret99@h/gw"))
    assert "TopSecret99" not in repr(config)
    assert "TopSecret99" not in config.model_dump_json()
