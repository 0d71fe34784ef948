"""Write the registry as CSV (the import header); passwords masked unless asked for."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from gridwatch.registry.columns import COLUMNS
from gridwatch.registry.record import CameraRecord


def _cells(record: CameraRecord, with_secrets: bool) -> list[str]:
    def num(value: float | None) -> str:
        return "" if value is None else repr(value)

    return [
        record.id, record.name, record.url if with_secrets else record.display_url, record.street,
        record.grid, num(record.longitude), num(record.latitude), repr(record.interval_s),
        record.mode, "true" if record.enabled else "false",
    ]


def write_csv(records: Iterable[CameraRecord], path: Path, with_secrets: bool = False) -> int:
    """Write ``records`` to ``path`` (UTF-8 with BOM, so Excel opens Chinese text); returns rows."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow(_cells(record, with_secrets))
            count += 1
    return count
