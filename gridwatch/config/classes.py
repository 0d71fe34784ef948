"""Do a camera's rules fit its detector's classes? Checked at config load, not at 3 a.m.

A detector's class names are known without loading it when its config lists them
(``class_names``, or a ``class_names_file`` with one name a line) or its model has the JSON
record the project ships beside each model (``name.json`` with ``classes``); otherwise the
check waits until the pipeline is built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gridwatch.config.models import CameraConfig, RuleConfig
    from gridwatch.detectors.base import DetectorConfig


def declared_class_names(detector: DetectorConfig) -> tuple[str, ...] | None:
    """The detector's class names if its config or its model's record says them, else None."""
    listed = getattr(detector, "class_names", None)
    if isinstance(listed, list) and listed:
        return tuple(str(n) for n in listed)
    names_file = getattr(detector, "class_names_file", None)
    if isinstance(names_file, Path | str):
        try:
            lines = Path(names_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None  # the detector reports it when it is built
        return tuple(n.strip() for n in lines if n.strip()) or None
    model = getattr(detector, "model", None)
    if not isinstance(model, Path | str):
        return None
    record = Path(model).with_suffix(".json")
    try:
        classes = json.loads(record.read_text(encoding="utf-8")).get("classes")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(classes, list) and classes and all(isinstance(c, str) for c in classes):
        return tuple(classes)
    return None


def rule_class_problem(rule: RuleConfig, names: tuple[str, ...]) -> str | None:
    """Why ``rule`` cannot be signalled by a model with ``names``, or None when it can."""
    if rule.uses_background:
        return None  # new static objects against the background: no model class needed
    if rule.uses_reference:
        return None  # the cover against the camera's reference image: no model class needed
    if not rule.signal_classes:
        return f"rule {rule.incident!r} has no signal class configured (set `classes`)"
    missing = [c for c in rule.required_classes if c not in names]
    if missing:
        return (f"rule {rule.incident!r} needs class(es) {missing} that the detector does not "
                f"provide (it has: {', '.join(names)})")
    return None


def camera_class_problems(camera: CameraConfig, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(zone index, rule index, problem) for every rule of ``camera`` the model cannot serve."""
    out = []
    for zi, zone in enumerate(camera.zones):
        for ri, rule in enumerate(zone.rules):
            problem = rule_class_problem(rule, names)
            if problem is not None:
                out.append((zi, ri, f"camera {camera.id!r} zone {zone.name!r}: {problem}"))
    return out
