"""Render a scenario to an H.264 MP4 (PyAV/libx264) with its ground truth beside it.

``render_clip(scenario, Path("clips/cover_missing.mp4"))`` writes the clip (yuv420p, a keyframe
exactly every ``gop_s`` seconds, no B-frames, like a CCTV stream) and
``clips/cover_missing.truth.json`` (see ``gridwatch.sim.truth``). With ``fault`` (a
``gridwatch.sim.faults.Fault``: a shifted or turned view, ...) the camera goes wrong as well; the
truth, which names the fault, stays in the unmoved view's coordinates. With ``weather``
(``gridwatch.sim.weather``: rain or haze) every frame is seen through it; the truth names it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

from gridwatch.sim.faults import Fault, FaultyCamera
from gridwatch.sim.scenarios import Scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import clip_truth, write_truth
from gridwatch.sim.weather import Weather


def _x264_options(gop: int, preset: str, crf: int) -> dict[str, str]:
    return {
        "preset": preset,
        "crf": str(crf),
        "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes=0",
    }


def render_clip(
    scenario: Scenario,
    out_path: Path,
    fps: int = 10,
    gop_s: float = 2.0,
    *,
    preset: str = "veryfast",
    crf: int = 23,
    fault: Fault | None = None,
    weather: Weather | None = None,
) -> Path:
    """Render and encode ``scenario`` to ``out_path`` (MP4) and write its truth; returns the clip."""
    if fps <= 0 or gop_s <= 0:
        raise ValueError("fps and gop_s must be positive")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    camera = None
    if fault is not None:
        camera = FaultyCamera(fault, scenario.seed, scenario.duration_s, scenario.width,
                              scenario.height, scenario)
    renderer = camera.scene if camera is not None else SceneRenderer(scenario.scene())
    frames = max(1, round(scenario.duration_s * fps))
    gop = max(1, round(gop_s * fps))
    time_base = Fraction(1, fps)
    with av.open(str(out_path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps, options=_x264_options(gop, preset, crf))
        stream.width, stream.height, stream.pix_fmt = scenario.width, scenario.height, "yuv420p"
        stream.time_base = time_base
        for index in range(frames):
            t = index / fps
            if camera is not None:
                image = camera.render(t)
            else:
                image, _ = renderer.render(t, scenario.states_at(t))
            if weather is not None:
                image = weather.apply(image, index)
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
            frame.pts, frame.time_base = index, time_base
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    truth = clip_truth(scenario, renderer, out_path, fps, gop_s, frames)
    if fault is not None:
        truth["fault"] = {"kind": fault.kind, "start_s": fault.start_s, "end_s": fault.end_s,
                          "shift_px": list(fault.shift_px)}
    if weather is not None:
        truth["weather"] = weather.kind
    write_truth(truth, out_path)
    return out_path
