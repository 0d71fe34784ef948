"""The YOLO dataset writer and the camera degradations."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from gridwatch.sim.scene import LabelledBox
from gridwatch.training.augment import degrade
from gridwatch.training.dataset import CLASS_NAMES, generate_dataset, yolo_lines


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ds")
    generate_dataset(root, n_train=6, n_val=3, seed=11, imgsz=160)
    return root


def test_parallel_rendering_writes_the_same_dataset(dataset: Path, tmp_path: Path) -> None:
    info = generate_dataset(tmp_path, n_train=6, n_val=3, seed=11, imgsz=160, jobs=2)
    for name in sorted(p.relative_to(dataset) for p in dataset.rglob("*") if p.suffix in (".jpg", ".txt")):
        assert (tmp_path / name).read_bytes() == (dataset / name).read_bytes(), name
    assert info.instances == generate_dataset(tmp_path / "again", 6, 3, seed=11, imgsz=160).instances


def read_labels(path: Path) -> list[list[float]]:
    return [[float(v) for v in line.split()] for line in path.read_text().splitlines()]


def test_layout_and_data_yaml(dataset: Path) -> None:
    data = yaml.safe_load((dataset / "data.yaml").read_text())
    assert data["names"] == dict(enumerate(["manhole_cover", "manhole_open", "bare_soil"]))
    assert (data["train"], data["val"]) == ("images/train", "images/val")
    for split, n in (("train", 6), ("val", 3)):
        images = sorted((dataset / "images" / split).glob("*.jpg"))
        labels = sorted((dataset / "labels" / split).glob("*.txt"))
        assert [p.stem for p in images] == [p.stem for p in labels] == [f"{i:06d}" for i in range(n)]


def test_labels_are_valid_yolo_boxes(dataset: Path) -> None:
    rows = [row for path in (dataset / "labels").rglob("*.txt") for row in read_labels(path)]
    assert len(rows) >= 9
    for cls, cx, cy, w, h in rows:
        assert cls in (0, 1, 2)
        assert 0 < w <= 1 and 0 < h <= 1
        assert cx - w / 2 >= -1e-6 and cx + w / 2 <= 1 + 1e-6
        assert cy - h / 2 >= -1e-6 and cy + h / 2 <= 1 + 1e-6
    assert {int(r[0]) for r in rows} >= {0, 1}


def test_images_are_resized_to_the_long_side(dataset: Path) -> None:
    for path in (dataset / "images" / "train").glob("*.jpg"):
        image = cv2.imread(str(path))
        assert image is not None and max(image.shape[:2]) == 160


def test_same_seed_same_dataset_and_val_differs_from_train(dataset: Path, tmp_path: Path) -> None:
    generate_dataset(tmp_path, n_train=2, n_val=1, seed=11, imgsz=160)
    for i in range(2):
        for name in (f"labels/train/{i:06d}.txt", f"images/train/{i:06d}.jpg"):
            assert (tmp_path / name).read_bytes() == (dataset / name).read_bytes()
    train0 = (dataset / "images/train/000000.jpg").read_bytes()
    assert train0 != (dataset / "images/val/000000.jpg").read_bytes()
    assert train0 != (dataset / "images/train/000001.jpg").read_bytes()


@pytest.mark.parametrize(
    ("box", "line"),
    [
        (LabelledBox("c", "manhole_cover", (0.1, 0.2, 0.3, 0.6)), "0 0.200000 0.400000 0.200000 0.400000"),
        (LabelledBox("c", "manhole_open", (0.5, 0.5, 0.6, 0.55)), "1 0.550000 0.525000 0.100000 0.050000"),
        (LabelledBox("s", "bare_soil", (0.9, 0.9, 1.2, 1.0)), "2 0.950000 0.950000 0.100000 0.100000"),
        (LabelledBox("c", "manhole_damaged", (0.1, 0.1, 0.2, 0.2)), None),
        (LabelledBox("c", "manhole_cover", (0.3, 0.3, 0.3, 0.4)), None),
    ],
)
def test_yolo_lines(box: LabelledBox, line: str | None) -> None:
    assert yolo_lines([box]) == ([] if line is None else [line])


def test_class_order_is_the_contract() -> None:
    assert CLASS_NAMES == ("manhole_cover", "manhole_open", "bare_soil")


@pytest.mark.parametrize("seed", range(8))
def test_degrade_keeps_geometry(seed: int) -> None:
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (90, 160, 3), dtype=np.uint8)
    out = degrade(rng, image)
    assert out.shape == image.shape and out.dtype == np.uint8
