"""Stream time and the sampling schedule of one connection.

``StreamClock`` turns pts into seconds since the connection's first frame. Over RTSP, FFmpeg
often gives the very first packet no pts; the clock then counts it as one frame period before
the first packet that has one (``frame_step_s`` from the stream's frame rate).
``SampleSchedule`` says which frames are worth converting: at most one per interval.
"""

from __future__ import annotations

from fractions import Fraction

_EPS = 1e-6


class StreamClock:
    """Exact arithmetic (``Fraction``) so that frame n of a 10 fps stream is exactly n/10 s."""

    def __init__(self, time_base: Fraction, frame_step: Fraction) -> None:
        self._time_base = time_base
        self._step = frame_step
        self._origin: Fraction | None = None
        self._unknown_packets = 0
        self._last = Fraction(0)

    def observe_packet(self, pts: int | None) -> None:
        """Call for each demuxed packet, before decoding it."""
        if self._origin is not None:
            return
        if pts is None:
            self._unknown_packets += 1
        else:
            self._origin = pts * self._time_base - self._unknown_packets * self._step

    def frame_seconds(self, pts: int | None) -> float:
        """Seconds since the first frame for a decoded frame's pts (None: one step on)."""
        if pts is None:
            value = Fraction(0) if self._origin is None else self._last + self._step
        else:
            t = pts * self._time_base
            if self._origin is None:
                self._origin = t
            value = t - self._origin
        self._last = value
        return float(value)


class SampleSchedule:
    """Due at the first frame, then at the first frame at or after each ``interval_s`` step.

    Falling behind (a gap in the stream) does not cause a burst: the next step is counted from
    the frame taken. A jump backwards (a new clip, a reset clock) starts over.
    """

    def __init__(self, interval_s: float) -> None:
        self._interval = interval_s
        self._next: float | None = None

    def due(self, t: float) -> bool:
        if self._interval <= 0:
            return True
        if self._next is not None and t < self._next - 2 * self._interval:
            self._next = None
        if self._next is None:
            self._next = t + self._interval
            return True
        if t + _EPS < self._next:
            return False
        late = t - self._next >= self._interval
        self._next = t + self._interval if late else self._next + self._interval
        return True
