"""A one-epoch training run on a few tiny images: offline, exported to ONNX, run by onnxruntime."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gridwatch.training.config import TrainConfig
from gridwatch.training.record import sha256_file

pytest.importorskip("ultralytics")
pytestmark = pytest.mark.train


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Any attempt to resolve a name or open a non-local connection is recorded and fails."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(host)
        raise OSError("network disabled in this test")

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts


def test_one_epoch_trains_exports_and_runs(tmp_path: Path, no_network: list[Any]) -> None:
    import onnxruntime as ort

    from gridwatch.training.train import train

    out = tmp_path / "models" / "tiny.onnx"
    config = TrainConfig(
        epochs=1,
        imgsz=64,
        images=8,
        val_images=4,
        batch=8,
        out=out,
        workdir=tmp_path / "work",
        config_dir=tmp_path / "ultralytics",
    )
    record = train(config)

    assert no_network == []
    assert out.is_file() and out.with_suffix(".json").is_file()
    assert json.loads(out.with_suffix(".json").read_text()) == record
    assert record["classes"] == ["manhole_cover", "manhole_open", "bare_soil"]
    assert record["imgsz"] == 64 and record["epochs"] == 1
    assert record["onnx"]["sha256"] == sha256_file(out)
    assert set(record["metrics"]["onnx"]["per_class"]) == set(record["classes"])
    assert record["dataset"]["train_images"] == 8 and record["dataset"]["val_images"] == 4
    assert (tmp_path / "ultralytics" / "Ultralytics" / "Arial.ttf").is_file()

    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    assert session.get_inputs()[0].shape[1:] == [3, 64, 64]
    for batch in (1, 3):
        (output,) = session.run(None, {"images": np.zeros((batch, 3, 64, 64), np.float32)})
        assert output.shape == (batch, 4 + 3, (64 // 8) ** 2 + (64 // 16) ** 2 + (64 // 32) ** 2)


def test_a_user_dataset_trains_with_its_own_classes(tmp_path: Path, no_network: list[Any]) -> None:
    """Real labelled footage comes as a YOLO data.yaml with the site's own class names."""
    import cv2

    from gridwatch.training.train import train

    root = tmp_path / "footage"
    rng = np.random.default_rng(7)
    for split, count in (("train", 6), ("val", 2)):
        (root / "images" / split).mkdir(parents=True)
        (root / "labels" / split).mkdir(parents=True)
        for i in range(count):
            image = np.full((64, 96, 3), 90, np.uint8)
            x, y = int(rng.integers(10, 60)), int(rng.integers(10, 40))
            cv2.rectangle(image, (x, y), (x + 20, y + 16), (20, 200, 240), -1)
            cv2.imwrite(str(root / "images" / split / f"{i}.jpg"), image)
            cx, cy = (x + 10) / 96, (y + 8) / 64
            label = f"1 {cx:.4f} {cy:.4f} {20 / 96:.4f} {16 / 64:.4f}\n"
            (root / "labels" / split / f"{i}.txt").write_text(label)
    (root / "data.yaml").write_text(
        f"path: {root}\ntrain: images/train\nval: images/val\nnames: {{0: traffic_cone, 1: garbage_bag}}\n")
    out = tmp_path / "site.onnx"
    record = train(TrainConfig(epochs=1, imgsz=64, batch=8, data=root / "data.yaml", out=out,
                               workdir=tmp_path / "work", config_dir=tmp_path / "ultralytics"))
    assert no_network == []
    assert record["classes"] == ["traffic_cone", "garbage_bag"]
    assert set(record["metrics"]["onnx"]["per_class"]) == {"traffic_cone", "garbage_bag"}
    assert record["output"]["shape"][1] == 4 + 2


def test_a_data_yaml_that_is_not_one_is_refused(tmp_path: Path) -> None:
    from gridwatch.training.train import train

    (tmp_path / "data.yaml").write_text("- just\n- a list\n")
    with pytest.raises(ValueError, match=r"not a YOLO data\.yaml"):
        train(TrainConfig(epochs=1, imgsz=64, data=tmp_path / "data.yaml", out=tmp_path / "m.onnx",
                          workdir=tmp_path / "work", config_dir=tmp_path / "ultralytics"))
