"""Scripted incident timelines for simulated clips.

A ``Scenario`` is a seed (which fixes the scene: camera, street, objects, light, passers-by), a
duration and a list of ``Event``s, each setting one object's state from a time on. Named
scenarios (``SCENARIOS``):

- ``quiet``: nothing happens; only light drift, shadows and passers-by.
- ``cover_missing``: ``cover-0`` (the most visible cover) goes missing at 20 s and stays gone.
- ``soil_uncovered``: the net comes off ``soil-0`` at 40 s.
- ``cover_replaced``: ``cover-0`` goes missing at 20 s and is put back at 45 s.
- ``mixed``: ``cover_missing`` and ``soil_uncovered`` in one clip.
- ``cover_damaged``: ``cover-0`` is broken (cracks, a piece out) at 20 s.
- ``cover_displaced``: ``cover-0``'s lid is pushed off its seat at 20 s.

Event times shrink for short clips (20 s becomes a third, 40 s two thirds, of the duration).
Use ``build_scenario`` for any other timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from gridwatch.sim.layout import random_scene
from gridwatch.sim.spec import SceneSpec

NORMAL_STATES = {"present", "covered"}
INCIDENT_OF_STATE = {
    "missing": "manhole_missing",
    "damaged": "manhole_damaged",
    "displaced": "manhole_displaced",
    "bare": "bare_soil",
}


@dataclass(frozen=True, slots=True)
class Event:
    """From ``t_s`` seconds on, object ``object_id`` is in ``state``."""

    t_s: float
    object_id: str
    state: str


@dataclass(frozen=True, slots=True)
class Incident:
    """An object out of its normal state from ``start_s`` until ``end_s`` (None: clip end)."""

    incident: str
    object_id: str
    start_s: float
    end_s: float | None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    seed: int
    duration_s: float
    events: tuple[Event, ...] = ()
    width: int = 640
    height: int = 360
    n_covers: int = 2
    n_soil: int = 1

    def __post_init__(self) -> None:
        if self.width % 2 or self.height % 2:
            raise ValueError(f"frame size must be even for H.264 yuv420p, got {self.width}x{self.height}")
        if self.duration_s <= 0:
            raise ValueError("duration_s must be positive")

    def scene(self) -> SceneSpec:
        """The scene, fixed by ``seed`` (ordinary daytime camera, not domain-randomised)."""
        return random_scene(
            np.random.default_rng(self.seed),
            self.width,
            self.height,
            randomise=False,
            n_covers=self.n_covers,
            n_soil=self.n_soil,
        )

    def states_at(self, t: float) -> dict[str, str]:
        """The states set by events up to and including ``t`` (others keep their default)."""
        states: dict[str, str] = {}
        for event in sorted(self.events, key=lambda e: e.t_s):
            if event.t_s <= t:
                states[event.object_id] = event.state
        return states

    def incidents(self) -> list[Incident]:
        """Every stretch of time an object spends in an incident state."""
        out: list[Incident] = []
        open_: dict[str, Incident] = {}
        for event in sorted(self.events, key=lambda e: e.t_s):
            current = open_.get(event.object_id)
            kind = INCIDENT_OF_STATE.get(event.state)
            if current is not None and kind != current.incident:
                out.append(Incident(current.incident, current.object_id, current.start_s, event.t_s))
                del open_[event.object_id]
            if kind is not None and event.object_id not in open_:
                open_[event.object_id] = Incident(kind, event.object_id, event.t_s, None)
        out.extend(open_.values())
        return sorted(out, key=lambda i: (i.start_s, i.object_id))


def _at(duration_s: float, nominal_s: float, share: float) -> float:
    return nominal_s if duration_s >= 60.0 else round(duration_s * share, 3)


def build_scenario(
    name: str, seed: int, duration_s: float, events: Iterable[Event] = (), **kwargs: int
) -> Scenario:
    """A scenario from any timeline; ``kwargs`` may set width, height, n_covers, n_soil."""
    return Scenario(name, seed, duration_s, tuple(events), **kwargs)


def quiet(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    return build_scenario("quiet", seed, duration_s, (), **kw)


def cover_missing(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    events = [Event(_at(duration_s, 20.0, 1 / 3), "cover-0", "missing")]
    return build_scenario("cover_missing", seed, duration_s, events, **kw)


def soil_uncovered(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    events = [Event(_at(duration_s, 40.0, 2 / 3), "soil-0", "bare")]
    return build_scenario("soil_uncovered", seed, duration_s, events, **kw)


def cover_replaced(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    events = [
        Event(_at(duration_s, 20.0, 1 / 3), "cover-0", "missing"),
        Event(_at(duration_s, 45.0, 3 / 4), "cover-0", "present"),
    ]
    return build_scenario("cover_replaced", seed, duration_s, events, **kw)


def mixed(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    events = [
        Event(_at(duration_s, 20.0, 1 / 3), "cover-0", "missing"),
        Event(_at(duration_s, 40.0, 2 / 3), "soil-0", "bare"),
    ]
    return build_scenario("mixed", seed, duration_s, events, **kw)


def cover_damaged(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    events = [Event(_at(duration_s, 20.0, 1 / 3), "cover-0", "damaged")]
    return build_scenario("cover_damaged", seed, duration_s, events, **kw)


def cover_displaced(seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    events = [Event(_at(duration_s, 20.0, 1 / 3), "cover-0", "displaced")]
    return build_scenario("cover_displaced", seed, duration_s, events, **kw)


SCENARIOS: dict[str, Callable[..., Scenario]] = {
    "quiet": quiet,
    "cover_missing": cover_missing,
    "soil_uncovered": soil_uncovered,
    "cover_replaced": cover_replaced,
    "mixed": mixed,
    "cover_damaged": cover_damaged,
    "cover_displaced": cover_displaced,
}


def named_scenario(name: str, seed: int, duration_s: float = 60.0, **kw: int) -> Scenario:
    """One of ``SCENARIOS`` by name (``ValueError`` for an unknown name)."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; choose from {sorted(SCENARIOS)}")
    return SCENARIOS[name](seed, duration_s, **kw)
