from __future__ import annotations

import numpy as np
import pytest

from gridwatch.geometry import points_in_polygon, polygon_problem

SQUARE = [(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9)]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (SQUARE, None),
        ([(0, 0), (1, 0), (1, 1)], None),
        ([(0.1, 0.1), (0.5, 0.5)], "at least 3 points, got 2"),
        ([(0.1, 0.1), (1.2, 0.1), (0.5, 0.5)], "outside the image"),
        ([(0.1, -0.01), (0.9, 0.1), (0.5, 0.5)], "outside the image"),
        ([(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)], "intersects itself"),
        ([(0.1, 0.1), (0.5, 0.5), (0.9, 0.9)], "no area"),
        ([(0.1, 0.1), (0.1, 0.1), (0.9, 0.9), (0.1, 0.9)], "same point"),
        ([(0.1, 0.1), (0.9, 0.1), (float("nan"), 0.5)], "not a finite number"),
    ],
)
def test_polygon_problem(points: list[tuple[float, float]], expected: str | None) -> None:
    problem = polygon_problem(points)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


def test_points_in_polygon_concave() -> None:
    # An L shape: the notch at the top right is outside.
    ell = [(0.0, 0.0), (0.5, 0.0), (0.5, 0.5), (1.0, 0.5), (1.0, 1.0), (0.0, 1.0)]
    pts = np.array([[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75], [1.5, 0.5]])
    assert points_in_polygon(pts, ell).tolist() == [True, False, True, True, False]


def test_points_in_polygon_empty() -> None:
    assert points_in_polygon(np.zeros((0, 2)), SQUARE).shape == (0,)
