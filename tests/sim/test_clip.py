"""Clips: real H.264 encoding, decoded back with PyAV, and their ground-truth JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest

from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import Event, Incident, build_scenario, named_scenario
from gridwatch.sim.truth import load_truth, zone_polygon

FPS, SECONDS, GOP_S = 10, 4.0, 1.0


@pytest.fixture(scope="module")
def cover_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("clips") / "cover_missing.mp4"
    clip = render_clip(named_scenario("cover_missing", 7, SECONDS), out, fps=FPS, gop_s=GOP_S)
    return clip, load_truth(clip)


def decode(clip: Path) -> tuple[list[np.ndarray], list[bool], tuple[int, int]]:
    frames, keys = [], []
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        size = (stream.codec_context.width, stream.codec_context.height)
        for packet in container.demux(stream):
            for frame in packet.decode():
                frames.append(frame.to_ndarray(format="bgr24"))
                keys.append(bool(frame.key_frame))
    return frames, keys, size


def test_clip_decodes_with_the_right_size_count_and_keyframes(
    cover_clip: tuple[Path, dict[str, Any]],
) -> None:
    frames, keys, size = decode(cover_clip[0])
    assert size == (640, 360)
    assert len(frames) == round(SECONDS * FPS)
    gop = round(GOP_S * FPS)
    assert [i for i, key in enumerate(keys) if key] == list(range(0, len(frames), gop))


def test_truth_describes_the_clip(cover_clip: tuple[Path, dict[str, Any]]) -> None:
    clip, truth = cover_clip
    assert (truth["clip"], truth["fps"], truth["duration_s"], truth["frames"]) == (
        clip.name,
        FPS,
        SECONDS,
        40,
    )
    assert (truth["width"], truth["height"], truth["seed"]) == (640, 360, 7)
    ids = [o["id"] for o in truth["objects"]]
    assert ids == ["cover-0", "cover-1", "soil-0"]
    assert [o["class"] for o in truth["objects"]] == ["manhole_cover", "manhole_cover", None]
    (incident,) = truth["incidents"]
    assert incident["incident"] == "manhole_missing" and incident["object"] == "cover-0"
    assert incident["start_s"] == pytest.approx(SECONDS / 3, abs=1e-3) and incident["end_s"] is None
    assert incident["bbox"] == truth["objects"][0]["bbox"]
    assert {z["name"]: z["incidents"] for z in truth["zones"]} == {
        "cover-0": ["manhole_missing"],
        "cover-1": ["manhole_missing"],
        "soil-0": ["bare_soil"],
    }


def test_the_cover_disappears_in_the_decoded_video(cover_clip: tuple[Path, dict[str, Any]]) -> None:
    clip, truth = cover_clip
    frames, _, _ = decode(clip)
    x1, y1, x2, y2 = truth["incidents"][0]["bbox"]
    rows, cols = slice(int(y1 * 360), int(y2 * 360) + 1), slice(int(x1 * 640), int(x2 * 640) + 1)
    start = round(truth["incidents"][0]["start_s"] * FPS)
    before = np.mean([f[rows, cols].mean() for f in frames[: start - 2]])
    after = np.mean([f[rows, cols].mean() for f in frames[start + 1 :]])
    assert after < before - 15


def test_zones_are_convex_inside_the_frame_and_contain_their_object(
    cover_clip: tuple[Path, dict[str, Any]],
) -> None:
    _, truth = cover_clip
    polygons = {o["id"]: o["polygon"] for o in truth["objects"]}
    for zone in truth["zones"]:
        pts = np.asarray(zone["polygon"], dtype=np.float32)
        assert len(pts) >= 4
        assert pts.min() >= 0.0 and pts.max() <= 1.0
        assert cv2.isContourConvex(pts.reshape(-1, 1, 2))
        for x, y in polygons[zone["name"]]:
            assert cv2.pointPolygonTest(pts.reshape(-1, 1, 2), (x, y), False) >= 0


@pytest.mark.parametrize(
    "polygon",
    [
        ((0.4, 0.4), (0.5, 0.4), (0.5, 0.5), (0.4, 0.5)),
        ((0.0, 0.0), (0.1, 0.0), (0.1, 0.1), (0.0, 0.1)),  # touching the frame edge
        ((0.9, 0.8), (1.0, 0.85), (0.95, 1.0)),  # a triangle in the corner
    ],
)
def test_zone_polygon_stays_in_frame_and_grows(polygon: tuple[tuple[float, float], ...]) -> None:
    zone = np.asarray(zone_polygon(polygon), dtype=np.float32)
    assert len(zone) >= 4 and zone.min() >= 0.0 and zone.max() <= 1.0
    assert cv2.contourArea(zone) > cv2.contourArea(np.asarray(polygon, dtype=np.float32))


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([], []),
        ([Event(20, "cover-0", "missing")], [Incident("manhole_missing", "cover-0", 20, None)]),
        (
            [Event(45, "cover-0", "present"), Event(20, "cover-0", "missing")],
            [Incident("manhole_missing", "cover-0", 20, 45)],
        ),
        (
            [Event(5, "cover-1", "damaged"), Event(9, "cover-1", "missing"), Event(40, "soil-0", "bare")],
            [
                Incident("manhole_damaged", "cover-1", 5, 9),
                Incident("manhole_missing", "cover-1", 9, None),
                Incident("bare_soil", "soil-0", 40, None),
            ],
        ),
        ([Event(3, "soil-0", "covered")], []),
    ],
)
def test_incidents_follow_the_timeline(events: list[Event], expected: list[Incident]) -> None:
    assert build_scenario("custom", 0, 60.0, events).incidents() == expected


@pytest.mark.parametrize(
    ("name", "t", "states"),
    [
        ("quiet", 59.0, {}),
        ("cover_missing", 19.9, {}),
        ("cover_missing", 20.0, {"cover-0": "missing"}),
        ("soil_uncovered", 41.0, {"soil-0": "bare"}),
        ("cover_replaced", 30.0, {"cover-0": "missing"}),
        ("cover_replaced", 50.0, {"cover-0": "present"}),
        ("mixed", 45.0, {"cover-0": "missing", "soil-0": "bare"}),
    ],
)
def test_named_scenarios_timelines(name: str, t: float, states: dict[str, str]) -> None:
    assert named_scenario(name, 1).states_at(t) == states


def test_unknown_scenario_and_odd_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        named_scenario("flood", 1)
    with pytest.raises(ValueError, match="even"):
        named_scenario("quiet", 1, width=641)
