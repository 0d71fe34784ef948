"""Settings shared by the plugins that run an exported (ONNX) YOLO-family model: ONNX Runtime, OpenVINO."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from gridwatch.detectors.base import DetectorConfig, ModelError
from gridwatch.detectors.heads import HeadChoice


class ExportedModelConfig(DetectorConfig):
    """An exported detect model: which file, which head, thresholds and class names."""

    model: Path = Field(description="The .onnx file; relative paths resolve against the config's directory.")
    head: HeadChoice = Field(
        "auto",
        description="Detect head the model ends in: 'yolo' (ultralytics YOLOv8/11, output "
        "(B, 4 + nc, N)), 'yolox' (YOLOX exported raw, without decode_in_inference: output "
        "(B, N, 5 + nc)), or 'auto' to tell from the "
        "output shape. The head also sets the input layout (channel order, scale, letterbox).",
    )
    input_size: int | None = Field(
        None, ge=32, description="Model input side in pixels; None reads it from the model."
    )
    confidence: float = Field(0.25, ge=0.0, le=1.0, description="Keep boxes scoring above this.")
    iou: float = Field(
        0.45,
        gt=0.0,
        le=1.0,
        description="NMS IoU above which the weaker of two same-class boxes goes.",
    )
    max_detections: int = Field(300, ge=1, description="Most boxes kept per frame.")
    class_names: list[str] | None = Field(
        None,
        min_length=1,
        description="Class names by id; None reads class_names_file or the model's 'names' metadata.",
    )
    class_names_file: Path | None = Field(
        None,
        description="A text file with one class name per line (e.g. coco.names for a COCO YOLOX); "
        "relative paths resolve against the config's directory. Not with class_names.",
    )
    threads: int = Field(1, ge=1, le=256, description="Inference threads.")

    @model_validator(mode="after")
    def _one_source_of_names(self) -> ExportedModelConfig:
        if self.class_names is not None and self.class_names_file is not None:
            raise ValueError("set class_names or class_names_file, not both")
        return self

    def resolve(self, path: Path, base_dir: Path | None) -> Path:
        """``path`` with ``~`` expanded, relative to ``base_dir`` when given."""
        path = path.expanduser()
        return path if base_dir is None else base_dir / path

    def names(self, base_dir: Path | None) -> list[str] | None:
        """The configured class names (read from ``class_names_file`` if set), or None."""
        if self.class_names_file is None:
            return self.class_names
        path = self.resolve(self.class_names_file, base_dir)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise ModelError(f"cannot read class_names_file {path}: {error}") from error
        names = [line.strip() for line in lines if line.strip()]
        if not names:
            raise ModelError(f"class_names_file {path} names no classes")
        return names
