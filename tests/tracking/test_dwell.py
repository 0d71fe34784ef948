"""Dwell time per zone per track, fed by the tracker on scripted movers."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.tracking import ByteTracker, DwellTimer
from gridwatch.types import Detections
from tests.tracking.synthetic import NAMES, Mover, frame, times

ZONE = [(0.4, 0.0), (0.6, 0.0), (0.6, 1.0), (0.4, 1.0)]  # a vertical band, x in 0.4..0.6


def follow(movers: list[Mover], duration_s: float, step_s: float = 0.2, gap_s: float = 3.0
           ) -> list[tuple[float, list[tuple[int, str, float, float]]]]:
    tracker, timer = ByteTracker(), DwellTimer({"band": ZONE}, gap_s=gap_s)
    out = []
    for t in times(duration_s, step_s):
        stays = timer.update(tracker.update_with_detections(frame(movers, t)[0], t), t)
        out.append((t, [(s.track_id, s.zone, s.first_t, s.seconds) for s in stays]))
    return out


@pytest.mark.parametrize(("speed", "enter", "leave"), [(0.1, 3.0, 5.0), (0.05, 6.0, 10.0)])
def test_a_walker_crossing_the_zone_dwells_while_inside(speed: float, enter: float, leave: float) -> None:
    """Centre x = 0.1 + speed * t is inside 0.4..0.6 from ``enter`` to ``leave``."""
    history = follow([Mover("w", (0.1, 0.5), (speed, 0.0))], leave + 2.0)
    for t, stays in history:
        if enter + 1e-6 < t < leave - 1e-6:
            assert len(stays) == 1
            _, zone, first_t, seconds = stays[0]
            assert zone == "band" and first_t == pytest.approx(enter, abs=0.21)
            assert seconds == pytest.approx(t - first_t)
        elif t < enter - 1e-6 or t > leave + 1e-6:
            assert stays == []


def test_a_person_standing_in_the_zone_accumulates_and_another_starts_at_zero() -> None:
    movers = [
        Mover("stand", (0.5, 0.3), (0.0, 0.0)),
        Mover("late", (0.5, 0.7), (0.0, 0.0), hidden=((0.0, 4.0),)),
    ]
    t, stays = follow(movers, 6.0)[-1]
    by_first = sorted(stays, key=lambda s: s[2])
    assert [round(s[3], 6) for s in by_first] == [pytest.approx(t), pytest.approx(t - 4.0)]
    assert by_first[0][0] != by_first[1][0]


@pytest.mark.parametrize(("gap_s", "ongoing"), [(3.0, True), (0.5, False)])
def test_a_stay_ends_when_the_track_is_unseen_for_gap_s(gap_s: float, ongoing: bool) -> None:
    movers = [Mover("stand", (0.5, 0.5), (0.0, 0.0), hidden=((2.0, 99.0),))]
    _, stays = follow(movers, 3.0, gap_s=gap_s)[-1]
    assert bool(stays) is ongoing


def test_untracked_detections_are_refused() -> None:
    with pytest.raises(ValueError, match="tracker"):
        DwellTimer({"band": ZONE}).update(Detections.empty(NAMES), 0.0)


def test_with_a_rest_limit_a_stay_starts_when_the_object_stops() -> None:
    """A car drives 0.3 into the zone over 3 s, then parks: its rest begins when it stopped."""
    tracker = ByteTracker()
    timer = DwellTimer({"band": [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]}, rest_limit=0.3)
    plain = DwellTimer({"band": [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]})
    for t in range(12):
        x = 0.2 + 0.1 * min(t, 3)
        tracked = tracker.update_with_detections(Detections(
            np.array([[x - 0.1, 0.5, x + 0.1, 0.62]], np.float32), np.array([0.8], np.float32),
            np.array([0], np.int64), NAMES), float(t))
        (rest,) = timer.update(tracked, float(t))
        (stay,) = plain.update(tracked, float(t))
    assert rest.first_t == 3.0 and rest.drift == 0.0 and rest.mean_confidence == pytest.approx(0.8)
    assert stay.first_t == 0.0 and stay.drift > 2.0  # without it the drive-in counts as drift
