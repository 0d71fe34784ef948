"""Frames of a video file on the video's own clock, sampled as a live camera would be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import av
import numpy as np

from gridwatch.types import Frame, Image


class VideoFileError(ValueError):
    """The file is missing or is not a decodable video."""


def open_video(path: Path) -> av.container.InputContainer:
    """Open ``path`` for decoding, or raise ``VideoFileError`` saying why it cannot be."""
    if not path.is_file():
        raise VideoFileError(f"{path}: no such video file")
    try:
        container = av.open(str(path))
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise VideoFileError(f"{path}: not a video file ({exc})") from None
    if not container.streams.video:
        container.close()
        raise VideoFileError(f"{path}: has no video stream")
    return container


def iter_video_frames(
    path: Path, camera_id: str, interval_s: float, start_time: datetime
) -> Iterator[Frame]:
    """Decode ``path`` as fast as possible, yielding one frame per ``interval_s`` of video time.

    ``wall_time`` is ``start_time`` plus the frame's video time, so alerts carry timestamps as if
    the clip had been live from ``start_time``.
    """
    with open_video(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        first_pts: float | None = None
        next_sample = 0.0
        index = 0
        try:
            for frame in container.decode(stream):
                t = frame.time if frame.time is not None else index / float(stream.average_rate or 25)
                first_pts = t if first_pts is None else first_pts
                video_t = t - first_pts
                index += 1
                if video_t + 1e-6 < next_sample:
                    continue
                next_sample += interval_s
                if next_sample <= video_t:
                    next_sample = video_t + interval_s
                image: Image = np.asarray(frame.to_ndarray(format="bgr24"), dtype=np.uint8)
                yield Frame(
                    camera_id=camera_id,
                    image=image,
                    pts_s=video_t,
                    wall_time=start_time + timedelta(seconds=video_t),
                    index=index - 1,
                )
        except av.FFmpegError as exc:
            raise VideoFileError(f"{path}: decoding failed at frame {index} ({exc})") from None
