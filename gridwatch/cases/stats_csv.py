"""Excel-friendly CSV of the statistics: UTF-8 with a BOM so Excel shows Chinese names."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from gridwatch.cases.stats import FalsePositiveRate, GroupStats

HEADERS: dict[str, str] = {
    "group": "单位 group",
    "cases": "案件数 cases",
    "handled_in_time": "按期处置 handled in time",
    "overdue": "超期 overdue",
    "in_time_rate": "按期率 in-time rate",
    "mean_dispatch_min": "平均派遣用时(分) mean dispatch min",
    "mean_close_h": "平均结案用时(时) mean close h",
    "incident": "事件类型 incident",
    "decided": "已判定 decided",
    "rejected": "误报 rejected",
    "rate": "误报率 false-positive rate",
}


def write_csv(path: Path, rows: Sequence[BaseModel], model: type[BaseModel], group_label: str) -> int:
    """Write ``rows`` (of ``model``) to ``path``; returns the number of data rows."""
    fields = list(model.model_fields)
    headers = [HEADERS.get(f, f) for f in fields]
    headers[0] = group_label
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            data = row.model_dump()
            writer.writerow(["" if data[f] is None else data[f] for f in fields])
    return len(rows)


def group_label(by: str) -> str:
    return "街道 street" if by == "street" else "部门 department"


__all__ = ["FalsePositiveRate", "GroupStats", "group_label", "write_csv"]
