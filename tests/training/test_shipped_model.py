"""The shipped detector: its record is true, and it finds covers, open holes and bare soil in
simulated views it has never seen (ordinary daytime scenes, the kind the scenario clips use)."""

from __future__ import annotations

import cv2
import numpy as np
import onnxruntime as ort
import pytest

from gridwatch.models import DEFAULT_MODEL, load_record
from gridwatch.sim.scene import LabelledBox, SceneRenderer, random_scene
from gridwatch.training.config import SHIPPED
from gridwatch.training.dataset import CLASS_NAMES
from gridwatch.training.record import sha256_file
from gridwatch.types import Image

HELD_OUT_SEEDS = range(5000, 5012)


def test_record_matches_the_file_and_the_shipped_settings() -> None:
    record = load_record()
    assert record["classes"] == list(CLASS_NAMES)
    assert record["imgsz"] == SHIPPED.imgsz
    assert record["onnx"]["sha256"] == sha256_file(DEFAULT_MODEL)
    assert DEFAULT_MODEL.stat().st_size < 16 * 2**20
    assert record["command"] == SHIPPED.command_line()
    # The detection-runtime issue targets mAP50 >= 0.9 per class; v1 reaches it for holes and
    # soil, not yet for intact covers (0.86). This guards against shipping a worse model.
    floors = {"manhole_cover": 0.85, "manhole_open": 0.9, "bare_soil": 0.9}
    for name in CLASS_NAMES:
        assert record["metrics"]["onnx"]["per_class"][name]["mAP50"] >= floors[name]


def letterbox(image: Image, size: int) -> tuple[np.ndarray, float, tuple[float, float]]:
    h, w = image.shape[:2]
    r = min(size / h, size / w)
    nw, nh = round(w * r), round(h * r)
    pad = ((size - nw) / 2, (size - nh) / 2)
    canvas = np.full((size, size, 3), 114, dtype=np.uint8)
    x0, y0 = round(pad[0] - 0.1), round(pad[1] - 0.1)
    canvas[y0 : y0 + nh, x0 : x0 + nw] = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_LINEAR)
    blob = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0
    return blob, r, (x0, y0)


def detect(session: ort.InferenceSession, image: Image, size: int) -> list[tuple[int, np.ndarray]]:
    """(class id, normalised x1 y1 x2 y2) after a 0.25 score threshold and per-class NMS."""
    blob, r, (x0, y0) = letterbox(image, size)
    (out,) = session.run(None, {"images": blob})
    pred = out[0].T  # anchors x (4 + nc)
    scores, classes = pred[:, 4:].max(axis=1), pred[:, 4:].argmax(axis=1)
    keep = scores > 0.25
    cx, cy, w, h = pred[keep, :4].T
    boxes = np.stack([cx - w / 2 - x0, cy - h / 2 - y0, w, h], axis=1) / r
    found = []
    for cls in np.unique(classes[keep]):
        idx = np.flatnonzero(classes[keep] == cls)
        for i in np.asarray(
            cv2.dnn.NMSBoxes(boxes[idx].tolist(), scores[keep][idx].tolist(), 0.25, 0.5)
        ).ravel():
            x, y, bw, bh = boxes[idx[i]]
            ih, iw = image.shape[:2]
            found.append((int(cls), np.array([x / iw, y / ih, (x + bw) / iw, (y + bh) / ih])))
    return found


def iou(a: np.ndarray, b: np.ndarray) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return float(inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter))


def matches(truth: list[LabelledBox], found: list[tuple[int, np.ndarray]]) -> int:
    hits = 0
    for box in truth:
        cls = CLASS_NAMES.index(box.class_name)
        if any(c == cls and iou(np.asarray(box.bbox), b) >= 0.5 for c, b in found):
            hits += 1
    return hits


@pytest.fixture(scope="module")
def session() -> ort.InferenceSession:
    return ort.InferenceSession(str(DEFAULT_MODEL), providers=["CPUExecutionProvider"])


def test_finds_objects_in_unseen_scenes(session: ort.InferenceSession) -> None:
    size = int(load_record()["imgsz"])
    truth_total = found_total = hit_total = 0
    for seed in HELD_OUT_SEEDS:
        renderer = SceneRenderer(
            random_scene(np.random.default_rng(seed), randomise=False, n_covers=2, n_soil=1)
        )
        states = {"cover-0": "missing", "soil-0": "bare"} if seed % 2 else {}
        image, truth = renderer.render(10.0, states)
        found = detect(session, image, size)
        truth_total, found_total = truth_total + len(truth), found_total + len(found)
        hit_total += matches(truth, found)
    assert truth_total >= 30
    assert hit_total / truth_total >= 0.85  # recall
    assert hit_total / found_total >= 0.85  # precision (a detection matches at most one truth)
