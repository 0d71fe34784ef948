"""A camera's current picture as JPEG: one frame grabbed from its stream, cached briefly."""

from __future__ import annotations

import asyncio
import time

import av
import cv2

from gridwatch.config.models import CameraConfig

OPEN_OPTIONS = {"rtsp_transport": "tcp", "analyzeduration": "0", "probesize": "32768"}


class SnapshotUnavailable(RuntimeError):
    pass


def grab_jpeg(url: str, timeout_s: float = 5.0, max_packets: int = 600) -> bytes:
    """Decode the first picture of ``url`` and encode it as JPEG."""
    options = OPEN_OPTIONS if url.startswith("rtsp") else {}
    try:
        with av.open(url, options=options, timeout=(timeout_s, timeout_s)) as container:
            stream = container.streams.video[0]
            for n, packet in enumerate(container.demux(stream)):
                for frame in packet.decode():
                    ok, encoded = cv2.imencode(".jpg", frame.to_ndarray(format="bgr24"),
                                               [cv2.IMWRITE_JPEG_QUALITY, 85])
                    if ok:
                        return bytes(encoded.tobytes())
                if n >= max_packets:
                    break
    except (av.FFmpegError, OSError, IndexError) as exc:
        raise SnapshotUnavailable(f"cannot read the stream: {type(exc).__name__}") from None
    raise SnapshotUnavailable("the stream gave no picture")


class SnapshotCache:
    """One grab per camera per ``ttl_s``; concurrent requests share it."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, bytes]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def jpeg(self, camera: CameraConfig) -> bytes:
        lock = self._locks.setdefault(camera.id, asyncio.Lock())
        async with lock:
            hit = self._cache.get(camera.id)
            if hit is not None and time.monotonic() - hit[0] < self.ttl_s:
                return hit[1]
            data = await asyncio.to_thread(grab_jpeg, camera.url.get_secret_value())
            self._cache[camera.id] = (time.monotonic(), data)
            return data
