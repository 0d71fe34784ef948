"""Polygon helpers in normalised image coordinates (0..1, x right, y down)."""

from gridwatch.geometry.polygon import (
    Point,
    points_in_polygon,
    polygon_area,
    polygon_problem,
    segments_intersect,
)

__all__ = ["Point", "points_in_polygon", "polygon_area", "polygon_problem", "segments_intersect"]
