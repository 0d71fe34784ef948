"""SQL model of the registry (SQLAlchemy 2, typed); its own metadata until the shared store's
Alembic migrations take it over."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Float, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from gridwatch.registry.record import CameraRecord


class RegistryBase(DeclarativeBase):
    """Metadata of the registry tables."""


def _now() -> datetime:
    return datetime.now(UTC)


class CameraRow(RegistryBase):
    """One registered camera; ``url`` holds the password and is never shown as is."""

    __tablename__ = "registry_cameras"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text)
    street: Mapped[str] = mapped_column(String(64), default="", index=True)
    grid: Mapped[str] = mapped_column(String(64), default="")
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    interval_s: Mapped[float] = mapped_column(Float, default=1.0)
    mode: Mapped[str] = mapped_column(String(32), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    def to_record(self) -> CameraRecord:
        return CameraRecord(
            id=self.id, name=self.name, url=self.url, street=self.street, grid=self.grid,
            longitude=self.longitude, latitude=self.latitude, interval_s=self.interval_s,
            mode=self.mode, enabled=self.enabled,
        )

    def assign(self, record: CameraRecord) -> None:
        for key in ("name", "url", "street", "grid", "longitude", "latitude", "interval_s",
                    "mode", "enabled"):
            setattr(self, key, getattr(record, key))
        self.updated_at = _now()

    def __repr__(self) -> str:
        return f"CameraRow(id={self.id!r})"
