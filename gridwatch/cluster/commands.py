"""`gridwatch worker`: join the cluster and read this worker's share of the cameras."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from gridwatch.cli_options import ConfigOption
from gridwatch.config import CameraConfig, ConfigError, GridwatchConfig

SiteLoader = Callable[[Path | None], GridwatchConfig]
Fail = Callable[[str, int], typer.Exit]


def site_cameras(site: GridwatchConfig) -> list[CameraConfig]:
    """Registry cameras (zones from the YAML of the same id) when the registry has any, else YAML."""
    from gridwatch.registry.cameras import merged_cameras
    from gridwatch.registry.store import RegistryStore

    path = site.registry.file(site.store.data_dir)
    if not (site.registry.use_for_run and path.is_file()):
        return list(site.cameras)
    store = RegistryStore.at(path)
    try:
        records = store.records()
    finally:
        store.close()
    return merged_cameras(records, site.cameras) if records else list(site.cameras)


def register(app: typer.Typer, load_site: SiteLoader, fail: Fail) -> None:
    @app.command()
    def worker(
        config: ConfigOption = None,
        member_id: Annotated[str | None, typer.Option(help="Member id (default host-pid).")] = None,
        duration: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    ) -> None:
        """Join the worker cluster (Redis) and analyse this worker's share of the cameras."""
        import redis

        from gridwatch.cluster.sharded import ShardedWorker
        from gridwatch.pipeline.live import dispatch_queue

        try:
            site = load_site(config)
            cameras = site_cameras(site)
        except ConfigError as exc:
            raise fail(str(exc), 2) from None
        if not cameras:
            raise fail("no cameras (import a registry CSV or add camera_files)", 2)
        with dispatch_queue(site) as ctx:
            client = redis.Redis.from_url(ctx.redis_url, socket_timeout=2, socket_connect_timeout=2)
            try:
                ShardedWorker(site, cameras, ctx.queue.submit, client, member_id).run(duration)
            finally:
                client.close()
