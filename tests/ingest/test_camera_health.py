"""Camera health states, episodes and alerts (pure logic: reader states fed in by hand)."""

from __future__ import annotations

import pytest

from gridwatch.ingest.camera_health import CameraState, HealthTracker
from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.health_config import CameraHealthConfig

CONFIG = CameraHealthConfig(alert_after_s=60.0, recover_after_s=30.0, offline_after_s=10.0)


def run(pattern: list[tuple[float, ReaderState]], until: float) -> tuple[list[str], list[str]]:
    """Feed reader states (from each time on) once a second; the events and alerts seen."""
    tracker = HealthTracker("cam", CONFIG, 0.0)
    events, alerts = [], []
    for t in range(int(until)):
        state = [s for start, s in pattern if start <= t][-1]
        changes = tracker.update(float(t), state, None)
        events += [f"{e.from_state}>{e.to_state}" for e in changes.events]
        alerts += [a.kind for a in changes.alerts]
    return events, alerts


def flapping(period_s: int, until: int) -> list[tuple[float, ReaderState]]:
    pattern = [(0.0, ReaderState.ONLINE)]
    for t in range(10, until, period_s):
        pattern += [(float(t), ReaderState.OFFLINE), (t + period_s / 2, ReaderState.ONLINE)]
    return pattern


@pytest.mark.parametrize(("pattern", "until", "alerts"), [
    ([(0, ReaderState.ONLINE)], 200, []),
    ([(0, ReaderState.ONLINE), (10, ReaderState.OFFLINE), (15, ReaderState.ONLINE)], 200, []),
    ([(0, ReaderState.ONLINE), (10, ReaderState.OFFLINE)], 200, ["camera_offline"]),
    ([(0, ReaderState.ONLINE), (10, ReaderState.OFFLINE), (100, ReaderState.ONLINE)], 200,
     ["camera_offline", "resolved"]),
    ([(0, ReaderState.CONNECTING)], 100, ["camera_offline"]),
    (flapping(4, 300), 300, ["camera_offline"]),
])
def test_one_alert_per_lasting_episode(
    pattern: list[tuple[float, ReaderState]], until: float, alerts: list[str]
) -> None:
    assert run(pattern, until)[1] == alerts


def test_every_state_change_is_an_event() -> None:
    pattern = [(0, ReaderState.ONLINE), (10, ReaderState.OFFLINE), (20, ReaderState.ONLINE)]
    events, _ = run(pattern, 40)
    assert events == ["unknown>online", "online>offline", "offline>online"]


def test_never_connected_becomes_offline_after_the_grace_period() -> None:
    tracker = HealthTracker("cam", CONFIG, 0.0)
    assert tracker.update(5.0, ReaderState.CONNECTING, None).events == []
    events = tracker.update(11.0, ReaderState.CONNECTING, None).events
    assert [e.to_state for e in events] == [CameraState.OFFLINE]


def test_a_flapping_camera_is_one_offline_event_until_it_stays_up() -> None:
    events, alerts = run([*flapping(4, 100), (100.0, ReaderState.ONLINE)], 200)
    assert events == ["unknown>online", "online>offline", "offline>online"]
    assert alerts == ["camera_offline", "resolved"]


def test_drops_between_two_looks_keep_the_camera_offline() -> None:
    tracker = HealthTracker("cam", CONFIG, 0.0)
    tracker.update(0.0, ReaderState.ONLINE, None, 0)
    tracker.update(1.0, ReaderState.OFFLINE, None, 0)
    for t in range(2, 20):  # seen online or connecting, but it reconnected in between
        state = ReaderState.CONNECTING if t in (9, 19) else ReaderState.ONLINE
        assert tracker.update(float(t), state, None, t).events == []
    assert tracker.state is CameraState.OFFLINE
    back = [tracker.update(float(t), ReaderState.ONLINE, None, 19).events for t in range(20, 30)]
    assert [(t, e[0].to_state) for t, e in zip(range(20, 30), back, strict=True) if e] == [
        (25, CameraState.ONLINE)]  # up since 20: the drop was last seen while connecting
