from __future__ import annotations

from fractions import Fraction

from gridwatch.ingest.sampling import SampleSchedule, StreamClock


def _taken(schedule: SampleSchedule, times: list[float]) -> list[float]:
    return [t for t in times if schedule.due(t)]


def test_one_frame_per_interval_of_stream_time() -> None:
    times = [i / 25 for i in range(250)]  # 10 s at 25 fps
    assert _taken(SampleSchedule(1.0), times) == [float(i) for i in range(10)]


def test_interval_zero_takes_every_frame() -> None:
    times = [i / 10 for i in range(20)]
    assert _taken(SampleSchedule(0), times) == times


def test_interval_shorter_than_frames_takes_every_frame() -> None:
    times = [i / 5 for i in range(10)]
    assert _taken(SampleSchedule(0.1), times) == times


def test_a_gap_does_not_cause_a_burst() -> None:
    times = [0.0, 0.5, 1.0, 5.2, 5.3, 5.7, 6.2, 7.2]
    assert _taken(SampleSchedule(1.0), times) == [0.0, 1.0, 5.2, 6.2, 7.2]


def test_a_jump_back_restarts_the_schedule() -> None:
    times = [0.0, 1.0, 2.0, 3.0, 0.0, 0.5, 1.0]
    assert _taken(SampleSchedule(1.0), times) == [0.0, 1.0, 2.0, 3.0, 0.0, 1.0]


def test_clock_counts_from_the_first_frame() -> None:
    clock = StreamClock(Fraction(1, 90000), Fraction(1, 10))
    values = []
    for pts in (900_000, 909_000, 918_000):
        clock.observe_packet(pts)
        values.append(clock.frame_seconds(pts))
    assert values == [0.0, 0.1, 0.2]


def test_clock_places_a_first_frame_without_pts_one_step_before_the_next() -> None:
    """FFmpeg's RTSP demuxer often gives the first packet no pts."""
    clock = StreamClock(Fraction(1, 90000), Fraction(1, 10))
    clock.observe_packet(None)
    first = clock.frame_seconds(None)
    clock.observe_packet(27000)
    second = clock.frame_seconds(27000)
    assert first == 0.0
    assert second == 0.1


def test_clock_fills_a_missing_pts_mid_stream_with_one_step() -> None:
    clock = StreamClock(Fraction(1, 1000), Fraction(1, 25))
    clock.observe_packet(0)
    assert clock.frame_seconds(0) == 0.0
    assert clock.frame_seconds(None) == 0.04
