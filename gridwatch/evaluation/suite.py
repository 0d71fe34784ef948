"""An evaluation suite: a folder of clips, each with its ground truth and a camera.

Layout::

    SUITE_DIR/
      suite.json                  optional: how the suite was made (``gridwatch eval make-suite``)
      camera.yaml                 optional: the camera (zones, rules) of every clip without its own
      <name>.mp4                  a clip (.mp4, .mkv, .avi, .mov)
      <name>.truth.json           its ground truth (``gridwatch.sim.truth`` layout): required
      <name>.camera.yaml          optional: this clip's camera file

A clip with neither its own camera file nor a suite ``camera.yaml`` gets the camera the
simulator would give it (one zone per truth zone, ``gridwatch.sim.camera_config``). Truth
incidents name their zone with ``zone`` (or, for simulated clips, ``object``, which names the
zone too). A video with no truth file is listed in ``skipped``; a suite with no clip is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridwatch.config import load_camera
from gridwatch.config.models import CameraConfig
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.truth import load_truth, truth_path

VIDEO_SUFFIXES = (".mp4", ".mkv", ".avi", ".mov")
SUITE_CAMERA = "camera.yaml"


class SuiteError(ValueError):
    """The suite folder is missing, empty, or holds an unreadable truth file."""


@dataclass(frozen=True)
class SuiteClip:
    name: str
    video: Path
    truth: dict[str, Any]
    camera: CameraConfig


@dataclass(frozen=True)
class Suite:
    root: Path
    clips: list[SuiteClip]
    skipped: list[str]


def _camera_id(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "-", stem)[:64].lstrip("-_.") or "clip"


def _camera_for(video: Path, truth: dict[str, Any], root: Path) -> CameraConfig:
    own = video.with_name(f"{video.stem}.camera.yaml")
    if own.is_file():
        return load_camera(own)
    if (root / SUITE_CAMERA).is_file():
        return load_camera(root / SUITE_CAMERA)
    return camera_from_truth(truth, _camera_id(video.stem), str(video.resolve()))


def load_suite(root: Path) -> Suite:
    """Every clip of ``root`` that has a truth file, with its camera."""
    if not root.is_dir():
        raise SuiteError(f"{root}: no such suite folder")
    clips: list[SuiteClip] = []
    skipped: list[str] = []
    for video in sorted(p for p in root.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES):
        if not truth_path(video).is_file():
            skipped.append(f"{video.name}: no {truth_path(video).name}")
            continue
        try:
            truth = load_truth(video)
        except (OSError, ValueError) as exc:
            raise SuiteError(f"{truth_path(video)}: unreadable truth ({exc})") from None
        if "incidents" not in truth:
            raise SuiteError(f"{truth_path(video)}: has no 'incidents' list")
        clips.append(SuiteClip(video.stem, video, truth, _camera_for(video, truth, root)))
    if not clips:
        raise SuiteError(f"{root}: no clip with a .truth.json beside it ({', '.join(VIDEO_SUFFIXES)})")
    return Suite(root, clips, skipped)
