"""Validate registry CSV rows one by one: good rows become records, bad rows become problems.

Coordinates must be within lon -180..180, lat -90..90 (else the row is rejected); a point outside
China's bounding box (lon 73..136, lat 18..54) is imported with a warning, since that is almost
always swapped or mistyped columns. URLs need a scheme (rtsp, rtsps, rtmp, http, https, file).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError

from gridwatch.config.models import ID_PATTERN, SamplingConfig
from gridwatch.ingest.url import MASK, redact_text, validate_stream_url
from gridwatch.registry.columns import REQUIRED, canonical
from gridwatch.registry.record import CameraRecord, RowProblem

CHINA_BOX = (73.0, 136.0, 18.0, 54.0)
_TRUE = {"", "1", "true", "yes", "y", "on", "是", "启用"}
_FALSE = {"0", "false", "no", "n", "off", "否", "停用", "禁用"}


class HeaderProblem(ValueError):
    """The header line is unusable (missing required columns)."""


@dataclass
class Parsed:
    records: list[tuple[int, CameraRecord]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


def _header(cells: list[str]) -> list[str | None]:
    names = [canonical(c) for c in cells]
    missing = [r for r in REQUIRED if r not in names]
    if missing:
        raise HeaderProblem(
            f"line 1: the header lacks column(s) {', '.join(missing)} (header: {', '.join(cells)})"
        )
    return names


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _coordinate(raw: str, name: str, low: float, high: float) -> float | None:
    if not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} {raw!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"{name} {value} is out of range {low:g}..{high:g}")
    return value


def _enabled(raw: str) -> bool:
    key = raw.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"enabled {raw!r} is not one of true/false, 1/0, yes/no, 是/否")


def _url(raw: str) -> str:
    if raw.strip() and "://" not in raw and not raw.strip().lower().startswith("file:"):
        raise ValueError("url has no scheme; use rtsp://, rtsps://, rtmp://, http(s):// or file://")
    try:
        return validate_stream_url(raw)
    except ValueError as exc:
        raise ValueError(redact_text(str(exc), raw)) from None


def _sampling(values: dict[str, str]) -> tuple[float, str]:
    raw_interval = values.get("interval_s", "").strip()
    mode = values.get("mode", "").strip()
    data: dict[str, object] = {}
    if raw_interval:
        data["interval_s"] = raw_interval
    if mode and "mode" in SamplingConfig.model_fields:
        data["mode"] = mode
    elif mode:
        raise ValueError(f"mode {mode!r}: this version has no sampling modes (leave it blank)")
    try:
        sampling = SamplingConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise ValueError(f"{err['loc'][0]}: {err['msg']}") from None
    return sampling.interval_s, mode


def _record(values: dict[str, str]) -> CameraRecord:
    cam_id = values.get("id", "").strip()
    if not re.match(ID_PATTERN, cam_id):
        raise ValueError(f"id {cam_id!r} must be 1-64 of A-Z a-z 0-9 _ . - (starting alphanumeric)")
    if not values.get("url", "").strip():
        raise ValueError("url is missing")
    interval_s, mode = _sampling(values)
    return CameraRecord(
        id=cam_id, name=values.get("name", "").strip(), url=_url(values["url"]),
        street=values.get("street", "").strip(), grid=values.get("grid", "").strip(),
        longitude=_coordinate(values.get("longitude", ""), "longitude", -180, 180),
        latitude=_coordinate(values.get("latitude", ""), "latitude", -90, 90),
        interval_s=interval_s, mode=mode, enabled=_enabled(values.get("enabled", "")),
    )


def _outside_china(record: CameraRecord) -> bool:
    if record.longitude is None or record.latitude is None:
        return False
    lon0, lon1, lat0, lat1 = CHINA_BOX
    return not (lon0 <= record.longitude <= lon1 and lat0 <= record.latitude <= lat1)


def parse_csv(text: str) -> Parsed:
    """Every row of ``text`` checked; the header (line 1) names the columns."""
    out = Parsed()
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        raise HeaderProblem("line 1: the file is empty (expected a header line)")
    names = _header(first[1])
    first_line: dict[str, int] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names):
            out.problems.append(RowProblem(line, f"{len(cells)} cells but the header has {len(names)}"))
            continue
        values = {n: c for n, c in zip(names, cells, strict=False) if n is not None}
        cam_id = values.get("id", "").strip()
        try:
            record = _record(values)
        except ValueError as exc:
            out.problems.append(RowProblem(line, str(exc), cam_id))
            continue
        if record.id in first_line:
            out.problems.append(
                RowProblem(line, f"duplicate id (first on line {first_line[record.id]})", record.id))
            continue
        first_line[record.id] = line
        if _outside_china(record):
            out.warnings.append(RowProblem(line, "coordinates are outside China (swapped?)", record.id))
        out.records.append((line, record))
    return out


def has_masked_password(url: str) -> bool:
    """True for a URL whose password is the redaction mask (a redacted export)."""
    return f":{MASK}@" in url
