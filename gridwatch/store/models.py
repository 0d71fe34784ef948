"""The store's tables: alerts, cases, transitions, evidence and escalations (SQLAlchemy 2.x)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from gridwatch.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(64)
Short = String(32)
Name = String(128)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AlertRow(Base):
    """One alert record (DESIGN.md §5) and where it stands in the lifecycle."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_open_place", "camera_id", "zone", "incident", "status"),
        Index("ix_alerts_status", "status"),
        Index("ix_alerts_raised_at", "raised_at"),
    )

    alert_id: Mapped[str] = mapped_column(Id, primary_key=True)
    camera_id: Mapped[str] = mapped_column(Id)
    zone: Mapped[str] = mapped_column(Id)
    incident: Mapped[str] = mapped_column(Short)
    category_code: Mapped[str] = mapped_column(Short)
    level: Mapped[str] = mapped_column(String(8))
    confidence: Mapped[float]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_s: Mapped[float | None]
    raised_s: Mapped[float | None]
    x1: Mapped[float]
    y1: Mapped[float]
    x2: Mapped[float]
    y2: Mapped[float]
    street: Mapped[str] = mapped_column(Name, default="")
    grid: Mapped[str] = mapped_column(Name, default="")
    department: Mapped[str] = mapped_column(Name, default="")
    shop: Mapped[str | None] = mapped_column(Name)
    evidence: Mapped[str] = mapped_column(String(512), default="")
    status: Mapped[str] = mapped_column(String(16))
    merged_into: Mapped[str | None] = mapped_column(Id, ForeignKey("alerts.alert_id"))
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseRow(Base):
    """The case opened from a confirmed alert (立案), with its deadline and milestones."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status", "status"),
        Index("ix_cases_dispatched_at", "dispatched_at"),
    )

    case_id: Mapped[str] = mapped_column(Id, primary_key=True)
    alert_id: Mapped[str] = mapped_column(Id, ForeignKey("alerts.alert_id"), unique=True)
    street: Mapped[str] = mapped_column(Name, default="")
    grid: Mapped[str] = mapped_column(Name, default="")
    department: Mapped[str] = mapped_column(Name, default="")
    shop: Mapped[str | None] = mapped_column(Name)
    category_code: Mapped[str] = mapped_column(Short)
    status: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(8))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TransitionRow(Base):
    """Who moved what from which status to which, when and why."""

    __tablename__ = "transitions"
    __table_args__ = (Index("ix_transitions_entity", "entity_kind", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_kind: Mapped[str] = mapped_column(String(8))
    entity_id: Mapped[str] = mapped_column(Id)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(Name)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)


class EvidenceRow(Base):
    """Metadata of one snapshot file of an alert."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("alert_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(Id, ForeignKey("alerts.alert_id"))
    path: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EscalationRow(Base):
    """One escalation event written by the escalation engine."""

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_alert_id", "alert_id"), UniqueConstraint("event_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str | None] = mapped_column(Id)
    alert_id: Mapped[str] = mapped_column(Id, ForeignKey("alerts.alert_id"))
    case_id: Mapped[str | None] = mapped_column(Id, ForeignKey("cases.case_id"))
    from_level: Mapped[str] = mapped_column(String(8))
    to_level: Mapped[str] = mapped_column(String(8))
    trigger: Mapped[str] = mapped_column(Name)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[str | None] = mapped_column(Text)
