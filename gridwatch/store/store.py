"""The store handle services hold: an engine, sessions, and the schema brought up to date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gridwatch.config.models import StoreConfig
from gridwatch.store.engine import make_engine, redact, store_url, unavailable_as
from gridwatch.store.migrate import upgrade_to_head


class Store:
    """Sessions on one database; every database failure surfaces as ``StoreUnavailable``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        return redact(self.engine.url)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with unavailable_as(self.engine), self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(config: StoreConfig | None = None, url: str | None = None) -> Store:
    """The configured store (or ``url``), migrated to the newest schema."""
    engine = make_engine(url or store_url(config or StoreConfig()))
    upgrade_to_head(engine)
    return Store(engine)
