"""`gridwatch demo`: simulated RTSP cameras → live worker → Redis dispatch stream → printed alerts,
with the case service (store, escalation) and the API + operator console running beside it."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import redis
import typer
from pydantic import SecretStr
from sqlalchemy import func, select

from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig, StoreConfig
from gridwatch.demo_operate import Operations, operate
from gridwatch.ingest.url import redact_url
from gridwatch.pipeline.live import dispatch_queue, run_worker
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.sim.truth import load_truth, truth_path
from gridwatch.store.models import AlertRow, CaseRow, EscalationRow


@dataclass(frozen=True)
class DemoCamera:
    name: str
    scenario: str
    seed: int
    street: str
    grid: str


DEMO_CAMERAS = (
    DemoCamera("cam-lc-001", "cover_missing", 101, "龙城街道", "LC-01"),
    DemoCamera("cam-ll-002", "soil_uncovered", 202, "洛龙街道", "LL-04"),
    DemoCamera("cam-dn-003", "quiet", 303, "斗南街道", "DN-02"),
)
CLIP_SECONDS = 60.0


def ensure_clip(cam: DemoCamera, clips: Path, seconds: float = CLIP_SECONDS) -> Path:
    """Render the camera's scenario clip once; later runs reuse it."""
    clip = clips / f"{cam.scenario}-{cam.seed}-{seconds:g}s.mp4"
    if not (clip.is_file() and truth_path(clip).is_file()):
        typer.echo(f"demo: rendering {clip.name} ({cam.scenario}, {seconds:.0f} s)…")
        render_clip(named_scenario(cam.scenario, cam.seed, seconds), clip)
    return clip


def print_alert(alert: Alert, entry: str | None, site: GridwatchConfig, evidence: Path) -> None:
    category = site.category(alert.incident)
    local = alert.raised_at.astimezone(ZoneInfo(site.site.timezone))
    where = f"{alert.street} {alert.grid} / {alert.camera_id} zone {alert.zone}"
    stream = f"stream id {entry}" if entry else "already in the stream"
    typer.secho(
        f"ALERT {local:%H:%M:%S} [{alert.level.value.upper()}] {alert.incident} "
        f"({category.name_zh}, code {alert.category_code}) at {where} → {alert.department}; "
        f"conf {alert.confidence:.2f}; snapshot {evidence / alert.evidence}; {stream}",
        fg=typer.colors.YELLOW,
        bold=True,
    )


def demo_cameras(sim: CameraSimulator, clips: dict[str, Path]) -> list[CameraConfig]:
    return [
        camera_from_truth(
            load_truth(clips[cam.name]), cam.name, sim.url(cam.name), street=cam.street, grid=cam.grid
        )
        for cam in DEMO_CAMERAS
    ]


def run_demo(site: GridwatchConfig, workdir: Path, duration_s: float, api_port: int = 8080,
             hold: bool = False, clip_seconds: float = CLIP_SECONDS) -> int:
    """Run the demo for ``duration_s`` seconds (then, with ``hold``, keep the console up until
    Ctrl-C) on looping clips of ``clip_seconds``; returns a process exit code."""
    site = site.model_copy(update={"store": StoreConfig(data_dir=workdir)})
    clips = {cam.name: ensure_clip(cam, workdir / "clips", clip_seconds) for cam in DEMO_CAMERAS}
    evidence = site.store.evidence_path
    with CameraSimulator(clips) as sim:
        cameras = demo_cameras(sim, clips)
        for cam in cameras:
            typer.echo(f"demo: camera {cam.id} at {cam.display_url} ({cam.name})")

        def delivered(alert: Alert, entry: str | None) -> None:
            print_alert(alert, entry, site, evidence)

        with dispatch_queue(site, delivered) as ctx:
            live = site.model_copy(update={
                "cameras": cameras,
                "redis": site.redis.model_copy(update={"url": SecretStr(ctx.redis_url)}),
            })
            with operate(live, ctx.client, workdir / "users.json", api_port) as ops:
                announce(ops, site, ctx.redis_url, duration_s)
                first_id = f"{int(time.time() * 1000)}-0"
                worker = run_worker(live, cameras, ctx.queue, duration_s, ctx.client)
                ctx.queue.flush()
                in_stream = _count_since(ctx.client, site.redis.dispatch_stream, first_id)
                for slot in worker.slots:
                    health = slot.reader.health()
                    typer.echo(f"demo: {slot.camera.id}: {health.state}, "
                               f"{slot.pipeline.frames_analysed} frames analysed")
                typer.echo(
                    f"demo: {worker.alerts_raised} alert(s) raised; {in_stream} in the dispatch "
                    f"stream from this run; snapshots in {evidence}"
                )
                time.sleep(min(3.0, site.cases.service.tick_s * 2))  # let the case service catch up
                report_store(ops)
                if hold and ops.console_url:
                    typer.echo(f"demo: cameras stopped; the console stays up at {ops.console_url} "
                               "until Ctrl-C")
                    wait_for_interrupt()
    return 0


def announce(ops: Operations, site: GridwatchConfig, redis_url: str, duration_s: float) -> None:
    typer.echo(f"demo: alerts go to stream {site.redis.dispatch_stream!r} at "
               f"{redact_url(redis_url)}; cases in {ops.store.display_url}")
    if ops.console_url:
        secret = ops.password if ops.password and "GRIDWATCH_PASSWORD" not in os.environ else (
            "$GRIDWATCH_PASSWORD")
        typer.secho(f"demo: operator console at {ops.console_url} (user {ops.user!r}, "
                    f"password {secret})", fg=typer.colors.GREEN, bold=True)
    typer.echo(f"demo: running {duration_s:.0f} s (Ctrl-C stops)")


def report_store(ops: Operations) -> None:
    """What the case service made of the run: alerts by status, cases, escalations."""
    with ops.store.begin() as session:
        by_status = dict(session.execute(
            select(AlertRow.status, func.count()).group_by(AlertRow.status)).all())
        cases = session.scalar(select(func.count()).select_from(CaseRow)) or 0
        escalated = session.scalar(select(func.count()).select_from(EscalationRow)) or 0
    statuses = ", ".join(f"{count} {status}" for status, count in sorted(by_status.items()))
    typer.echo(f"demo: store: alerts {statuses or 'none'}; {cases} case(s); "
               f"{escalated} escalation event(s)")


def wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        typer.echo("demo: stopped")


def _count_since(client: redis.Redis, stream: str, first_id: str) -> int:
    return len(client.xrange(stream, min=first_id) or [])
