"""A camera's health as states with timestamps, and maintenance alerts for lasting problems.

``HealthTracker.update(now, reader_state, stats)`` takes what the reader says and, when a new
sample was checked, its ``ViewStats``; it returns the ``CameraEvent``s (every state change) and
``MaintenanceAlert``s it caused. States: ``online``, ``offline`` (the reader cannot open or gets
no data), ``frozen``, ``tampered``, ``moved``. An image problem must show on ``confirm_checks``
checks in a row before it is entered; an offline camera is online again only once connected
``online_after_s`` without a reconnect (``reconnects``, the reader's count, shows drops between
two looks), so a flapping camera gives one ``offline`` event, not two events per flap.
Problems form an episode that ends only after the camera was healthy ``recover_after_s``
(hysteresis): a camera flapping every few seconds is one episode
(its reconnects meanwhile follow the reader's exponential backoff), and an episode older than
``alert_after_s`` raises one ``camera_<state>`` alert, never more; its end raises a ``resolved``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.view_check import (
    ViewReference,
    ViewStats,
    frozen_against,
    move_check,
    tamper_check,
)


class CameraState(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    FROZEN = "frozen"
    TAMPERED = "tampered"
    MOVED = "moved"


@dataclass(frozen=True, slots=True)
class CameraEvent:
    camera_id: str
    from_state: CameraState
    to_state: CameraState
    at: float
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MaintenanceAlert:
    """``kind`` is ``camera_offline`` etc., or ``resolved`` when the episode is over."""

    camera_id: str
    kind: str
    episode_started: float
    at: float
    detail: dict[str, Any]


@dataclass
class Changes:
    events: list[CameraEvent] = field(default_factory=list)
    alerts: list[MaintenanceAlert] = field(default_factory=list)


class HealthTracker:
    def __init__(self, camera_id: str, config: CameraHealthConfig, now: float) -> None:
        self.camera_id = camera_id
        self.config = config
        self.state = CameraState.UNKNOWN
        self.since = now
        self.reference = ViewReference(config.checks)
        self._created = now
        self._previous: ViewStats | None = None
        self._frozen_since: float | None = None
        self._odd = 0
        self._pending: tuple[CameraState, int] | None = None
        self._episode: float | None = None
        self._episode_kind: CameraState | None = None
        self._alerted = False
        self._healthy_since: float | None = None
        self._up_since: float | None = None
        self._reconnects = 0
        self.detail: dict[str, Any] = {}

    def update(
        self, now: float, reader: ReaderState, stats: ViewStats | None,
        reconnects: int | None = None,
    ) -> Changes:
        changes = Changes()
        self._track_uptime(now, reader, reconnects)
        target = self._target(now, reader, stats)
        if target is not None and target is not self.state:
            changes.events.append(
                CameraEvent(self.camera_id, self.state, target, now, dict(self.detail)))
            self.state, self.since = target, now
        self._episodes(now, changes)
        return changes

    def _track_uptime(self, now: float, reader: ReaderState, reconnects: int | None) -> None:
        """Since when the reader has been up without a drop (None while it is down)."""
        dropped = reconnects is not None and reconnects > self._reconnects
        if reconnects is not None:
            self._reconnects = reconnects
        if reader is ReaderState.OFFLINE or dropped:
            self._up_since = None
        if reader in (ReaderState.ONLINE, ReaderState.IDLE) and self._up_since is None:
            self._up_since = now

    def _target(self, now: float, reader: ReaderState, stats: ViewStats | None
                ) -> CameraState | None:
        if reader is ReaderState.OFFLINE:
            return CameraState.OFFLINE
        if reader is ReaderState.CONNECTING:
            waited = now - self._created >= self.config.offline_after_s
            return CameraState.OFFLINE if self.state is CameraState.UNKNOWN and waited else None
        if reader not in (ReaderState.ONLINE, ReaderState.IDLE):
            return None
        if self.state is CameraState.OFFLINE and (
                self._up_since is None or now - self._up_since < self.config.online_after_s):
            return None  # back, but not for long enough yet
        if stats is None:
            unknown = self.state in (CameraState.OFFLINE, CameraState.UNKNOWN)
            return CameraState.ONLINE if unknown else None
        return self._check(now, stats)

    def _check(self, now: float, stats: ViewStats) -> CameraState:
        checks = self.config.checks
        verdict = tamper_check(stats, self.reference, checks)
        if verdict.problem is None:
            verdict = move_check(stats, self.reference, checks)
        frozen = self._frozen(now, stats)
        self._previous = stats
        if verdict.problem is not None:
            return self._confirmed(CameraState(verdict.problem), verdict.detail)
        self._pending = None
        if frozen:
            self.detail = {"for_s": round(now - (self._frozen_since or now), 1)}
            return CameraState.FROZEN
        self.reference.learn(stats)
        self.detail = {}
        return CameraState.ONLINE

    def _confirmed(self, problem: CameraState, detail: dict[str, Any]) -> CameraState:
        seen = self._pending[1] + 1 if self._pending and self._pending[0] is problem else 1
        self._pending = (problem, seen)
        if seen >= self.config.confirm_checks or self.state is problem:
            self.detail = detail
            return problem
        return self.state if self.state is not CameraState.UNKNOWN else CameraState.ONLINE

    def _frozen(self, now: float, stats: ViewStats) -> bool:
        """Identical samples for ``frozen_after_s``; one odd sample (a re-encoded keyframe of
        the frozen picture) does not end the run, two in a row do."""
        if frozen_against(self._previous, stats, self.config.checks):
            self._odd = 0
            if self._frozen_since is None:
                self._frozen_since = now
        elif self._frozen_since is not None:
            self._odd += 1
            if self._odd >= 2:
                self._frozen_since = None
        since = self._frozen_since
        return since is not None and now - since >= self.config.frozen_after_s

    def _episodes(self, now: float, changes: Changes) -> None:
        problem = self.state not in (CameraState.ONLINE, CameraState.UNKNOWN)
        if problem:
            self._healthy_since = None
            if self._episode is None:
                self._episode, self._alerted = now, False
            self._episode_kind = self.state
        elif self._episode is not None:
            self._healthy_since = self._healthy_since or now
            if now - self._healthy_since >= self.config.recover_after_s:
                if self._alerted:
                    changes.alerts.append(MaintenanceAlert(
                        self.camera_id, "resolved", self._episode, now, {}))
                self._episode = None
                return
        due = self._episode is not None and now - self._episode >= self.config.alert_after_s
        if due and not self._alerted and self._episode is not None:
            self._alerted = True
            kind = self._episode_kind or self.state
            changes.alerts.append(MaintenanceAlert(
                self.camera_id, f"camera_{kind}", self._episode, now, dict(self.detail)))
