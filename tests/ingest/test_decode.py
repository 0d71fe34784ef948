"""The decode + sample core on a real H.264 file (no threads)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import numpy as np
import pytest

from gridwatch.ingest.decode import NoVideoStream, SampledDecoder
from gridwatch.sim.testing import read_counter


def test_samples_one_frame_per_interval_and_converts_only_those(counter_clip: Path) -> None:
    with av.open(str(counter_clip)) as container:
        decoder = SampledDecoder(container, "cam", sample_interval_s=1.0, first_index=5)
        items = list(decoder.frames())
    frames = [f for f in items if f is not None]
    assert decoder.decoded == len(items) == 100
    assert [f.pts_s for f in frames] == [float(s) for s in range(10)]
    assert [read_counter(f.image) for f in frames] == list(range(0, 100, 10))
    assert [f.index for f in frames] == list(range(5, 15))
    assert all(f.image.shape == (360, 640, 3) and f.camera_id == "cam" for f in frames)
    assert decoder.next_index == 15


def test_keyframes_only_decodes_just_the_keyframes(counter_clip: Path) -> None:
    with av.open(str(counter_clip)) as container:
        decoder = SampledDecoder(container, "cam", sample_interval_s=0.0, keyframes_only=True)
        frames = [f for f in decoder.frames() if f is not None]
    assert decoder.decoded == 5
    assert [read_counter(f.image) for f in frames] == [0, 20, 40, 60, 80]
    assert [f.pts_s for f in frames] == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_b_frames_come_out_in_presentation_order(short_clip: Path) -> None:
    with av.open(str(short_clip)) as container:
        frames = [f for f in SampledDecoder(container, "c", 0.0).frames() if f is not None]
    assert [read_counter(f.image) for f in frames] == list(range(40))
    assert [round(f.pts_s, 6) for f in frames] == [round(i / 10, 6) for i in range(40)]


def test_wall_clock_can_follow_the_video(counter_clip: Path) -> None:
    start = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    with av.open(str(counter_clip)) as container:
        decoder = SampledDecoder(container, "cam", 2.5,
                                 wall_clock=lambda pts: start + timedelta(seconds=pts))
        frames = [f for f in decoder.frames() if f is not None]
    assert [f.wall_time - start for f in frames] == [timedelta(seconds=s) for s in (0, 2.5, 5, 7.5)]


def test_a_file_without_video_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audio.wav"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=8000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 800), np.int16), format="s16",
                                           layout="mono")
        frame.sample_rate = 8000
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with av.open(str(path)) as container, pytest.raises(NoVideoStream):
        SampledDecoder(container, "cam", 1.0)
