"""The plugin registry: config dispatch on ``type``, validation errors, round trips, building."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pydantic
import pytest
from pydantic import Field

from gridwatch.detectors import (
    AnyDetectorConfig,
    Detector,
    DetectorConfig,
    build_detector,
    known_types,
    parse_detector_config,
    register,
    registry,
)
from gridwatch.detectors.onnx_yolo import OnnxYoloConfig, OnnxYoloDetector
from gridwatch.types import Detections

from .onnx_builders import yolo_model, yolo_rows

ONNX = {"type": "onnx_yolo", "model": "models/det.onnx"}


class EchoConfig(DetectorConfig):
    """A throwaway third-party plugin, to show registration works outside this package."""

    type: Literal["echo"] = Field("echo", description="Plugin type.")
    label: str = Field(description="The one class name.")


class EchoDetector(Detector):
    """Finds one whole-frame box in every frame."""

    def __init__(self, config: EchoConfig) -> None:
        self.names = (config.label,)

    @classmethod
    def from_config(cls, config: EchoConfig, base_dir: Path | None = None) -> EchoDetector:
        return cls(config)

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        whole = Detections(
            xyxy=np.array([[0, 0, 1, 1]], np.float32),
            confidence=np.ones(1, np.float32),
            class_id=np.zeros(1, np.int64),
            names=self.names,
        )
        return [whole for _ in images]


def test_known_types_include_the_builtin_plugin() -> None:
    assert "onnx_yolo" in known_types()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"type": "tensorrt", "model": "x"}, "unknown detector type 'tensorrt'; known types: \\["),
        ({"model": "x"}, "needs a string 'type'"),
        ({"type": 3, "model": "x"}, "needs a string 'type'"),
    ],
)
def test_unknown_or_missing_type_is_a_value_error_listing_known_types(
    raw: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_detector_config(raw)
    assert "onnx_yolo" in str(caught.value)
    assert not isinstance(caught.value, pydantic.ValidationError)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"confidence": 1.5}, "confidence"),
        ({"iou": 0}, "iou"),
        ({"threads": 0}, "threads"),
        ({"max_detections": 0}, "max_detections"),
        ({"input_size": 8}, "input_size"),
        ({"class_names": []}, "class_names"),
        ({"colour": "red"}, "colour"),
        ({"model": None}, "model"),
    ],
)
def test_bad_fields_raise_validation_errors_naming_the_field(extra: dict[str, Any], field: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        parse_detector_config({**ONNX, **extra})
    assert field in {str(part) for error in caught.value.errors() for part in error["loc"]}


def test_parse_returns_the_plugin_config_class_with_defaults() -> None:
    config = parse_detector_config(ONNX)
    assert isinstance(config, OnnxYoloConfig)
    assert (config.model, config.confidence, config.iou, config.threads) == (
        Path("models/det.onnx"),
        0.25,
        0.45,
        1,
    )
    assert config.input_size is None and config.class_names is None


@pytest.mark.parametrize("mode", ["python", "json"])
def test_config_round_trips_through_model_dump(mode: str) -> None:
    config = parse_detector_config({**ONNX, "confidence": 0.4, "class_names": ["a", "b"]})
    assert parse_detector_config(config.model_dump(mode=mode)) == config


class Site(pydantic.BaseModel):
    plain: dict[str, DetectorConfig] = {}
    annotated: dict[str, AnyDetectorConfig] = {}


def test_subclass_fields_survive_dump_inside_a_parent_model() -> None:
    raw = {**ONNX, "threads": 2}
    site = Site(plain={"a": parse_detector_config(raw)}, annotated={"b": raw})
    dumped = site.model_dump()
    assert dumped["plain"]["a"]["threads"] == 2
    assert dumped["annotated"]["b"]["threads"] == 2
    again = Site.model_validate({"annotated": dumped["annotated"]}).annotated["b"]
    assert again == site.annotated["b"]
    assert isinstance(again, OnnxYoloConfig)


@pytest.mark.parametrize("config_cls", [DetectorConfig, OnnxYoloConfig, EchoConfig])
def test_every_config_field_has_a_description(config_cls: type[DetectorConfig]) -> None:
    missing = [name for name, f in config_cls.model_fields.items() if not f.description]
    assert missing == []


def test_registering_a_second_class_under_a_taken_name_fails() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("onnx_yolo", OnnxYoloConfig)(type("Other", (OnnxYoloDetector,), {}))


@pytest.mark.parametrize("relative", [True, False])
def test_build_resolves_relative_model_paths_against_base_dir(tmp_path: Path, relative: bool) -> None:
    (tmp_path / "models").mkdir()
    path = yolo_model(tmp_path / "models/det.onnx", yolo_rows([(8, 8, 4, 4, 0, 0.9)], 2))
    model = "models/det.onnx" if relative else str(path)
    config = parse_detector_config({"type": "onnx_yolo", "model": model})
    detector = build_detector(config, base_dir=tmp_path if relative else Path("/nonexistent"))
    assert detector.names == ("c0", "c1")
    (found,) = detector.detect([np.zeros((64, 64, 3), dtype=np.uint8)])
    assert found.class_id.tolist() == [0]


def test_build_error_names_the_relative_path_when_no_base_dir_is_given() -> None:
    config = parse_detector_config({"type": "onnx_yolo", "model": "no/such/model.onnx"})
    with pytest.raises(ValueError, match=r"no/such/model\.onnx"):
        build_detector(config)


def test_a_new_plugin_registers_and_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_PLUGINS", dict(registry._PLUGINS))
    register("echo", EchoConfig)(EchoDetector)
    assert {"echo", "onnx_yolo"} <= set(known_types())
    detector = build_detector(parse_detector_config({"type": "echo", "label": "thing"}))
    assert [d.class_names for d in detector.detect([np.zeros((2, 2, 3), np.uint8)])] == [["thing"]]
    with pytest.raises(pydantic.ValidationError, match="label"):
        parse_detector_config({"type": "echo"})


def test_plugin_runtimes_load_only_when_a_plugin_is_asked_for() -> None:
    script = (
        "import sys\n"
        "from gridwatch.detectors import known_types\n"
        "assert 'onnxruntime' not in sys.modules, 'imported too early'\n"
        "print(known_types())\n"
        "assert 'onnxruntime' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "onnx_yolo" in done.stdout
