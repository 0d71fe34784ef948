"""Statistics for the monthly joint meeting, per sub-district (street) or per department.

- cases: cases dispatched in [start, end)
- handled_in_time: handled at or before the deadline; overdue: handled late, or still not
  handled when the deadline passed (as of ``min(now, end)``)
- mean_dispatch_min: raised → dispatched; mean_close_h: raised → closed (closed cases only)
- false-positive rate per incident: rejected / decided, over alerts raised in [start, end)
  (decided: confirmed or rejected by someone; new and merged alerts are not decisions)
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import fmean
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from gridwatch.cases.lifecycle import utc_now
from gridwatch.cases.states import DECIDED, Status
from gridwatch.store.models import AlertRow, CaseRow
from gridwatch.store.store import Store

GroupBy = Literal["street", "department"]
UNASSIGNED = "(unassigned)"


class GroupStats(BaseModel):
    """One sub-district's or department's score line."""

    model_config = ConfigDict(frozen=True)

    group: str = Field(description="Sub-district (街道) or department name.")
    cases: int = Field(description="Cases dispatched in the range.")
    handled_in_time: int = Field(description="Handled at or before the deadline.")
    overdue: int = Field(description="Handled late, or not handled and past the deadline.")
    in_time_rate: float | None = Field(description="handled_in_time / cases.")
    mean_dispatch_min: float | None = Field(description="Mean minutes from raise to dispatch.")
    mean_close_h: float | None = Field(description="Mean hours from raise to close (closed only).")


class FalsePositiveRate(BaseModel):
    """Rejected share of decided alerts of one incident type in one group."""

    model_config = ConfigDict(frozen=True)

    group: str = Field(description="Sub-district or department name.")
    incident: str = Field(description="Incident id.")
    decided: int = Field(description="Alerts confirmed or rejected.")
    rejected: int = Field(description="Alerts rejected as false positives.")
    rate: float | None = Field(description="rejected / decided.")


def _group(alert: AlertRow, by: GroupBy) -> str:
    return (alert.street if by == "street" else alert.department) or UNASSIGNED


def _minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60.0


def _line(group: str, pairs: list[tuple[AlertRow, CaseRow]], as_of: datetime) -> GroupStats:
    in_time = sum(1 for _, c in pairs if c.handled_at and c.due_at and c.handled_at <= c.due_at)
    overdue = sum(1 for _, c in pairs if c.due_at and (
        (c.handled_at and c.handled_at > c.due_at) or (c.handled_at is None and c.due_at < as_of)))
    dispatch = [_minutes(a.raised_at, c.dispatched_at) for a, c in pairs if c.dispatched_at]
    close = [_minutes(a.raised_at, c.closed_at) / 60.0 for a, c in pairs if c.closed_at]
    return GroupStats(
        group=group, cases=len(pairs), handled_in_time=in_time, overdue=overdue,
        in_time_rate=round(in_time / len(pairs), 4) if pairs else None,
        mean_dispatch_min=round(fmean(dispatch), 2) if dispatch else None,
        mean_close_h=round(fmean(close), 3) if close else None,
    )


def case_statistics(store: Store, start: datetime, end: datetime, by: GroupBy,
                    now: datetime | None = None) -> list[GroupStats]:
    """One line per group with cases dispatched in [start, end), sorted by group."""
    query = (select(AlertRow, CaseRow).join(CaseRow, CaseRow.alert_id == AlertRow.alert_id)
             .where(CaseRow.dispatched_at >= start, CaseRow.dispatched_at < end))
    groups: dict[str, list[tuple[AlertRow, CaseRow]]] = defaultdict(list)
    with store.begin() as session:
        for alert, case in session.execute(query):
            groups[_group(alert, by)].append((alert, case))
    as_of = min(now or utc_now(), end)
    return [_line(name, groups[name], as_of) for name in sorted(groups)]


def false_positive_rates(store: Store, start: datetime, end: datetime,
                         by: GroupBy) -> list[FalsePositiveRate]:
    """Per group and incident, over alerts raised in [start, end) that someone decided."""
    query = select(AlertRow).where(AlertRow.raised_at >= start, AlertRow.raised_at < end,
                                   AlertRow.status.in_(sorted(DECIDED)))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    with store.begin() as session:
        for alert in session.scalars(query):
            tally = counts[(_group(alert, by), alert.incident)]
            tally[0] += 1
            tally[1] += alert.status == Status.REJECTED
    return [_rate(group, incident, *counts[(group, incident)]) for group, incident in sorted(counts)]


def _rate(group: str, incident: str, decided: int, rejected: int) -> FalsePositiveRate:
    return FalsePositiveRate(group=group, incident=incident, decided=decided, rejected=rejected,
                             rate=round(rejected / decided, 4) if decided else None)


