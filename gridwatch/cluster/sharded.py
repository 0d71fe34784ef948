"""A LiveWorker whose cameras come and go with this member's share of the cluster."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence

import redis

from gridwatch.alerts.episodes import EpisodeLedger, SharedEpisodes
from gridwatch.cluster.member import ClusterMember
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.camera import AlertSink
from gridwatch.pipeline.live import stop_on_signals
from gridwatch.pipeline.worker import LiveWorker
from gridwatch.verification.board import VerificationBoard
from gridwatch.verification.inbox import VerificationInbox

log = logging.getLogger(__name__)


def default_member_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class ShardedWorker:
    """Reads only the cameras whose lease this member holds; ongoing incident episodes are
    shared through Redis (``alerts.episodes``), so a camera taken over mid-incident does not
    alert twice."""

    def __init__(
        self, site: GridwatchConfig, cameras: Sequence[CameraConfig], sink: AlertSink,
        client: redis.Redis, member_id: str | None = None,
    ) -> None:
        self.cameras = {c.id: c for c in cameras if c.enabled}
        self.worker = LiveWorker(site, [], sink)
        self.episodes = EpisodeLedger.for_site(client, site.cluster)
        self._grace_s = site.cluster.episode_grace_s
        self.member = ClusterMember(
            client, member_id or default_member_id(), self.cameras, site.cluster,
            on_acquire=self._acquire, on_release=self._release,
        )
        self.inbox = VerificationInbox(  # re-checks of handled cases for the cameras held now
            VerificationBoard.from_config(client, site),
            lambda: [slot.pipeline for slot in self.worker.slots],
            site.escalation.verification.poll_s,
        )

    def _acquire(self, camera_id: str) -> None:
        camera = self.cameras[camera_id]
        self.worker.add_camera(camera)
        for slot in self.worker.slots:
            if slot.camera.id == camera_id:
                slot.pipeline.engine.shared = SharedEpisodes.for_camera(
                    self.episodes, camera, self._grace_s)

    def _release(self, camera_id: str) -> None:
        self.worker.remove_camera(camera_id)

    def run(self, duration_s: float | None = None) -> LiveWorker:
        self.worker.start()
        self.member.start()
        self.inbox.start()
        log.info("sharded worker %s: %d camera(s) in the site", self.member.member_id,
                 len(self.cameras))
        try:
            with stop_on_signals(self.worker.stop):
                self.worker.run(duration_s)
        finally:
            self.inbox.stop()
            self.member.stop()
            self.worker.stop()
        return self.worker
