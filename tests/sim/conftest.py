"""Fixtures for the simulator tests (clips and a shared simulator live in gridwatch.sim)."""

from gridwatch.sim.pytest_fixtures import (  # noqa: F401  (fixtures)
    camera_simulator,
    counter_clip,
    gi_python,
    short_clip,
)
