"""Scenario catalogue of the rule-level suite: per dynamic rule, scenes with and without its incident.

Each ``Scenario`` builds, from a seed, the tracks of one scene (``street_scripts``), the noise
of the simulated detector that sees them, and the truth: when each incident began. An incident
begins when its object stopped (a parked car, a stall set up: it is not parked while driving
in), for parked bikes when the count of bikes at rest was reached, for crowds wherever the true
number of people in the zone (group members and passers-by alike, before any detector noise)
stays at the count (dips of up to 2 s bridged) for the rule's time (``count_runs``), and
never outside the rule's schedule (a stall
set up before the watched hours begins at their start). Every rule has a 10-minute scene without
its incident but with passers-by (``*_quiet``), and scenes of the look-alikes it must not take
for it (cars at a red light, a vendor who moves on, a few bikes, people walking through).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import numpy as np

from gridwatch.config.incidents import DEFAULT_MAX_MOTION
from gridwatch.evaluation.scripted_tracks import NoiseConfig, Track
from gridwatch.evaluation.street_scripts import (
    BIKE,
    CAR,
    PERSON,
    arrive_and_stay,
    crossing,
    group,
    keeper,
    passers_by,
    rest_start,
)
from gridwatch.geometry import points_in_polygon

Polygon = list[list[float]]
CROWD: dict[str, Any] = {"incident": "crowd_gathering", "min_count": 5}
NONMOTOR: dict[str, Any] = {"incident": "illegal_parking_nonmotor", "min_count": 5}
CROWD_MIN_S = 30.0  # the crowd rule's default min_seconds
Scene = tuple[list[Track], list[float]]  # tracks, start of each incident (s)
DAY = datetime(2026, 3, 4)  # a Wednesday; times are the site's local time
KERB: Polygon = [[0.25, 0.5], [0.8, 0.5], [0.8, 0.85], [0.25, 0.85]]
WIDE: Polygon = [[0.2, 0.35], [0.8, 0.35], [0.8, 0.9], [0.2, 0.9]]


@dataclass(frozen=True)
class Scenario:
    """One scripted scene for one rule (``rule`` as in a camera file)."""

    name: str
    rule: dict[str, Any]
    polygon: Polygon
    duration_s: float
    start: time  # local time of the scene's first frame
    build: Callable[[np.random.Generator], Scene]

    @property
    def incident(self) -> str:
        return str(self.rule["incident"])

    def local_start(self) -> datetime:
        return datetime.combine(DAY, self.start)


def noise_for(rng: np.random.Generator) -> NoiseConfig:
    """A detector as good or bad as the seed draws: 10-30 % misses, 2-4 % jitter, and so on."""
    return NoiseConfig(
        miss=float(rng.uniform(0.1, 0.3)),
        jitter=float(rng.uniform(0.02, 0.04)),
        occlusions_per_min=float(rng.uniform(0.3, 1.0)),
        confusion=float(rng.uniform(0.05, 0.15)),
        weak=float(rng.uniform(0.1, 0.2)),
        false_per_frame=float(rng.uniform(0.1, 0.5)),
    )


def _walkers(rng: np.random.Generator, duration_s: float, per_min: float = 6.0) -> list[Track]:
    return passers_by(rng, duration_s, per_min, (0.4, 0.9))


# street_vending -----------------------------------------------------------------------------

def _stall(rng: np.random.Generator, stop_s: float, leave_s: float) -> Scene:
    """An umbrella and goods set up at ``stop_s`` with the vendor beside them; (tracks, when at rest)."""
    x, y = float(rng.uniform(0.35, 0.7)), float(rng.uniform(0.6, 0.75))
    goods = str(rng.choice(["dining table", "suitcase"]))
    things = [
        arrive_and_stay(rng, "umbrella", (0.1, 0.09), (x, y - 0.05), stop_s, leave_s),
        arrive_and_stay(rng, goods, (0.09, 0.06), (x, y + 0.03), stop_s, leave_s),
    ]
    limit = DEFAULT_MAX_MOTION["street_vending"]
    return [*things, keeper(rng, (x + 0.07, y), stop_s, leave_s)], [
        min(rest_start(t, limit) for t in things)]


def _vend_stall(rng: np.random.Generator) -> Scene:
    stop = float(rng.uniform(30, 150))
    tracks, starts = _stall(rng, stop, stop + float(rng.uniform(240, 420)))
    return tracks + _walkers(rng, 600), starts


def _vend_brief(rng: np.random.Generator) -> Scene:
    """A vendor stops for 20-40 s and moves on, twice; umbrellas walk by."""
    tracks = _walkers(rng, 600) + passers_by(rng, 600, 2.0, (0.5, 0.8), "umbrella", (0.1, 0.09))
    for stop in (float(rng.uniform(60, 200)), float(rng.uniform(320, 480))):
        tracks += _stall(rng, stop, stop + float(rng.uniform(20, 40)))[0]
    return tracks, []


def _vend_quiet(rng: np.random.Generator) -> Scene:
    umbrellas = passers_by(rng, 600, 2.0, (0.5, 0.8), "umbrella", (0.1, 0.09))
    return _walkers(rng, 600, 8.0) + umbrellas, []


# out_of_store_business (watched 18:00-02:00: the night market's hours cross midnight) --------

def _terrace(rng: np.random.Generator, out_s: float, in_s: float) -> list[Track]:
    x = float(rng.uniform(0.35, 0.55))
    tracks = [
        arrive_and_stay(rng, "dining table", (0.12, 0.08), (x, 0.7), out_s, in_s),
        arrive_and_stay(rng, "dining table", (0.12, 0.08), (x + 0.18, 0.7), out_s + 20, in_s),
        arrive_and_stay(rng, "chair", (0.04, 0.07), (x - 0.08, 0.72), out_s + 5, in_s),
        arrive_and_stay(rng, "chair", (0.04, 0.07), (x + 0.08, 0.72), out_s + 10, in_s),
    ]
    return [*tracks, keeper(rng, (x + 0.05, 0.62), out_s, in_s, wander=0.05)]


def _oosb(start_s: float, open_s: float = 0.0) -> Callable[[np.random.Generator], Scene]:
    """Tables out ``start_s`` (+-30 s) into the scene; the watched hours begin at ``open_s``
    (None: never in this scene)."""

    def build(rng: np.random.Generator) -> Scene:
        out = start_s + float(rng.uniform(-30, 30))
        tracks = _terrace(rng, out, 700.0)
        begun = rest_start(tracks[0], DEFAULT_MAX_MOTION["out_of_store_business"])
        return tracks + _walkers(rng, 600), ([] if open_s < 0 else [max(begun, open_s)])

    return build


def _oosb_quiet(rng: np.random.Generator) -> Scene:
    return _walkers(rng, 600, 8.0), []


# illegal_parking_motor ----------------------------------------------------------------------

def _traffic(rng: np.random.Generator, duration_s: float, per_min: float = 6.0) -> list[Track]:
    return passers_by(rng, duration_s, per_min, (0.3, 0.42), "car", CAR, (0.2, 0.4))


def _park(rng: np.random.Generator) -> Scene:
    stop = float(rng.uniform(30, 150))
    spot = (float(rng.uniform(0.4, 0.65)), float(rng.uniform(0.62, 0.72)))
    cls = str(rng.choice(["car", "car", "truck"]))
    car = arrive_and_stay(rng, cls, CAR, spot, stop, stop + float(rng.uniform(240, 400)), 0.3, 5.0)
    through = passers_by(rng, 600, 1.0, (0.6, 0.75), "car", CAR, (0.2, 0.4))  # drive along the kerb
    begun = rest_start(car, DEFAULT_MAX_MOTION["illegal_parking_motor"])
    return [car, *_traffic(rng, 600), *through, *_walkers(rng, 600)], [begun]


def _red_light(rng: np.random.Generator) -> Scene:
    """Every 90 s the light turns red for 45 s: one to three cars stop in the zone, then go."""
    tracks = _traffic(rng, 600, 3.0) + _walkers(rng, 600)
    for red in np.arange(float(rng.uniform(0, 60)), 600.0, 90.0):
        for i in range(int(rng.integers(1, 4))):
            stop = float(red) + 3.0 * i + float(rng.uniform(0, 8))
            spot = (0.7 - 0.2 * i, 0.68)
            tracks.append(arrive_and_stay(rng, "car", CAR, spot, stop, float(red) + 45.0 + 2.0 * i, 0.3, 3.0))
    return tracks, []


def _motor_quiet(rng: np.random.Generator) -> Scene:
    through = passers_by(rng, 600, 2.0, (0.6, 0.75), "car", CAR, (0.15, 0.4))
    return _traffic(rng, 600, 10.0) + through + _walkers(rng, 600), []


# illegal_parking_nonmotor (min_count 5) -----------------------------------------------------

def _riders(rng: np.random.Generator, per_min: float = 4.0) -> list[Track]:
    cls = str(rng.choice(["bicycle", "motorcycle"]))
    return passers_by(rng, 600, per_min, (0.55, 0.85), cls, BIKE, (0.1, 0.2))


def _bike_row(rng: np.random.Generator, arrivals: list[float]) -> list[Track]:
    x0 = float(rng.uniform(0.3, 0.4))
    return [
        arrive_and_stay(rng, "bicycle", BIKE, (x0 + 0.06 * i, 0.72), stop, 700.0, 0.15, 3.0)
        for i, stop in enumerate(arrivals)
    ]


def _bikes_pile(rng: np.random.Generator) -> Scene:
    count = int(rng.integers(6, 9))
    arrivals = list(np.cumsum(rng.uniform(10, 45, count)) + 20.0)
    row = _bike_row(rng, arrivals)
    begun = sorted(rest_start(b, DEFAULT_MAX_MOTION["illegal_parking_nonmotor"]) for b in row)
    return row + _riders(rng) + _walkers(rng, 600), [begun[int(NONMOTOR["min_count"]) - 1]]


def _bikes_few(rng: np.random.Generator) -> Scene:
    arrivals = [float(a) for a in rng.uniform(10, 200, int(rng.integers(2, 4)))]
    brief = [crossing(rng, "bicycle", BIKE, float(t), 0.7, 0.15) for t in rng.uniform(0, 580, 6)]
    return _bike_row(rng, sorted(arrivals)) + brief + _riders(rng) + _walkers(rng, 600), []


def _bikes_quiet(rng: np.random.Generator) -> Scene:
    return _riders(rng, 8.0) + _walkers(rng, 600), []


def count_runs(
    tracks: list[Track], polygon: Polygon, cls: str, count: int, min_s: float, duration_s: float,
    bridge_s: float = 2.0,
) -> list[float]:
    """Starts of the spells (dips up to ``bridge_s`` bridged) of at least ``min_s`` in which at
    least ``count`` ``cls`` tracks have their centre in ``polygon``, on a 1 s grid."""
    area = [(float(x), float(y)) for x, y in polygon]
    starts: list[float] = []
    run_start: float | None = None
    last_hit = -1e9
    for t in np.arange(0.0, duration_s, 1.0):
        centres = [c for tr in tracks if tr.cls == cls and (c := tr.centre(float(t))) is not None]
        inside = points_in_polygon(np.asarray(centres, np.float64).reshape(-1, 2), area)
        if int(np.count_nonzero(inside)) >= count:
            if run_start is None or t - last_hit > bridge_s + 1:
                run_start = float(t)
            last_hit = float(t)
            if last_hit - run_start >= min_s and (not starts or starts[-1] != run_start):
                starts.append(run_start)
    return starts


def _crowd_truth(tracks: list[Track]) -> Scene:
    return tracks, count_runs(tracks, WIDE, "person", int(CROWD["min_count"]), CROWD_MIN_S, 600.0)


# crowd_gathering (min_count 5) --------------------------------------------------------------

def _crowd_forms(rng: np.random.Generator) -> Scene:
    members, _ = group(rng, int(rng.integers(6, 9)), (0.5, 0.62), float(rng.uniform(40, 150)),
                              40.0, float(rng.uniform(350, 500)))
    return _crowd_truth(members + _walkers(rng, 600))


def _crowd_small(rng: np.random.Generator) -> Scene:
    members, _ = group(rng, 3, (0.5, 0.62), 60.0, 30.0, 500.0)
    return _crowd_truth(members + _walkers(rng, 600, 6.0))


def _crowd_quiet(rng: np.random.Generator) -> Scene:
    tracks = _walkers(rng, 600, 10.0)
    for t0 in rng.uniform(0, 580, 4):  # friends walking through together
        y, speed = float(rng.uniform(0.5, 0.8)), float(rng.uniform(0.04, 0.07))
        tracks += [crossing(rng, "person", PERSON, float(t0) + i, y + 0.04 * i, speed) for i in range(3)]
    return _crowd_truth(tracks)


VENDING = {"incident": "street_vending"}
TERRACE = {"incident": "out_of_store_business", "schedule": [{"start": "18:00", "end": "02:00"}]}
MOTOR = {"incident": "illegal_parking_motor"}

SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("vend_stall", VENDING, KERB, 600, time(10, 0), _vend_stall),
    Scenario("vend_brief", VENDING, KERB, 600, time(10, 0), _vend_brief),
    Scenario("vend_quiet", VENDING, KERB, 600, time(10, 0), _vend_quiet),
    Scenario("oosb_evening", TERRACE, KERB, 600, time(20, 0), _oosb(90.0)),
    Scenario("oosb_midnight", TERRACE, KERB, 600, time(23, 56), _oosb(120.0)),
    Scenario("oosb_opens", TERRACE, KERB, 600, time(17, 56), _oosb(60.0, open_s=240.0)),
    Scenario("oosb_after_hours", TERRACE, KERB, 600, time(2, 5), _oosb(60.0, open_s=-1.0)),
    Scenario("oosb_quiet", TERRACE, KERB, 600, time(20, 0), _oosb_quiet),
    Scenario("motor_park", MOTOR, KERB, 600, time(9, 0), _park),
    Scenario("motor_red_light", MOTOR, KERB, 600, time(9, 0), _red_light),
    Scenario("motor_quiet", MOTOR, KERB, 600, time(9, 0), _motor_quiet),
    Scenario("bikes_pile", NONMOTOR, KERB, 600, time(8, 0), _bikes_pile),
    Scenario("bikes_few", NONMOTOR, KERB, 600, time(8, 0), _bikes_few),
    Scenario("bikes_quiet", NONMOTOR, KERB, 600, time(8, 0), _bikes_quiet),
    Scenario("crowd_forms", CROWD, WIDE, 600, time(15, 0), _crowd_forms),
    Scenario("crowd_small", CROWD, WIDE, 600, time(15, 0), _crowd_small),
    Scenario("crowd_quiet", CROWD, WIDE, 600, time(15, 0), _crowd_quiet),
)}


def local_time(scenario: Scenario, t: float) -> datetime:
    """The local (site) time ``t`` seconds into ``scenario``."""
    return scenario.local_start() + timedelta(seconds=t)
