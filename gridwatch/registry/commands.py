"""`gridwatch cameras import|export|list|make-sample`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from gridwatch.cli_options import ConfigOption
from gridwatch.config import ConfigError, GridwatchConfig

SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]


def registry_file(site: GridwatchConfig) -> Path:
    return site.registry.file(site.store.data_dir)


def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    cameras = typer.Typer(help="The camera registry (CSV import/export, SQL).", no_args_is_help=True)
    app.add_typer(cameras, name="cameras")

    def store_of(config: Path | None) -> object:
        from gridwatch.registry.store import RegistryStore

        try:
            return RegistryStore.at(registry_file(load_site(config)))
        except ConfigError as exc:
            raise fail(str(exc), 2) from None

    @cameras.command("import")
    def import_(
        csv_file: Annotated[Path, typer.Argument(help="CSV with the registry header (see README).")],
        config: ConfigOption = None,
        encoding: Annotated[str, typer.Option(help="auto (UTF-8, BOM, GB18030) or a codec.")] = "auto",
        every: Annotated[int, typer.Option(help="Print progress every N rows.")] = 500,
        first: Annotated[int, typer.Option(help="Show the first K problems.")] = 10,
    ) -> None:
        """Import cameras: good rows are saved, bad rows are reported with their line."""
        from gridwatch.registry.encoding import EncodingProblem
        from gridwatch.registry.importer import import_csv
        from gridwatch.registry.parse import HeaderProblem
        from gridwatch.registry.store import RegistryStore

        store = store_of(config)
        assert isinstance(store, RegistryStore)
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if done % every == 0 or done == total:
                print(f"  {done}/{total} rows saved", file=sys.stderr, flush=True)

        try:
            report = import_csv(csv_file, store, encoding, progress)
        except FileNotFoundError:
            raise fail(f"{csv_file}: file not found", 2) from None
        except (EncodingProblem, HeaderProblem) as exc:
            raise fail(f"{csv_file}: {exc}", 2) from None
        finally:
            store.close()
        typer.echo(report.summary(first) + f"\n  in {time.monotonic() - started:.2f} s")
        if report.rejected:
            raise typer.Exit(1)

    @cameras.command("export")
    def export(
        out: Annotated[Path, typer.Argument(help="CSV file to write.")],
        config: ConfigOption = None,
        with_secrets: Annotated[bool, typer.Option(help="Write real passwords.")] = False,
    ) -> None:
        """Export the registry as CSV (passwords masked unless --with-secrets)."""
        from gridwatch.registry.export import write_csv
        from gridwatch.registry.store import RegistryStore

        store = store_of(config)
        assert isinstance(store, RegistryStore)
        count = write_csv(store.records(), out, with_secrets)
        store.close()
        typer.echo(f"{count} camera(s) → {out}" + ("" if with_secrets else " (passwords masked)"))

    @cameras.command("list")
    def list_(
        config: ConfigOption = None,
        street: Annotated[str | None, typer.Option(help="Only this sub-district.")] = None,
    ) -> None:
        """List registered cameras (passwords masked)."""
        from gridwatch.registry.store import RegistryStore

        store = store_of(config)
        assert isinstance(store, RegistryStore)
        records = store.records(street)
        store.close()
        for r in records:
            flag = "" if r.enabled else "  (disabled)"
            typer.echo(f"{r.id}\t{r.name}\t{r.street}\t{r.grid}\t{r.display_url}{flag}")
        typer.echo(f"{len(records)} camera(s)", err=True)

    @cameras.command("make-sample")
    def make_sample(
        out: Annotated[Path, typer.Argument(help="CSV file to write.")],
        count: Annotated[int, typer.Option(help="How many cameras.")] = 3600,
        seed: Annotated[int, typer.Option(help="Random seed.")] = 3600,
        encoding: Annotated[str, typer.Option(help="utf-8, utf-8-sig or gb18030.")] = "utf-8",
    ) -> None:
        """Write a realistic registry CSV (6 sub-districts of Chenggong, Kunming)."""
        from gridwatch.registry.sample import write_sample

        write_sample(out, count, seed, encoding)
        typer.echo(f"{count} camera(s) → {out}")
