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
