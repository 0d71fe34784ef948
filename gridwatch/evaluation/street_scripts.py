"""Building blocks of scripted street scenes: walkers, riders, traffic, things that arrive and stay.

Every function draws from the scene's generator and returns ``Track``s
(``gridwatch.evaluation.scripted_tracks``); coordinates are normalised (x right, y down), a
frame is about 20 m wide, so a walker does ~0.06 per second and a car in traffic ~0.3.
"""

from __future__ import annotations

import math

import numpy as np

from gridwatch.evaluation.scripted_tracks import Key, Track

PERSON = (0.035, 0.1)
CAR = (0.18, 0.11)
BIKE = (0.05, 0.06)


def crossing(
    rng: np.random.Generator, cls: str, size: tuple[float, float], t0: float, y: float, speed: float
) -> Track:
    """``cls`` crossing the frame left to right or right to left along ``y`` from ``t0``."""
    left = bool(rng.random() < 0.5)
    x0, x1 = (-0.1, 1.1) if left else (1.1, -0.1)
    return Track(cls, size, ((t0, x0, y), (t0 + 1.2 / speed, x1, y)))


def passers_by(
    rng: np.random.Generator, duration_s: float, per_min: float, band: tuple[float, float],
    cls: str = "person", size: tuple[float, float] = PERSON, speed: tuple[float, float] = (0.04, 0.09),
) -> list[Track]:
    """Poisson arrivals of ``cls`` crossing the frame in the ``band`` of y, over the scene."""
    count = int(rng.poisson(per_min * duration_s / 60.0))
    return [
        crossing(rng, cls, size, float(t0), float(rng.uniform(*band)), float(rng.uniform(*speed)))
        for t0 in rng.uniform(-20.0, duration_s, count)
    ]


def arrive_and_stay(
    rng: np.random.Generator, cls: str, size: tuple[float, float], spot: tuple[float, float],
    stop_s: float, leave_s: float, approach: float = 0.15, approach_s: float = 4.0,
) -> Track:
    """``cls`` moves in from ``approach`` away over ``approach_s``, stops at ``spot`` at
    ``stop_s``, stays until ``leave_s`` and moves off the way it came."""
    angle = float(rng.uniform(0, 2 * np.pi))
    dx, dy = approach * np.cos(angle), approach * np.sin(angle)
    x, y = spot
    return Track(cls, size, (
        (stop_s - approach_s, x + dx, y + dy), (stop_s, x, y),
        (leave_s, x, y), (leave_s + approach_s, x + dx, y + dy),
    ))


def rest_start(track: Track, limit: float, step_s: float = 1.0) -> float:
    """When an ``arrive_and_stay`` track is at rest by a rule's ``max_motion`` of ``limit``: the
    first frame (on the ``step_s`` grid) from which it is within ``limit`` smaller box sides of
    its spot. A slow last approach is already rest; the rule cannot tell it apart, nor can we."""
    (t0, _, _), (stop, x, y) = track.keys[0], track.keys[1]
    reach = limit * min(track.size)
    t = math.ceil(t0 / step_s) * step_s
    while t < stop:
        centre = track.centre(t)
        if centre is not None and math.hypot(centre[0] - x, centre[1] - y) <= reach:
            return t
        t += step_s
    return math.ceil(stop / step_s) * step_s


def keeper(
    rng: np.random.Generator, near: tuple[float, float], stop_s: float, leave_s: float,
    wander: float = 0.03, every_s: float = 6.0,
) -> Track:
    """A person arriving with something at ``near`` and moving about beside it until ``leave_s``."""
    keys: list[Key] = [(stop_s - 4.0, near[0] + 0.12, near[1]), (stop_s, near[0], near[1])]
    t = stop_s + every_s
    while t < leave_s:
        keys.append((t, near[0] + float(rng.normal(0, wander)), near[1] + float(rng.normal(0, wander))))
        t += every_s
    keys += [(leave_s, near[0], near[1]), (leave_s + 4.0, near[0] - 0.12, near[1])]
    return Track("person", PERSON, tuple(keys))


def group(
    rng: np.random.Generator, size: int, centre: tuple[float, float], first_s: float,
    spread_s: float, leave_s: float,
) -> tuple[list[Track], list[float]]:
    """``size`` people joining a group at ``centre`` one after another (within ``spread_s`` of
    ``first_s``), all leaving around ``leave_s``; (tracks, each member's arrival)."""
    arrivals = sorted(float(a) for a in rng.uniform(first_s, first_s + spread_s, size))
    tracks = []
    for arrival in arrivals:
        spot = (centre[0] + float(rng.normal(0, 0.04)), centre[1] + float(rng.normal(0, 0.03)))
        tracks.append(keeper(rng, spot, arrival, leave_s + float(rng.uniform(-10, 10)), wander=0.01))
    return tracks, arrivals
