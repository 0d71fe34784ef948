"""Verification of handled cases end to end on real parts: rendered scenario frames through the
real detector and camera pipeline, alerts through the dispatch queue into the case service and
the SQL store; the handled case's request reaches the pipeline via Redis, and its verdict comes
back to verify the case, or to reopen and escalate it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gridwatch.alerts.dispatch import DispatchQueue, StreamPublisher
from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert
from gridwatch.cases.states import Status
from gridwatch.cases.supervision import escalations
from gridwatch.config.models import GridwatchConfig
from gridwatch.detectors.base import Detector
from gridwatch.detectors.registry import build_detector
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.scenarios import Scenario, named_scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import clip_truth
from gridwatch.store.store import open_store
from gridwatch.types import Frame
from gridwatch.verification.inbox import VerificationInbox
from tests.cases.service_site import case_process, site_for
from tests.queue.conftest import drain
from tests.store.dbs import sqlite_url

T0 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
DURATION_S = 26.0  # cover goes missing at 8.67 s; in cover_replaced it is back at 19.5 s
HANDLED_AT_S = 20.0
STEP_S = 0.5


class FrameClock:
    """The case service's clock follows the camera's frames (video time on T0)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def detector() -> Detector:
    return build_detector(GridwatchConfig().detectors["default"])


def scene(name: str, seed: int) -> tuple[dict[str, Any], SceneRenderer, Scenario]:
    scenario = named_scenario(name, seed, DURATION_S)
    renderer = SceneRenderer(scenario.scene())
    return clip_truth(scenario, renderer, Path(f"{name}.mp4"), 10, 2.0, 1), renderer, scenario


@pytest.mark.parametrize(("scenario", "seed", "final"), [
    ("cover_replaced", 9201, Status.VERIFIED), ("cover_missing", 9202, Status.REOPENED)])
def test_handled_case_is_verified_or_reopened_by_its_camera(
    scenario: str, seed: int, final: Status, detector: Detector, redis_url: str,
    stream_name: str, tmp_path: Path,
) -> None:
    site = site_for(stream_name, tmp_path, redis_url)
    store = open_store(url=sqlite_url(tmp_path))
    clock = FrameClock()
    process, client = case_process(site, store, clock=clock)
    publisher = StreamPublisher(client, site.redis.dispatch_stream, 1000, 600)
    queue = DispatchQueue(Outbox(tmp_path / "outbox.sqlite"), publisher)
    truth, renderer, script = scene(scenario, seed)
    camera = camera_from_truth(truth, "cam-v", "rtsp://127.0.0.1/cam-v")
    raised: list[Alert] = []

    def sink(alert: Alert) -> None:
        raised.append(alert)
        queue.submit(alert)

    pipeline = CameraPipeline(camera, detector, site.category, EvidenceStore(tmp_path / "ev"),
                              sink, replay=True)
    inbox = VerificationInbox(process.board, lambda: [pipeline])
    handled: str | None = None
    for i in range(int(DURATION_S / STEP_S)):
        t = i * STEP_S
        image, _ = renderer.render(t, script.states_at(t))
        clock.now = T0 + timedelta(seconds=t)
        pipeline.process(Frame("cam-v", image, t, clock.now, i))
        if handled is None and t >= HANDLED_AT_S:
            handled = handle_the_cover_case(process, raised)
            assert inbox.poll_once() == 1
            assert inbox.poll_once() == 0  # handed out once
    assert handled is not None
    drain(process.verdicts, lambda: process.verdicts_handler.applied == 1)  # type: ignore[arg-type]

    item = process.cases.get(handled)
    assert item.status == final
    moves = [(m.to_status, m.actor) for m in process.cases.history(handled)]
    assert moves[-1] == (final, "camera:cam-v")
    assert client.hlen(site.escalation.verification.requests_key) == 0
    triggers = [e.trigger for e in escalations(store, handled)]
    assert ("reopened" in triggers) == (final is Status.REOPENED)
    published = [f[b"trigger"] for _, f in client.xrange(site.escalation.stream)]
    assert (b"reopened" in published) == (final is Status.REOPENED)
    process.tick()  # nothing is handled any more: no new request
    assert client.hlen(site.escalation.verification.requests_key) == 0
    store.close()


def handle_the_cover_case(process: object, raised: list[Alert]) -> str:
    """The operator confirms, dispatches and marks handled the cover-0 alert; the tick posts
    its verification request."""
    from gridwatch.cases.process import CaseProcess

    assert isinstance(process, CaseProcess)
    (alert,) = [a for a in raised if a.zone == "cover-0"]
    drain(process.alerts, lambda: process.intake.outcomes["recorded"] >= len(raised))  # type: ignore[arg-type]
    process.cases.confirm(alert.alert_id, "op1")
    process.cases.dispatch(alert.alert_id, "op1")
    process.cases.mark_handled(alert.alert_id, "field-team")
    process.tick()
    return alert.alert_id
