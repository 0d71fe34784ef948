"""Alert engine: per-(zone, incident) persistence, routing, and the alert record."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo

from gridwatch.alerts.episodes import SharedEpisodes
from gridwatch.alerts.persistence import Episode, PersistenceTracker, Sample, TrackerState
from gridwatch.alerts.record import CAMERA_ZONE, Alert, make_alert_id
from gridwatch.alerts.suppression import SuppressionList
from gridwatch.alerts.zones import Observation
from gridwatch.config.incidents import WarningLevel
from gridwatch.config.models import CameraConfig, IncidentCategory, RuleConfig, ZoneConfig
from gridwatch.config.schedule import schedule_active
from gridwatch.types import Frame

log = logging.getLogger(__name__)

CategoryLookup = Callable[[str], IncidentCategory]


class AlertEngine:
    """Feeds observations into one tracker per (zone, incident); emits one alert per episode."""

    def __init__(
        self, camera: CameraConfig, categories: CategoryLookup, *, replay: bool, tz: tzinfo = UTC
    ) -> None:
        self.camera = camera
        self.categories = categories
        self.replay = replay
        self.tz = tz  # the site's timezone: rule schedules are local times
        self._rules: dict[tuple[str, str], tuple[ZoneConfig, RuleConfig]] = {
            (zone.name, rule.incident): (zone, rule) for zone in camera.zones for rule in zone.rules
        }
        self._trackers = {
            key: PersistenceTracker(
                rule.min_seconds, rule.clear_seconds, rule.min_ratio, rule.overlap
            )
            for key, (_, rule) in self._rules.items()
        }
        self._video_t0: float | None = None
        self._on_since: dict[tuple[str, str], float] = {}  # when each rule's schedule last began
        self.suppressions = SuppressionList()  # replaced by whoever keeps operator feedback
        self.suppressed = 0
        self.shared: SharedEpisodes | None = None  # set by a worker sharing episodes (alerts.episodes)
        self.suspended_since: float | None = None  # epoch s the rules went blind (``suspend``)

    @property
    def video_t0(self) -> float | None:
        """Wall-clock time (epoch s) of the stream's time zero, once a frame has been seen."""
        return self._video_t0

    def suspend(self, t: float) -> None:
        """The camera's rules are blind from epoch seconds ``t`` (its view moved): until
        ``resume``, ``update`` ignores observations, nothing clears and nothing is raised;
        pending episodes are dropped, active ones stay active."""
        if self.suspended_since is None:
            self.suspended_since = t
            for tracker in self._trackers.values():
                tracker.suspend()

    def resume(self, t: float) -> None:
        """The rules see again from ``t``: active episodes clear only after their
        ``clear_seconds`` without the incident from now (the blind time does not count)."""
        if self.suspended_since is not None:
            self.suspended_since = None
            for tracker in self._trackers.values():
                tracker.resume(t)

    def update(self, frame: Frame, observations: Iterable[Observation]) -> list[Alert]:
        t = frame.wall_time.timestamp()
        if self._video_t0 is None:
            self._video_t0 = t - frame.pts_s
        if self.suspended_since is not None:
            return []
        alerts = []
        for obs in observations:
            key = (obs.zone, obs.incident)
            tracker = self._trackers.get(key)
            if tracker is None:
                continue
            active = self._in_schedule(key, frame.wall_time)
            if not active:
                self._on_since.pop(key, None)
            on_since = self._on_since.setdefault(key, t) if active else t
            # an object there before the rule's hours began is an incident from their start
            since = None if obs.since is None else max(obs.since, on_since)
            present = obs.present and active
            sample = Sample(t, present, obs.confidence, obs.bbox, since, obs.restarts)
            episode = tracker.update(sample)
            if self.shared is not None:
                episode = self.shared.follow(
                    obs.zone, obs.incident, active=tracker.state is TrackerState.ACTIVE,
                    present=present, raised=episode)
            if episode is not None and not self._suppressed(obs, episode, t):
                alerts.append(self._alert(*self._rules[key], episode))
        return alerts

    def _in_schedule(self, key: tuple[str, str], when: datetime) -> bool:
        windows = self._rules[key][1].schedule
        return not windows or schedule_active(windows, when.astimezone(self.tz))

    def _suppressed(self, obs: Observation, episode: Episode, t: float) -> bool:
        """An operator rejected this incident at this place: no alert for the episode."""
        hit = self.suppressions.match(obs.zone, obs.incident, episode.bbox, t)
        if hit is not None:
            self.suppressed += 1
            log.info(
                "camera %s zone %s: %s suppressed (operator rejected alert %s: %s)",
                self.camera.id, obs.zone, obs.incident, hit.alert_id, hit.reason or "no reason",
            )
        return hit is not None

    def camera_alert(self, incident: str, episode: Episode, frame: Frame) -> Alert:
        """A camera-level alert (``camera_moved``): no zone (``CAMERA_ZONE``), the whole view."""
        if self._video_t0 is None:
            self._video_t0 = frame.wall_time.timestamp() - frame.pts_s
        category = self.categories(incident)
        return self._record(CAMERA_ZONE, incident, category.code, category.level,
                            category.department, None, episode)

    def _alert(self, zone: ZoneConfig, rule: RuleConfig, episode: Episode) -> Alert:
        category = self.categories(rule.incident)
        return self._record(
            zone.name, rule.incident, rule.category_code or category.code,
            rule.level or category.level, rule.department or category.department, zone.shop,
            episode,
        )

    def _record(self, zone: str, incident: str, code: str, level: WarningLevel, department: str,
                shop: str | None, episode: Episode) -> Alert:
        started = datetime.fromtimestamp(episode.started_t, UTC)
        alert_id = make_alert_id(self.camera.id, zone, incident, started)
        t0 = self._video_t0 or 0.0
        x1, y1, x2, y2 = episode.bbox
        return Alert(
            alert_id=alert_id,
            camera_id=self.camera.id,
            zone=zone,
            incident=incident,
            category_code=code,
            level=level,
            confidence=round(min(max(episode.confidence, 0.0), 1.0), 4),
            started_at=started,
            raised_at=datetime.fromtimestamp(episode.raised_t, UTC),
            started_s=round(episode.started_t - t0, 3) if self.replay else None,
            raised_s=round(episode.raised_t - t0, 3) if self.replay else None,
            bbox=(round(x1, 4), round(y1, 4), round(x2, 4), round(y2, 4)),
            street=self.camera.street,
            grid=self.camera.grid,
            department=department,
            shop=shop,
            evidence=f"{self.camera.id}/{alert_id}.jpg",
        )
