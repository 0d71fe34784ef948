"""The YOLOX head: grid decoding on synthetic outputs, its input layout, and the real COCO YOLOX-nano.

The synthetic models (``constant_model``: 64 px input, classes ``a`` and ``b``) have 64 + 16 + 4
= 84 anchors; anchor ``row * 8 + col`` is the stride-8 cell at (col, row).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gridwatch.detectors import ModelError, build_detector, parse_detector_config
from gridwatch.detectors.exported_detector import ExportedDetector
from gridwatch.detectors.preprocess import YOLOX_LAYOUT, to_blob
from gridwatch.detectors.yolox_decode import anchor_count, grid

from .onnx_builders import constant_model

ANCHORS = anchor_count(64)


def yolox_output(*anchors: tuple[int, float, float, float, float, float, int, float]) -> np.ndarray:
    """(1, 84, 7) raw output from (anchor, px, py, log w, log h, objectness, class, class score)."""
    value = np.zeros((1, ANCHORS, 7), dtype=np.float32)
    for index, px, py, pw, ph, obj, cls, score in anchors:
        value[0, index, :5] = (px, py, pw, ph, obj)
        value[0, index, 5 + cls] = score
    return value


def build(path: Path, **options: Any) -> ExportedDetector:
    detector = build_detector(parse_detector_config({"type": "onnx_yolo", "model": str(path), **options}))
    assert isinstance(detector, ExportedDetector)
    return detector


def test_grid_runs_over_the_three_strides_row_by_row() -> None:
    cells, strides = grid(64)
    assert cells.shape == (84, 2) and strides.shape == (84, 1)
    assert cells[:3].tolist() == [[0, 0], [1, 0], [2, 0]] and cells[8].tolist() == [0, 1]
    assert cells[64].tolist() == [0, 0] and cells[64 + 5].tolist() == [1, 1]
    assert strides[63, 0] == 8 and strides[64, 0] == 16 and strides[80, 0] == 32


@pytest.mark.parametrize(
    ("height", "width", "expected"),
    [
        (64, 64, (20 / 64, 4 / 64, 36 / 64, 36 / 64)),
        # 128 wide: shrunk by 2 into the top 32 rows, grey below; x and y both map through 64x32
        (64, 128, (20 / 64, 4 / 32, 36 / 64, 36 / 32)),
    ],
)
def test_box_is_decoded_on_its_grid_and_mapped_from_the_top_left(
    tmp_path: Path, height: int, width: int, expected: tuple[float, ...]
) -> None:
    # stride-8 cell (3, 2): centre ((0.5 + 3) * 8, (0.5 + 2) * 8) = (28, 20), size 16 x 32
    value = yolox_output((2 * 8 + 3, 0.5, 0.5, math.log(2), math.log(4), 0.9, 1, 0.8))
    (found,) = build(constant_model(tmp_path / "x.onnx", value)).detect(
        [np.zeros((height, width, 3), np.uint8)]
    )
    assert found.class_id.tolist() == [1]
    assert found.confidence.tolist() == pytest.approx([0.72])
    np.testing.assert_allclose(found.xyxy[0], np.clip(expected, 0, 1), atol=1e-6)


def test_score_is_objectness_times_class_and_nms_is_per_class(tmp_path: Path) -> None:
    value = yolox_output(
        (0, 0, 0, 1, 1, 0.5, 0, 0.4),  # 0.2: below 0.25
        (9, 0, 0, 1, 1, 0.9, 0, 0.9),  # 0.81, cell (1, 1)
        (10, 0, 0, 1, 1, 0.9, 0, 0.8),  # 0.72, cell (2, 1): overlaps the one above, same class
        (11, 0, 0, 1, 1, 0.9, 1, 0.7),  # 0.63, cell (3, 1): overlaps too, but another class
    )
    (found,) = build(constant_model(tmp_path / "x.onnx", value), iou=0.3).detect(
        [np.zeros((64, 64, 3), np.uint8)]
    )
    assert found.confidence.tolist() == pytest.approx([0.81, 0.63])
    assert found.class_id.tolist() == [0, 1]


def test_input_is_bgr_0_to_255_with_grey_right_and_below() -> None:
    blue = np.zeros((64, 128, 3), np.uint8)
    blue[..., 0] = 255
    blob, (where,) = to_blob([blue], 64, layout=YOLOX_LAYOUT)
    assert (where.pad_left, where.pad_top) == (0, 0)
    assert (blob[0, 0, :32] == 255).all() and (blob[0, 1:, :32] == 0).all()
    assert (blob[0, :, 32:] == 114).all()


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        (
            np.zeros((1, 80, 7)),
            {"head": "yolox"},
            r"\[1, 80, 7\] is not YOLOX's \(B, 84, 5 \+ nc\) for a 64 px",
        ),
        (np.zeros((1, 84, 8)), {}, r"\[1, 84, 8\] is not \(B, 4 \+ nc, N\) nor YOLOX's .* nc = 2"),
        (np.zeros((1, 6, 84)), {"head": "yolox"}, r"is not YOLOX's"),
        (np.zeros((1, 84, 7)), {"head": "yolo"}, r"\(head: yolo\)"),
    ],
    ids=["wrong-anchors", "auto-no-fit", "yolo-model-as-yolox", "yolox-model-as-yolo"],
)
def test_wrong_layout_for_the_head_is_refused(
    tmp_path: Path, value: np.ndarray, options: dict[str, Any], message: str
) -> None:
    path = constant_model(tmp_path / "x.onnx", value)
    with pytest.raises(ModelError, match=message) as caught:
        build(path, **options)
    assert str(path) in str(caught.value)


def test_class_names_file(tmp_path: Path) -> None:
    path = constant_model(tmp_path / "x.onnx", yolox_output())
    (tmp_path / "names.txt").write_text("cat\n\n dog \n")
    detector = build_detector(
        parse_detector_config({"type": "onnx_yolo", "model": "x.onnx", "class_names_file": "names.txt"}),
        base_dir=tmp_path,
    )
    assert detector.names == ("cat", "dog")
    (tmp_path / "three.txt").write_text("a\nb\nc\n")
    with pytest.raises(ModelError, match=r"nc = 3 class names \['a', 'b', 'c'\]"):
        build(path, class_names_file=str(tmp_path / "three.txt"))
    with pytest.raises(ModelError, match="cannot read class_names_file"):
        build(path, class_names_file=str(tmp_path / "missing.txt"))
    (tmp_path / "blank.txt").write_text("\n \n")
    with pytest.raises(ModelError, match="names no classes"):
        build(path, class_names_file=str(tmp_path / "blank.txt"))
    with pytest.raises(ValueError, match="not both"):
        parse_detector_config(
            {"type": "onnx_yolo", "model": "x.onnx", "class_names": ["a"], "class_names_file": "n.txt"}
        )
