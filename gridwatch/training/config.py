"""Training settings: ``TrainConfig`` and the settings of the shipped model (``SHIPPED``).

Kept free of heavy imports so the CLI can show defaults without torch or ultralytics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridwatch.training.offline import DEFAULT_CONFIG_DIR

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "gridwatch" / "models" / "gridwatch-det-v1.onnx"
DEFAULT_WORKDIR = REPO / "var" / "train"


@dataclass(frozen=True, slots=True)
class TrainConfig:
    epochs: int = 40
    imgsz: int = 320
    images: int = 600
    val_images: int = 0  # 0: a quarter of ``images`` (at least 8)
    seed: int = 0
    model: str = "yolov8n.yaml"
    batch: int = 16
    out: Path = DEFAULT_OUT
    data: Path | None = None
    workdir: Path = DEFAULT_WORKDIR
    config_dir: Path = DEFAULT_CONFIG_DIR
    opset: int = 17
    workers: int = 0
    device: str = "cpu"  # "cpu", or a CUDA device such as "0"
    jobs: int = 1  # processes that render the dataset (same images whatever the count)
    extra: dict[str, Any] = field(default_factory=dict)  # more ultralytics train arguments

    @property
    def n_val(self) -> int:
        return self.val_images or max(8, self.images // 4)

    def command_line(self) -> str:
        """The ``gridwatch train`` command for these settings."""
        parts = [
            "gridwatch train",
            f"--epochs {self.epochs}",
            f"--imgsz {self.imgsz}",
            f"--images {self.images}",
            f"--val-images {self.n_val}",
            f"--seed {self.seed}",
            f"--model {self.model}",
            f"--batch {self.batch}",
        ]
        if self.device != "cpu":
            parts.append(f"--device {self.device}")
        if self.data is not None:
            parts.append(f"--data {self.data}")
        parts.append(f"--out {_rel(self.out)}")
        return " ".join(parts)


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


SHIPPED = TrainConfig()
