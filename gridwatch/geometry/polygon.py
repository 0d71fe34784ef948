"""Polygon validation and point-in-polygon tests for zones."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Point = tuple[float, float]
_EPS = 1e-12


def polygon_area(points: Sequence[Point]) -> float:
    """Absolute area by the shoelace formula."""
    pts = np.asarray(points, dtype=np.float64)
    x, y = pts[:, 0], pts[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def _orientation(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    return (
        min(a[0], b[0]) - _EPS <= p[0] <= max(a[0], b[0]) + _EPS
        and min(a[1], b[1]) - _EPS <= p[1] <= max(a[1], b[1]) + _EPS
    )


def segments_intersect(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """True when closed segments p1-p2 and q1-q2 share at least one point."""
    d1, d2 = _orientation(q1, q2, p1), _orientation(q1, q2, p2)
    d3, d4 = _orientation(p1, p2, q1), _orientation(p1, p2, q2)
    if ((d1 > _EPS and d2 < -_EPS) or (d1 < -_EPS and d2 > _EPS)) and (
        (d3 > _EPS and d4 < -_EPS) or (d3 < -_EPS and d4 > _EPS)
    ):
        return True
    checks = ((d1, q1, q2, p1), (d2, q1, q2, p2), (d3, p1, p2, q1), (d4, p1, p2, q2))
    return any(abs(d) <= _EPS and _on_segment(a, b, p) for d, a, b, p in checks)


def _first_crossing(points: Sequence[Point]) -> tuple[int, int] | None:
    n = len(points)
    for i in range(n):
        a1, a2 = points[i], points[(i + 1) % n]
        for j in range(i + 1, n):
            if j == i or (j + 1) % n == i or j == (i + 1) % n:
                continue  # adjacent edges share a vertex by construction
            if segments_intersect(a1, a2, points[j], points[(j + 1) % n]):
                return i, j
    return None


def polygon_problem(points: Sequence[Sequence[float]]) -> str | None:
    """Why ``points`` is not a usable zone polygon, or None when it is.

    A zone needs at least 3 points, each (x, y) inside 0..1, no repeated consecutive points,
    a non-zero area and no edges that cross each other.
    """
    if len(points) < 3:
        return f"a zone polygon needs at least 3 points, got {len(points)}"
    for k, p in enumerate(points):
        if len(p) != 2:
            return f"point {k} must be [x, y], got {list(p)}"
        x, y = float(p[0]), float(p[1])
        if not (np.isfinite(x) and np.isfinite(y)):
            return f"point {k} ({x}, {y}) is not a finite number"
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            return f"point {k} ({x:g}, {y:g}) is outside the image: coordinates are normalised 0..1"
    pts: list[Point] = [(float(p[0]), float(p[1])) for p in points]
    for k in range(len(pts)):
        if pts[k] == pts[(k + 1) % len(pts)]:
            return f"points {k} and {(k + 1) % len(pts)} are the same point"
    crossing = _first_crossing(pts)
    if crossing is not None:
        i, j = crossing
        return f"the polygon intersects itself: edge {i}-{(i + 1) % len(pts)} crosses edge " \
            f"{j}-{(j + 1) % len(pts)}"
    if polygon_area(pts) < 1e-9:
        return "the polygon has no area (its points lie on one line)"
    return None


def points_in_polygon(points: npt.ArrayLike, polygon: Sequence[Point]) -> npt.NDArray[np.bool_]:
    """Vectorised even-odd test: which of ``points`` (N, 2) lie inside ``polygon``."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    poly = np.asarray(polygon, dtype=np.float64)
    x, y = pts[:, 0:1], pts[:, 1:2]
    x1, y1 = poly[:, 0], poly[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    inside = np.logical_and(crosses, x < x_at)
    return np.asarray(np.count_nonzero(inside, axis=1) % 2 == 1)
