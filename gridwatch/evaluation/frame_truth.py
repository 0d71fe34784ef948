"""The labelled boxes of a simulated clip at any time, rebuilt from its ``truth.json``.

Objects do not move; an object's class at ``t`` is that of the incident state it is in at
``t`` (``incidents``: from ``start_s`` until ``end_s``), else of its kind's normal state (a
cover ``present``, a soil patch ``covered``, which has no class and so no box).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gridwatch.sim.scenarios import INCIDENT_OF_STATE
from gridwatch.sim.scene import class_of

STATE_OF_INCIDENT = {incident: state for state, incident in INCIDENT_OF_STATE.items()}
NORMAL_STATE = {"manhole_cover": "present", "soil_patch": "covered"}

Box = tuple[float, float, float, float]


def has_box_truth(truth: Mapping[str, Any]) -> bool:
    """Whether the truth lists objects with kinds and boxes (simulated clips do)."""
    objects = truth.get("objects") or []
    return bool(objects) and all("bbox" in o and o.get("kind") in NORMAL_STATE for o in objects)


def boxes_at(truth: Mapping[str, Any], t: float) -> list[tuple[str, Box]]:
    """(class name, normalised xyxy) of every labelled object at video time ``t``."""
    out: list[tuple[str, Box]] = []
    for obj in truth["objects"]:
        state = NORMAL_STATE[obj["kind"]]
        for inc in truth["incidents"]:
            end = inc["end_s"]
            if inc["object"] == obj["id"] and inc["start_s"] <= t and (end is None or t < end):
                state = STATE_OF_INCIDENT[inc["incident"]]
        name = class_of(obj["kind"], state)
        if name is not None:
            x1, y1, x2, y2 = (float(v) for v in obj["bbox"])
            out.append((name, (x1, y1, x2, y2)))
    return out
