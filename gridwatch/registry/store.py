"""The registry in SQL: upsert records (imported / updated / unchanged), list and read them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from gridwatch.ingest.url import redact_url
from gridwatch.registry.models import CameraRow, RegistryBase
from gridwatch.registry.parse import has_masked_password
from gridwatch.registry.record import CameraRecord, RowProblem

Progress = Callable[[int, int], None]


@dataclass
class UpsertResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def open_engine(path: Path) -> Engine:
    """The registry's SQLite database at ``path`` (created, with its tables, when absent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    RegistryBase.metadata.create_all(engine)
    return engine


class RegistryStore:
    """Registered cameras in one SQL database (SQLite by default)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def at(cls, path: Path) -> RegistryStore:
        return cls(open_engine(path))

    def upsert(
        self, rows: Sequence[tuple[int, CameraRecord]], progress: Progress | None = None,
        batch: int = 500,
    ) -> UpsertResult:
        """Insert new cameras and update changed ones, committing every ``batch`` rows."""
        result = UpsertResult()
        with Session(self.engine) as session:
            existing = {row.id: row for row in session.scalars(select(CameraRow))}
            for done, (line, record) in enumerate(rows, start=1):
                self._upsert_one(session, existing, line, record, result)
                if done % batch == 0:
                    session.commit()
                    if progress is not None:
                        progress(done, len(rows))
            session.commit()
        if progress is not None:
            progress(len(rows), len(rows))
        return result

    def _upsert_one(
        self, session: Session, existing: dict[str, CameraRow], line: int, record: CameraRecord,
        result: UpsertResult,
    ) -> None:
        row = existing.get(record.id)
        if has_masked_password(record.url):
            if row is None or redact_url(row.url) != record.url:
                result.problems.append(RowProblem(
                    line, "url has a redacted password (***); give the real URL or export "
                    "with --with-secrets", record.id))
                return
            record = _with_url(record, row.url)  # a redacted export keeps the stored password
        if row is None:
            row = CameraRow(id=record.id)
            row.assign(record)
            session.add(row)
            existing[record.id] = row
            result.imported += 1
        elif row.to_record() == record:
            result.unchanged += 1
        else:
            row.assign(record)
            result.updated += 1

    def records(self, street: str | None = None) -> list[CameraRecord]:
        query = select(CameraRow).order_by(CameraRow.id)
        if street is not None:
            query = query.where(CameraRow.street == street)
        with Session(self.engine) as session:
            return [row.to_record() for row in session.scalars(query)]

    def count(self) -> int:
        return len(self.records())

    def close(self) -> None:
        self.engine.dispose()


def _with_url(record: CameraRecord, url: str) -> CameraRecord:
    from dataclasses import replace

    return replace(record, url=url)


def ids(records: Iterable[CameraRecord]) -> list[str]:
    return [r.id for r in records]
