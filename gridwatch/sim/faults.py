"""Camera faults for the simulator: clips of an ordinary street camera that goes wrong.

``render_fault_clip(Fault("black", start_s=4), path)`` renders a quiet street scene (light drift,
sensor noise, passers-by) and, from ``start_s`` (until ``end_s``, if given), applies the fault:

- ``freeze``: the picture stops (the frame at ``start_s`` repeats, like a hung encoder);
- ``black``: the picture goes dark (a cut video cable, a dead sensor);
- ``cover``: a big uniform blob covers most of the view (a bag, paint, a hand);
- ``blur``: the view is defocused (a fogged or smeared lens);
- ``shift``: the view moves by ``shift_px`` pixels (a knocked camera);
- ``turn``: the camera looks somewhere else entirely (another scene).

The clip is real H.264 (a keyframe every ``gop_s``, no B-frames) for the RTSP simulator. A
server that drops and comes back is ``CameraSimulator.stop()``/``start()`` (same port).

A fault can also strike an incident clip: ``render_clip(cover_missing(5, 30), path,
fault=Fault("shift", 12, shift_px=(10, 5)))`` shifts the view a little mid-incident (zones must
follow it); ``Fault("turn", 8, 14)`` turns the camera away for six seconds and back. The
clip's truth stays in the unmoved view's coordinates, where the zones were drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from gridwatch.sim.scenarios import Scenario, quiet
from gridwatch.sim.scene import SceneRenderer
from gridwatch.types import Image

FAULT_KINDS = ("freeze", "black", "cover", "blur", "shift", "turn")


@dataclass(frozen=True, slots=True)
class Fault:
    """``kind`` (one of ``FAULT_KINDS``) from ``start_s`` to ``end_s`` (None: the clip's end)."""

    kind: str
    start_s: float
    end_s: float | None = None
    shift_px: tuple[int, int] = (24, 12)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; choose from {', '.join(FAULT_KINDS)}")
        if self.start_s < 0 or (self.end_s is not None and self.end_s <= self.start_s):
            raise ValueError(f"fault {self.kind}: need 0 <= start_s < end_s")

    def active(self, t: float) -> bool:
        return t >= self.start_s and (self.end_s is None or t < self.end_s)


def _noise(
    rng: np.random.Generator, shape: tuple[int, ...], sigma: float
) -> np.ndarray[Any, np.dtype[np.float64]]:
    return rng.normal(0.0, sigma, shape)


def black(image: Image, rng: np.random.Generator) -> Image:
    dark = image.astype(np.float32) * 0.03 + 4.0 + _noise(rng, image.shape, 1.5)
    return np.clip(dark, 0, 255).astype(np.uint8)


def cover(image: Image, rng: np.random.Generator) -> Image:
    """A dark grey blob over about three quarters of the view, slightly noisy."""
    h, w = image.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (w // 2, h // 2), (int(w * 0.55), int(h * 0.6)), 0, 0, 360, 255, -1)
    blob = np.full(image.shape, (52, 58, 60), np.float32) + _noise(rng, image.shape, 1.5)
    out = np.where(mask[..., None] > 0, blob, image.astype(np.float32))
    return np.clip(out, 0, 255).astype(np.uint8)


def blur(image: Image) -> Image:
    soft = cv2.GaussianBlur(image, (0, 0), sigmaX=max(3.0, image.shape[1] / 80))
    return np.asarray(soft, dtype=np.uint8)


def shift(image: Image, dx: int, dy: int) -> Image:
    matrix = np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32)
    h, w = image.shape[:2]
    moved = cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REFLECT)
    return np.asarray(moved, dtype=np.uint8)


class FaultyCamera:
    """Renders the scene at time ``t`` with the fault applied; the scene is ``scenario``'s (its
    events happen as scripted) or, without one, a quiet street."""

    def __init__(
        self, fault: Fault, seed: int, seconds: float, width: int, height: int,
        scenario: Scenario | None = None,
    ) -> None:
        self.fault = fault
        self.scenario = scenario or quiet(seed, seconds, width=width, height=height)
        self.scene = SceneRenderer(self.scenario.scene())
        other = quiet(seed + 7919, seconds, width=width, height=height).scene()
        self._elsewhere = SceneRenderer(other) if fault.kind == "turn" else None
        self._rng = np.random.default_rng(seed)
        self._frozen: Image | None = None

    def render(self, t: float) -> Image:
        image, _ = self.scene.render(t, self.scenario.states_at(t))
        if not self.fault.active(t):
            return image
        kind = self.fault.kind
        if kind == "freeze":
            if self._frozen is None:
                self._frozen = image
            return self._frozen
        if kind == "black":
            return black(image, self._rng)
        if kind == "cover":
            return cover(image, self._rng)
        if kind == "blur":
            return blur(image)
        if kind == "shift":
            return shift(image, *self.fault.shift_px)
        assert self._elsewhere is not None
        return self._elsewhere.render(t, {})[0]


def render_fault_clip(
    fault: Fault, out_path: Path, *, seed: int = 11, seconds: float = 12.0, width: int = 320,
    height: int = 180, fps: int = 10, gop_s: float = 1.0,
) -> Path:
    """Encode the faulty camera's clip (H.264 MP4, fixed GOP, no B-frames) at ``out_path``."""
    camera = FaultyCamera(fault, seed, seconds, width, height)
    gop = max(1, round(gop_s * fps))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    time_base = Fraction(1, fps)
    options = {"preset": "veryfast", "crf": "23",
               "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes=0"}
    with av.open(str(out_path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps, options=options)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = time_base
        for index in range(max(1, round(seconds * fps))):
            image = camera.render(index / fps)
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
            frame.pts, frame.time_base = index, time_base
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out_path
