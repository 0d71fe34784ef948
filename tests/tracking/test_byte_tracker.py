"""ByteTrack-style tracking on scripted boxes: crossings, occlusions, weak boxes, lost tracks."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from gridwatch.tracking import ByteTracker, TrackerConfig
from gridwatch.types import Detections
from tests.tracking.synthetic import NAMES, Mover, frame, times


def run(movers: list[Mover], duration_s: float, step_s: float = 0.2,
        config: TrackerConfig | None = None) -> dict[str, list[tuple[float, int]]]:
    """For each mover, the (time, tracker id) of every frame where it was reported."""
    tracker = ByteTracker(config or TrackerConfig())
    seen: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for t in times(duration_s, step_s):
        dets, who = frame(movers, t)
        out = tracker.update_with_detections(dets, t)
        assert out.tracker_id is not None and len(set(out.tracker_id.tolist())) == len(out)
        for box, tid in zip(out.xyxy, out.tracker_id.tolist(), strict=True):
            matches = [i for i in range(len(dets)) if np.allclose(dets.xyxy[i], box)]
            assert matches
            if len(matches) == 1:  # two identical boxes (the very moment of crossing): either
                seen[who[matches[0]]].append((t, tid))
    return seen


def ids(seen: dict[str, list[tuple[float, int]]], name: str) -> list[int]:
    return sorted({tid for _, tid in seen[name]})


@pytest.mark.parametrize(
    ("speed", "dy", "step_s"),
    [
        (0.1, 0.0, 0.2),  # head-on on the same line: full overlap at the crossing
        (0.1, 0.03, 0.2),
        (0.2, 0.0, 0.1),
        (0.05, 0.02, 0.5),  # sampled every 0.5 s (boxes must still overlap frame to frame)
    ],
)
def test_two_people_crossing_keep_their_ids(speed: float, dy: float, step_s: float) -> None:
    movers = [
        Mover("left", (0.1, 0.5), (speed, 0.0)),
        Mover("right", (0.9, 0.5 + dy), (-speed, 0.0)),
    ]
    seen = run(movers, 0.8 / speed, step_s)
    assert len(ids(seen, "left")) == 1 and len(ids(seen, "right")) == 1
    assert ids(seen, "left") != ids(seen, "right")


@pytest.mark.parametrize(
    ("buffer_ratio", "step_s", "one_id"),
    [
        (0.0, 0.2, True),  # dense sampling: boxes overlap frame to frame
        (0.0, 1.0, False),  # 1 s apart a walker's boxes do not overlap: plain IoU loses it
        (1.0, 1.0, True),  # buffered IoU keeps it
        (1.0, 2.0, False),  # 0.16 per frame, boxes 0.06 wide: too far even grown 1x
        (2.0, 2.0, True),
    ],
)
def test_buffered_iou_follows_sparsely_sampled_walkers(
    buffer_ratio: float, step_s: float, one_id: bool
) -> None:
    movers = [Mover("a", (0.1, 0.3), (0.08, 0.0)), Mover("b", (0.9, 0.7), (-0.08, 0.0))]
    seen = run(movers, 10.0, step_s, TrackerConfig(buffer_ratio=buffer_ratio))
    assert (len(ids(seen, "a")) == 1 and len(ids(seen, "b")) == 1) is one_id
    assert not set(ids(seen, "a")) & set(ids(seen, "b"))


@pytest.mark.parametrize(
    ("hidden", "same_id"),
    [
        ((1.0, 2.0), True),  # behind a pillar for 1 s, buffer 3 s
        ((1.0, 3.8), True),
        ((1.0, 4.6), False),  # gone for longer than the lost buffer: a new track
    ],
)
def test_an_occluded_person_keeps_the_id_within_the_lost_buffer(
    hidden: tuple[float, float], same_id: bool
) -> None:
    movers = [Mover("walker", (0.1, 0.5), (0.1, 0.0), hidden=(hidden,)), Mover("still", (0.8, 0.3), (0, 0))]
    seen = run(movers, 6.0, 0.2, TrackerConfig(lost_buffer_s=3.0))
    assert all(not (hidden[0] <= t < hidden[1]) for t, _ in seen["walker"])
    assert (len(ids(seen, "walker")) == 1) is same_id
    assert len(ids(seen, "still")) == 1


@pytest.mark.parametrize(
    ("low_threshold", "reported_while_dim", "same_id"),
    [
        (0.1, True, True),  # weak boxes extend the track (ByteTrack's second association)
        (0.4, False, True),  # weak boxes ignored: lost while dim, found again within the buffer
    ],
)
def test_weak_boxes_of_a_followed_person_extend_the_track(
    low_threshold: float, reported_while_dim: bool, same_id: bool
) -> None:
    movers = [Mover("walker", (0.1, 0.5), (0.1, 0.0), dim=((1.0, 2.0, 0.3),))]
    seen = run(movers, 4.0, 0.2, TrackerConfig(low_threshold=low_threshold))
    dim_frames = [t for t, _ in seen["walker"] if 1.0 <= t < 2.0]
    assert bool(dim_frames) is reported_while_dim
    assert (len(ids(seen, "walker")) == 1) is same_id


def test_a_weak_box_never_starts_a_track() -> None:
    seen = run([Mover("ghost", (0.5, 0.5), (0.0, 0.0), score=0.3)], 2.0)
    assert seen["ghost"] == []


@pytest.mark.parametrize(("score", "tracked"), [(0.55, False), (0.65, True)])
def test_new_tracks_need_the_new_track_threshold(score: float, tracked: bool) -> None:
    seen = run([Mover("x", (0.5, 0.5), (0.0, 0.0), score=score)], 1.0)
    assert bool(seen["x"]) is tracked


@pytest.mark.parametrize("min_hits", [1, 2, 4])
def test_ids_are_reported_after_min_hits_frames(min_hits: int) -> None:
    seen = run([Mover("x", (0.2, 0.5), (0.1, 0.0))], 2.0, 0.2, TrackerConfig(min_hits=min_hits))
    assert seen["x"][0][0] == pytest.approx(0.2 * (min_hits - 1))
    assert len(ids(seen, "x")) == 1


@pytest.mark.parametrize(("class_aware", "swapped"), [(True, False), (False, True)])
def test_class_aware_matching_keeps_a_car_and_a_person_apart(class_aware: bool, swapped: bool) -> None:
    """A person walks along a parked car, then the car leaves and the person stays: class-blind
    matching hands the car's id to the person box that now sits where the car was."""
    person = Mover("person", (0.45, 0.5), (0.0, 0.0), size=(0.1, 0.2), class_id=0, hidden=((0.0, 1.0),))
    car = Mover("car", (0.5, 0.5), (0.0, 0.0), size=(0.2, 0.2), class_id=1, hidden=((1.0, 9.0),))
    seen = run([person, car], 3.0, 0.2, TrackerConfig(class_aware=class_aware))
    assert (ids(seen, "person") == ids(seen, "car")) is swapped


def test_time_must_not_go_backwards() -> None:
    tracker = ByteTracker()
    tracker.update_with_detections(Detections.empty(NAMES), 5.0)
    with pytest.raises(ValueError, match="backwards"):
        tracker.update_with_detections(Detections.empty(NAMES), 4.0)


def test_ids_are_never_reused() -> None:
    movers = [Mover(f"m{i}", (0.1 + 0.08 * i, 0.5), (0.0, 0.0), hidden=((0.0, i * 1.0), (i + 0.6, 99.0)))
              for i in range(5)]
    seen = run(movers, 6.0, 0.2, TrackerConfig(lost_buffer_s=0.0))
    all_ids = [ids(seen, m.name) for m in movers]
    assert all(len(i) == 1 for i in all_ids) and len({i[0] for i in all_ids}) == 5


@pytest.mark.parametrize("n", [0, 1, 3])
def test_tracker_id_travels_with_indexing(n: int) -> None:
    dets, _ = frame([Mover(f"m{i}", (0.2 + 0.2 * i, 0.5), (0, 0)) for i in range(n)], 0.0)
    out = ByteTracker().update_with_detections(dets, 0.0)
    assert out.tracker_id is not None and out.tracker_id.tolist() == list(range(1, n + 1))
    picked = out[np.arange(n) % 2 == 0]
    assert picked.tracker_id is not None and picked.tracker_id.tolist() == list(range(1, n + 1, 2))
    with pytest.raises(ValueError, match="tracker_id"):
        Detections(dets.xyxy, dets.confidence, dets.class_id, NAMES, tracker_id=np.zeros(n + 1, np.int64))
