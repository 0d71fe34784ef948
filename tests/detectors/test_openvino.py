"""The ``openvino`` plugin: the same boxes as ONNX Runtime from the same .onnx files, no telemetry."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from gridwatch.detectors import ModelError, build_detector, parse_detector_config
from gridwatch.detectors.exported_detector import ExportedDetector
from gridwatch.detectors.openvino_runtime import import_openvino
from gridwatch.detectors.openvino_yolo import OpenVinoDetector
from gridwatch.types import Detections, Image

from .test_yolox_vtest import PEOPLE, VIDEO, YOLOX, check_people

# not importorskip: importing openvino before the plugin has opted out of telemetry would report it
if importlib.util.find_spec("openvino") is None:
    pytest.skip("openvino is not installed (the openvino extra)", allow_module_level=True)
REPO = Path(__file__).resolve().parents[2]


def build(kind: str, model: Path | str, **options: object) -> ExportedDetector:
    detector = build_detector(parse_detector_config({"type": kind, "model": str(model), **options}))
    assert isinstance(detector, ExportedDetector)
    return detector


def assert_same(got: list[Detections], want: list[Detections], atol: float) -> None:
    """The same boxes, in any order (scores a millionth apart may swap places)."""
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert len(a) == len(b)
        left = list(range(len(b)))
        for box, conf, cls in zip(a.xyxy, a.confidence, a.class_id, strict=True):
            close = [
                j
                for j in left
                if b.class_id[j] == cls
                and abs(b.confidence[j] - conf) <= atol
                and np.abs(b.xyxy[j] - box).max() <= atol
            ]
            assert close, f"no match for class {cls} at {box} ({conf:.4f})"
            left.remove(close[0])


@pytest.fixture(scope="module")
def vtest_frames() -> dict[int, Image]:
    if not VIDEO.is_file():
        pytest.skip(f"shared test data not present: {VIDEO}")
    capture = cv2.VideoCapture(str(VIDEO))
    frames: dict[int, Image] = {}
    for index in range(max(PEOPLE) + 1):
        ok, frame = capture.read()
        assert ok
        if index in PEOPLE:
            frames[index] = np.asarray(frame, dtype=np.uint8)
    return frames


def test_yolox_f32_matches_onnxruntime(vtest_frames: dict[int, Image]) -> None:
    frames = list(vtest_frames.values())
    onnx = build_detector(parse_detector_config(YOLOX)).detect(frames)
    vino = build_detector(parse_detector_config({**YOLOX, "type": "openvino", "precision": "f32"}))
    assert_same(vino.detect(frames), onnx, atol=2e-3)


def test_yolox_default_precision_finds_the_people_marked_by_hand(vtest_frames: dict[int, Image]) -> None:
    detector = build_detector(parse_detector_config({**YOLOX, "type": "openvino", "threads": 2}))
    found, marked, stray = check_people(detector, vtest_frames)
    assert found >= 26 and stray <= 7, (found, marked, stray)


@pytest.mark.parametrize("variant", ["dynamic.onnx", "batch4.onnx"])
def test_ultralytics_export_matches_onnxruntime(ultralytics_dir: Path, variant: str) -> None:
    stored = np.load(ultralytics_dir / "frames.npz")
    frames = [stored[name] for name in stored.files] * 2
    want = build("onnx_yolo", ultralytics_dir / variant).detect(frames)
    assert sum(len(w) for w in want) > 0
    assert_same(build("openvino", ultralytics_dir / variant, precision="f32").detect(frames), want, atol=1e-3)


def run_python(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )


MODEL = REPO / "gridwatch" / "models" / "gridwatch-det-v1.onnx"
TELEMETRY_CHECK = f"""
import sys
from gridwatch.detectors import ModelError, build_detector, parse_detector_config
build_detector(parse_detector_config({{"type": "openvino", "model": {str(MODEL)!r}}}))
telemetry = sys.modules["openvino_telemetry"]
print("consent", None if telemetry is None else telemetry.Telemetry().consent)
"""


@pytest.mark.parametrize(
    ("home_is_file", "consent"), [(False, "False"), (True, "None")],
    ids=["opted-out", "blocked-where-the-opt-out-cannot-be-written"],
)
def test_telemetry_is_off_before_openvino_is_imported(
    tmp_path: Path, home_is_file: bool, consent: str,
) -> None:
    """The opt-out is written before openvino is imported; where it cannot be (HOME is a file,
    so ~/intel cannot be made), the telemetry module is blocked instead, with a warning."""
    home = tmp_path / "a-file" if home_is_file else tmp_path
    if home_is_file:
        home.write_text("HOME is a file here, so ~/intel cannot be made")
    done = run_python(TELEMETRY_CHECK, home)
    assert done.returncode == 0, done.stderr
    assert f"consent {consent}" in done.stdout
    assert ("cannot write OpenVINO's telemetry opt-out" in done.stderr) == home_is_file
    if not home_is_file:
        assert (home / "intel" / "openvino_telemetry").read_text() == "0"


def test_missing_openvino_says_which_extra_installs_it(tmp_path: Path) -> None:
    script = (
        "import sys\nsys.modules['openvino'] = None\n"
        "from gridwatch.detectors import ModelError, build_detector, parse_detector_config\n"
        "from gridwatch.detectors.optional import BackendUnavailable\n"
        "try:\n"
        f"    build_detector(parse_detector_config({{'type': 'openvino', 'model': {str(MODEL)!r}}}))\n"
        "except BackendUnavailable as error:\n    print('unavailable:', error)\n"
    )
    done = run_python(script, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "unavailable: detector type 'openvino' needs the 'openvino' package" in done.stdout
    assert "pip install 'gridwatch[openvino]'" in done.stdout


def test_listing_plugins_imports_no_optional_runtime(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom gridwatch.detectors import known_types\nprint(known_types())\n"
        "print([m for m in ('openvino', 'torch', 'ultralytics') if m in sys.modules])\n"
    )
    done = run_python(script, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "['onnx_yolo', 'openvino', 'ultralytics']\n[]" in done.stdout


def test_a_device_openvino_does_not_have_is_a_model_error() -> None:
    with pytest.raises(
        ModelError, match=r"cannot compile .*gridwatch-det-v1.onnx for OpenVINO NO_SUCH_DEVICE"
    ):
        build("openvino", MODEL, device="NO_SUCH_DEVICE")


@pytest.mark.parametrize(("precision", "capability"), [("f32", "FP32"), ("bf16", "BF16")])
def test_precision_is_what_openvino_compiles_for(precision: str, capability: str) -> None:
    capabilities = import_openvino().Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    if capability not in capabilities:
        pytest.skip(f"this CPU has no {precision} ({capabilities})")
    detector = build("openvino", MODEL, precision=precision)
    assert isinstance(detector, OpenVinoDetector)
    assert detector.inference_precision == precision


def test_calls_from_several_threads_each_get_their_own_answer(vtest_frames: dict[int, Image]) -> None:
    detector = build_detector(parse_detector_config({**YOLOX, "type": "openvino", "precision": "f32"}))
    frames = list(vtest_frames.values())
    alone = [detector.detect([frame])[0] for frame in frames]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda f: detector.detect([f])[0], frames * 4))
    assert_same(together, alone * 4, atol=1e-5)
