"""The monthly joint-meeting statistics per sub-district or department, as JSON or Excel CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gridwatch.api.deps import AppState, State
from gridwatch.api.security.auth import Viewer
from gridwatch.api.store_calls import LIST_ERRORS, in_store
from gridwatch.cases.commands import day_range
from gridwatch.cases.stats import FalsePositiveRate, GroupStats, case_statistics, false_positive_rates
from gridwatch.cases.stats_csv import HEADERS, group_label

router = APIRouter(prefix="/statistics", tags=["statistics"])
MAX_DAYS = 400
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
GroupBy = Literal["street", "department"]
First = Annotated[date, Query(alias="from", description="First day (site timezone).")]
Last = Annotated[date, Query(alias="to", description="Last day, included (site timezone).")]
By = Annotated[GroupBy, Query(description="Group by sub-district (street) or department.")]
CSV_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with a BOM (opens in Excel)."},
    **LIST_ERRORS,
}


class Period(BaseModel):
    first: date = Field(description="First day (site timezone).")
    last: date = Field(description="Last day, included.")
    start: datetime = Field(description="Start of the first day, UTC.")
    end: datetime = Field(description="End of the last day (exclusive), UTC.")
    by: GroupBy = Field(description="What the lines are grouped by.")


class CaseStatistics(Period):
    groups: list[GroupStats] = Field(description="One line per group with cases, by name.")


class FalsePositiveStatistics(Period):
    rates: list[FalsePositiveRate] = Field(description="One line per group and incident.")


def _period(state: AppState, first: date, last: date, by: GroupBy) -> Period:
    for name, day in (("from", first), ("to", last)):
        if not EARLIEST <= day <= LATEST:
            raise HTTPException(422, f"{name}: {day} is outside {EARLIEST}..{LATEST}")
    if (last - first).days > MAX_DAYS:
        raise HTTPException(422, f"from {first} to {last} spans more than {MAX_DAYS} days")
    try:
        start, end = day_range(first, last, state.site.site.timezone)
    except ValueError as exc:
        raise HTTPException(422, str(exc).replace("--", "")) from None
    return Period(first=first, last=last, start=start, end=end, by=by)


def _csv(rows: Sequence[BaseModel], model: type[BaseModel], by: GroupBy, name: str) -> Response:
    fields = list(model.model_fields)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([group_label(by)] + [HEADERS.get(f, f) for f in fields[1:]])
    for row in rows:
        data = row.model_dump()
        writer.writerow(["" if data[f] is None else data[f] for f in fields])
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/cases", operation_id="statistics_cases", responses=LIST_ERRORS)
async def statistics_cases(state: State, _: Viewer, first: First, last: Last,
                           by: By = "street") -> CaseStatistics:
    """Cases dispatched in the period: handled in time, overdue, mean dispatch and close times."""
    period = _period(state, first, last, by)
    groups = await in_store(case_statistics, state.store, period.start, period.end, by)
    return CaseStatistics(**period.model_dump(), groups=groups)


@router.get("/cases.csv", operation_id="statistics_cases_csv", response_class=Response,
            responses=CSV_RESPONSE)
async def statistics_cases_csv(state: State, _: Viewer, first: First, last: Last,
                               by: By = "street") -> Response:
    """The same lines as ``statistics_cases``, as CSV for Excel."""
    period = _period(state, first, last, by)
    groups = await in_store(case_statistics, state.store, period.start, period.end, by)
    return _csv(groups, GroupStats, by, f"cases-{by}-{first}-{last}.csv")


@router.get("/false-positives", operation_id="statistics_false_positives",
            responses=LIST_ERRORS)
async def statistics_false_positives(state: State, _: Viewer, first: First, last: Last,
                                     by: By = "street") -> FalsePositiveStatistics:
    """Rejected share of decided alerts raised in the period, per group and incident."""
    period = _period(state, first, last, by)
    rates = await in_store(false_positive_rates, state.store, period.start, period.end, by)
    return FalsePositiveStatistics(**period.model_dump(), rates=rates)


@router.get("/false-positives.csv", operation_id="statistics_false_positives_csv",
            response_class=Response, responses=CSV_RESPONSE)
async def statistics_false_positives_csv(state: State, _: Viewer, first: First, last: Last,
                                         by: By = "street") -> Response:
    """The same lines as ``statistics_false_positives``, as CSV for Excel."""
    period = _period(state, first, last, by)
    rates = await in_store(false_positive_rates, state.store, period.start, period.end, by)
    return _csv(rates, FalsePositiveRate, by, f"false-positives-{by}-{first}-{last}.csv")
