"""`gridwatch stats` (the monthly joint-meeting statistics, printed and as Excel-friendly CSV) and
`gridwatch cases run` (the case service)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

import typer

from gridwatch.cli_options import ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig
from gridwatch.store.errors import StoreUnavailable

SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]


def day_range(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the site's timezone, as UTC."""
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return start, end


def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    cases_app = typer.Typer(help="The alert → case → escalation service.", no_args_is_help=True)
    app.add_typer(cases_app, name="cases")

    @cases_app.command("run")
    def run(
        config: ConfigOption = None,
        duration: Annotated[
            float | None, typer.Option(help="Stop after this many seconds (default: until Ctrl-C).")
        ] = None,
    ) -> None:
        """Record alerts from the dispatch stream, publish dispatched cases, ask cameras to verify
        handled cases, apply their verdicts and escalate open items."""
        from gridwatch.cases.serve import serve_cases

        try:
            site = load_site(config)
            outcomes = serve_cases(site, duration)
        except (ConfigError, StoreUnavailable, RuntimeError) as exc:
            raise fail(str(exc), 2) from None
        typer.echo(", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())) or "no alerts")

    @app.command()
    def stats(
        first: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"],
                                                help="First day (site timezone).")],
        last: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"],
                                               help="Last day, included.")],
        by: Annotated[Literal["street", "department"], typer.Option(
            help="Group by sub-district (street) or department.")] = "street",
        csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the case table here.")] = None,
        fp_csv: Annotated[Path | None, typer.Option(
            "--fp-csv", help="Write false-positive rates per incident here.")] = None,
        config: ConfigOption = None,
    ) -> None:
        """Cases, handled in time, overdue, mean times and false-positive rates for a period."""
        from gridwatch.cases.stats import (
            FalsePositiveRate,
            GroupStats,
            case_statistics,
            false_positive_rates,
        )
        from gridwatch.cases.stats_csv import group_label, write_csv
        from gridwatch.store.store import open_store

        try:
            site = load_site(config)
            start, end = day_range(first.date(), last.date(), site.site.timezone)
            store = open_store(site.store)
            lines = case_statistics(store, start, end, by)
            rates = false_positive_rates(store, start, end, by)
            store.close()
        except (ConfigError, StoreUnavailable, ValueError) as exc:
            raise fail(str(exc), 2) from None
        for line in lines:
            typer.echo(line.model_dump_json())
        for rate in rates:
            typer.echo(rate.model_dump_json())
        if csv_out is not None:
            write_csv(csv_out, lines, GroupStats, group_label(by))
            typer.echo(f"{len(lines)} row(s) → {csv_out}")
        if fp_csv is not None:
            write_csv(fp_csv, rates, FalsePositiveRate, group_label(by))
            typer.echo(f"{len(rates)} row(s) → {fp_csv}")

