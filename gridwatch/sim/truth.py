"""Ground truth of a simulated clip, written next to it as ``<clip stem>.truth.json``.

Layout (coordinates normalised 0..1, x right, y down)::

    {"clip": "cover_missing.mp4", "scenario": "cover_missing", "fps": 10, "duration_s": 60.0,
     "frames": 600, "gop_s": 2.0, "width": 640, "height": 360, "seed": 7,
     "objects": [{"id": "cover-0", "kind": "manhole_cover", "state": "present",
                  "class": "manhole_cover", "bbox": [x1, y1, x2, y2], "polygon": [[x, y], ...]}],
     "incidents": [{"incident": "manhole_missing", "object": "cover-0", "start_s": 20.0,
                    "end_s": null, "bbox": [...]}],
     "zones": [{"name": "cover-0", "polygon": [[x, y], ...], "incidents": ["manhole_missing"]}]}

``state``/``class`` are the object's at t=0 (a covered soil patch has class null). A zone is the
object's outline grown by a margin: convex, at least 4 points, inside 0..1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gridwatch.sim.scenarios import Scenario
from gridwatch.sim.scene import SceneObject, SceneRenderer, class_of

ZONE_INCIDENTS = {"manhole_cover": ["manhole_missing"], "soil_patch": ["bare_soil"]}
ZONE_GROW = 0.3  # relative growth about the centroid
ZONE_MARGIN = 0.015  # plus this much outward, normalised


def _r(v: float) -> float:
    return round(float(v), 5)


def zone_polygon(
    polygon: tuple[tuple[float, float], ...], grow: float = ZONE_GROW, margin: float = ZONE_MARGIN
) -> list[list[float]]:
    """The convex hull of ``polygon`` enlarged about its centroid, clipped to the frame."""
    pts = np.asarray(polygon, dtype=np.float64)
    hull = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2).astype(np.float64)
    centre = hull.mean(axis=0)
    offset = hull - centre
    length = np.maximum(np.hypot(offset[:, 0], offset[:, 1]), 1e-9)[:, None]
    grown = np.clip(centre + offset * (1 + grow) + offset / length * margin, 0.0, 1.0)
    out = cv2.convexHull(grown.astype(np.float32)).reshape(-1, 2)
    simple = cv2.approxPolyDP(out.reshape(-1, 1, 2), 0.002, True).reshape(-1, 2)
    if len(simple) >= 4:
        out = simple
    if len(out) < 4:
        (x1, y1), (x2, y2) = grown.min(axis=0), grown.max(axis=0)
        out = np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]])
    return [[_r(x), _r(y)] for x, y in out]


def _object_record(obj: SceneObject, state: str) -> dict[str, Any]:
    return {
        "id": obj.id,
        "kind": obj.kind,
        "state": state,
        "class": class_of(obj.kind, state),
        "bbox": [_r(v) for v in obj.bbox],
        "polygon": [[_r(x), _r(y)] for x, y in obj.polygon],
    }


def clip_truth(
    scenario: Scenario, renderer: SceneRenderer, clip: Path, fps: int, gop_s: float, frames: int
) -> dict[str, Any]:
    """The truth record of ``scenario`` rendered by ``renderer`` into ``clip``."""
    initial = renderer.resolve_states(scenario.states_at(0.0))
    by_id = {o.id: o for o in renderer.objects}
    incidents = [
        {
            "incident": i.incident,
            "object": i.object_id,
            "start_s": i.start_s,
            "end_s": i.end_s,
            "bbox": [_r(v) for v in by_id[i.object_id].bbox],
        }
        for i in scenario.incidents()
    ]
    zones = [
        {"name": o.id, "polygon": zone_polygon(o.polygon), "incidents": list(ZONE_INCIDENTS[o.kind])}
        for o in renderer.objects
    ]
    return {
        "clip": clip.name,
        "scenario": scenario.name,
        "fps": fps,
        "duration_s": float(scenario.duration_s),
        "frames": frames,
        "gop_s": gop_s,
        "width": scenario.width,
        "height": scenario.height,
        "seed": scenario.seed,
        "objects": [_object_record(o, initial[o.id]) for o in renderer.objects],
        "incidents": incidents,
        "zones": zones,
    }


def truth_path(clip: Path) -> Path:
    """``dir/name.mp4`` → ``dir/name.truth.json``."""
    return clip.with_name(f"{clip.stem}.truth.json")


def dumps(truth: dict[str, Any]) -> str:
    """JSON with one line per top-level key and per object, incident and zone."""
    lines = []
    for key, value in truth.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"  {json.dumps(item)}" for item in value)
            lines.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_truth(truth: dict[str, Any], clip: Path) -> Path:
    path = truth_path(clip)
    path.write_text(dumps(truth), encoding="utf-8")
    return path


def load_truth(clip_or_truth: Path) -> dict[str, Any]:
    """Read the truth of a clip (pass the clip or the ``.truth.json`` itself)."""
    path = clip_or_truth if clip_or_truth.name.endswith(".truth.json") else truth_path(clip_or_truth)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
