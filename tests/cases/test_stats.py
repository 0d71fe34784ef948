"""Joint-meeting statistics on a small, hand-checked month."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridwatch.cases.commands import day_range
from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.recorder import AlertRecorder
from gridwatch.cases.stats import GroupStats, case_statistics, false_positive_rates
from gridwatch.cases.stats_csv import group_label, write_csv
from gridwatch.cli import app
from gridwatch.store.store import Store, open_store
from tests.cases.helpers import T0, make_alert

END = T0 + timedelta(days=1)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def at(self, minutes: float) -> Clock:
        self.now = T0 + timedelta(minutes=minutes)
        return self

    def __call__(self) -> datetime:
        return self.now


def _month(store: Store) -> None:
    """龙城: A in time and closed, B handled late; 洛龙: C overdue, D rejected, E undecided."""
    clock = Clock()
    rec, svc = AlertRecorder(store, clock=clock), CaseService(store, clock=clock)
    ids = {k: rec.record(make_alert(started_at=T0, zone=k, street=s)).alert_id
           for k, s in [("A", "龙城"), ("B", "龙城"), ("C", "洛龙"), ("D", "洛龙"), ("E", "洛龙"),
                        ("F", "洛龙")]}
    for key, dispatch_min in [("A", 10), ("B", 20), ("C", 60)]:
        svc.confirm(ids[key], "op1")
        clock.at(dispatch_min)
        svc.dispatch(ids[key], "op1")
    clock.at(120)
    svc.mark_handled(ids["A"], "staff")
    svc.verify(ids["A"], "camera")
    clock.at(180)
    svc.close(ids["A"], "op1")
    clock.at(360)
    svc.mark_handled(ids["B"], "staff")
    svc.reject(ids["D"], "op1", "shadow")
    svc.confirm(ids["F"], "op1")
    clock.at(60 * 30)  # dispatched after the range ends: not counted
    svc.dispatch(ids["F"], "op1")


def test_case_statistics_by_street(store: Store) -> None:
    _month(store)
    lines = {line.group: line for line in case_statistics(store, T0, END, "street", now=END)}
    assert set(lines) == {"龙城", "洛龙"}
    lc, ll = lines["龙城"], lines["洛龙"]
    assert (lc.cases, lc.handled_in_time, lc.overdue, lc.in_time_rate) == (2, 1, 1, 0.5)
    assert lc.mean_dispatch_min == pytest.approx((9.5 + 19.5) / 2)
    assert lc.mean_close_h == pytest.approx(round(179.5 / 60, 3))
    assert (ll.cases, ll.handled_in_time, ll.overdue, ll.mean_close_h) == (1, 0, 1, None)
    by_dept = case_statistics(store, T0, END, "department", now=END)
    assert [(d.group, d.cases) for d in by_dept] == [("环境卫生管理处", 3)]


def test_false_positive_rates(store: Store) -> None:
    _month(store)
    rates = [(r.group, r.incident, r.decided, r.rejected, r.rate)
             for r in false_positive_rates(store, T0, END, "street")]
    assert rates == [("洛龙", "exposed_garbage", 3, 1, pytest.approx(1 / 3, abs=1e-4)),
                     ("龙城", "exposed_garbage", 2, 0, 0.0)]


def test_csv_is_excel_friendly(store: Store, tmp_path: Path) -> None:
    _month(store)
    out = tmp_path / "stats.csv"
    write_csv(out, case_statistics(store, T0, END, "street", now=END), GroupStats,
              group_label("street"))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["街道 street", "案件数 cases"]
    assert [r[0] for r in rows[1:]] == ["洛龙", "龙城"]


def test_stats_command_writes_csv(tmp_path: Path) -> None:
    config = tmp_path / "site.yaml"
    config.write_text("site: {timezone: UTC}\nstore: {data_dir: var}\n", encoding="utf-8")
    store = open_store(url=f"sqlite+pysqlite:///{tmp_path / 'var' / 'gridwatch.sqlite'}")
    _month(store)
    store.close()
    out, fp = tmp_path / "out" / "by-street.csv", tmp_path / "fp.csv"
    day = T0.date().isoformat()
    result = CliRunner().invoke(app, ["stats", "--from", day, "--to", day, "--by", "street",
                                      "--csv", str(out), "--fp-csv", str(fp), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "2 row(s)" in result.output
    assert "龙城" in out.read_text(encoding="utf-8-sig")
    assert "误报率" in fp.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("first", "last", "tz", "start", "end"),
    [
        ("2026-11-01", "2026-11-30", "Asia/Shanghai", "2026-10-31T16:00:00+00:00",
         "2026-11-30T16:00:00+00:00"),
        ("2026-11-03", "2026-11-03", "UTC", "2026-11-03T00:00:00+00:00", "2026-11-04T00:00:00+00:00"),
    ],
)
def test_day_range_uses_site_timezone(first: str, last: str, tz: str, start: str, end: str) -> None:
    got = day_range(datetime.fromisoformat(first).date(), datetime.fromisoformat(last).date(), tz)
    assert (got[0].isoformat(), got[1].isoformat()) == (start, end)


def test_day_range_refuses_reversed_dates() -> None:
    with pytest.raises(ValueError, match="before --from"):
        day_range(datetime(2026, 11, 5).date(), datetime(2026, 11, 1).date(), "UTC")
