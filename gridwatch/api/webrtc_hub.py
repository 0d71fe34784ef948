"""Live view over WebRTC (aiortc): one MediaPlayer per camera, shared by its viewers via MediaRelay.

Only host candidates are gathered (no STUN/TURN server is configured), so media stays on the
machine's own interfaces. A camera's player is stopped when its last viewer leaves.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer, MediaRelay

from gridwatch.config.models import CameraConfig

log = logging.getLogger(__name__)
RTSP_OPTIONS = {"rtsp_transport": "tcp", "analyzeduration": "0", "probesize": "32768"}


class TooManyViewers(RuntimeError):
    pass


class LiveViewError(RuntimeError):
    pass


@dataclass
class _CameraFeed:
    player: MediaPlayer
    peers: set[RTCPeerConnection] = field(default_factory=set)


class WebRtcHub:
    def __init__(self, max_peers: int = 16) -> None:
        self.max_peers = max_peers
        self.relay = MediaRelay()
        self._feeds: dict[str, _CameraFeed] = {}
        self._lock = asyncio.Lock()

    @property
    def peer_count(self) -> int:
        return sum(len(f.peers) for f in self._feeds.values())

    def _open_player(self, camera: CameraConfig) -> MediaPlayer:
        url = camera.url.get_secret_value()
        options = RTSP_OPTIONS if url.startswith("rtsp") else {}
        try:
            return MediaPlayer(url, options=options, timeout=5)
        except Exception as exc:  # PyAV raises many kinds; the message must not carry the URL
            raise LiveViewError(f"cannot open the camera's stream ({type(exc).__name__})") from None

    async def answer(self, camera: CameraConfig, offer_sdp: str) -> RTCSessionDescription:
        async with self._lock:
            if self.peer_count >= self.max_peers:
                raise TooManyViewers(f"at most {self.max_peers} live viewers at once")
            feed = self._feeds.get(camera.id)
            if feed is None:
                player = await asyncio.to_thread(self._open_player, camera)
                if player.video is None:
                    if player.audio is not None:
                        player.audio.stop()
                    raise LiveViewError("the camera's stream has no video")
                feed = self._feeds[camera.id] = _CameraFeed(player)
            pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
            feed.peers.add(pc)

        @pc.on("connectionstatechange")
        async def _changed() -> None:
            if pc.connectionState in {"failed", "closed"}:
                await self._drop(camera.id, pc)

        video = feed.player.video
        try:
            if video is None:
                raise RuntimeError("the camera's stream has no video")
            pc.addTrack(self.relay.subscribe(video, buffered=False))
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())
        except (ValueError, RuntimeError) as exc:
            await self._drop(camera.id, pc)
            raise LiveViewError(f"bad offer: {exc}") from None
        return pc.localDescription

    async def _drop(self, camera_id: str, pc: RTCPeerConnection) -> None:
        async with self._lock:
            feed = self._feeds.get(camera_id)
            if feed is None or pc not in feed.peers:
                return
            feed.peers.discard(pc)
            if not feed.peers:
                del self._feeds[camera_id]
                if feed.player.video is not None:
                    feed.player.video.stop()
        await pc.close()

    async def close(self) -> None:
        for camera_id, feed in list(self._feeds.items()):
            for pc in list(feed.peers):
                await self._drop(camera_id, pc)
