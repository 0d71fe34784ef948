"""Open a stream with PyAV and decode it, converting only the frames that are sampled.

Decoding every frame is unavoidable (P-frames need their references, unless ``keyframes_only``),
but the conversion to a BGR ndarray is the other big cost, so it is done only for frames due by
the ``SampleSchedule``, with a ``VideoReformatter`` that lives as long as the reader's thread
(pass ``reformatter``; PyAV otherwise builds a new swscale context for every frame: ~0.18 ms
instead of ~0.10 ms at 640x360, ~0.56 instead of ~0.38 ms at 1280x720, and ~0.46 instead of
~0.12 ms for a snapshot's single frame). One reformatter must not be used by two threads.
The generator yields ``None`` for frames decoded and not sampled, so the caller can check for
stop and keep its health current between samples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

import av
import numpy as np
from av.container import InputContainer
from av.video.reformatter import VideoReformatter
from av.video.stream import VideoStream

from gridwatch.ingest.sampling import SampleSchedule, StreamClock
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.ingest.url import is_local_source, local_path
from gridwatch.types import Frame, Image

WallClock = Callable[[float], datetime]
MAX_CONSECUTIVE_DECODE_ERRORS = 50
_MAX_SANE_FPS = 1000


class NoVideoStream(ValueError):
    """The source opened but carries no video."""


def open_options(settings: ReaderSettings) -> dict[str, str]:
    """FFmpeg options for a network source (see DESIGN.md §4; never ``fflags=nobuffer``)."""
    options = {"analyzeduration": "0", "probesize": str(settings.probesize)}
    if settings.url.lower().startswith(("rtsp://", "rtsps://")):
        options["rtsp_transport"] = settings.rtsp_transport
    return options


def open_source(settings: ReaderSettings) -> InputContainer:
    """Open the camera's URL (or local file) with the open/read timeouts of ``settings``."""
    timeout: Any = (settings.open_timeout_s, settings.read_timeout_s)
    if is_local_source(settings.url):
        return av.open(str(local_path(settings.url)), mode="r", timeout=timeout)
    return av.open(settings.url, mode="r", options=open_options(settings), timeout=timeout)


def utc_now(_pts_s: float) -> datetime:
    return datetime.now(UTC)


def _frame_step(stream: VideoStream) -> Fraction:
    """One frame period, from the codec's frame rate (SPS timing) or FFmpeg's guess; 0 if
    neither is plausible."""
    rate = stream.codec_context.framerate or stream.guessed_rate
    if rate is None or not 0 < rate <= _MAX_SANE_FPS:
        return Fraction(0)
    return 1 / Fraction(rate)


class SampledDecoder:
    """Decodes the first video stream of an open container into sampled ``Frame``s."""

    def __init__(
        self,
        container: InputContainer,
        camera_id: str,
        sample_interval_s: float,
        *,
        keyframes_only: bool = False,
        first_index: int = 0,
        wall_clock: WallClock = utc_now,
        reformatter: VideoReformatter | None = None,
    ) -> None:
        if not container.streams.video:
            raise NoVideoStream("the stream has no video track")
        self._container = container
        self._stream = container.streams.video[0]
        self._stream.codec_context.thread_count = 1  # one core per camera is plenty; no pool
        if keyframes_only:
            self._stream.codec_context.skip_frame = "NONKEY"
        time_base = self._stream.time_base or Fraction(1, 90000)
        self._clock = StreamClock(time_base, _frame_step(self._stream))
        self._schedule = SampleSchedule(sample_interval_s)
        self._camera_id = camera_id
        self._wall_clock = wall_clock
        self._reformatter = reformatter or VideoReformatter()
        self.next_index = first_index
        self.decoded = 0
        self.decode_errors = 0
        self._error_run = 0

    def frames(self) -> Iterator[Frame | None]:
        """A ``Frame`` per sampled frame, ``None`` per frame decoded and skipped; ends at EOF."""
        for packet in self._container.demux(self._stream):
            self._clock.observe_packet(packet.pts)
            for frame in self._decode(packet):
                self.decoded += 1
                pts_s = self._clock.frame_seconds(frame.pts)
                yield self._convert(frame, pts_s) if self._schedule.due(pts_s) else None

    def _decode(self, packet: av.Packet[VideoStream]) -> list[av.VideoFrame]:
        try:
            frames = [f for f in packet.decode() if isinstance(f, av.VideoFrame)]
        except av.InvalidDataError:
            self.decode_errors += 1
            self._error_run += 1
            if self._error_run > MAX_CONSECUTIVE_DECODE_ERRORS:
                raise
            return []
        self._error_run = 0
        return frames

    def _convert(self, frame: av.VideoFrame, pts_s: float) -> Frame:
        bgr = self._reformatter.reformat(frame, format="bgr24")
        image: Image = np.ascontiguousarray(bgr.to_ndarray(), dtype=np.uint8)
        index = self.next_index
        self.next_index += 1
        return Frame(self._camera_id, image, pts_s, self._wall_clock(pts_s), index)
