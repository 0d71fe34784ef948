"""Train the gridwatch detector with ultralytics, offline, on CPU; export ONNX; write its record.

``train(TrainConfig(...))`` generates the simulated dataset (unless ``data`` names a data.yaml),
trains from the architecture yaml (no downloaded weights), validates the best checkpoint and the
exported ONNX on the held-out split, and writes ``<out>.onnx`` with ``<out>.json`` beside it. The
same settings always give the same dataset; ``command_line()`` is the command that reproduces it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from gridwatch.training.config import TrainConfig
from gridwatch.training.dataset import CLASS_NAMES, generate_dataset
from gridwatch.training.offline import import_ultralytics
from gridwatch.training.onnx_export import check_onnx, export_onnx
from gridwatch.training.record import class_metrics, model_io, sha256_file, versions, write_record


def train_arguments(config: TrainConfig, data_yaml: Path) -> dict[str, Any]:
    """Arguments for ``YOLO.train``: fp32 on CPU (AMP on a GPU), no plots, augmentation for small objects."""
    args: dict[str, Any] = {
        "data": str(data_yaml),
        "epochs": config.epochs,
        "imgsz": config.imgsz,
        "batch": config.batch,
        "device": config.device,
        "workers": config.workers,
        "amp": config.device != "cpu",
        "plots": False,
        "seed": config.seed,
        "deterministic": True,
        "project": str(config.workdir.resolve()),
        "name": "run",
        "exist_ok": True,
        "pretrained": False,
        "cache": "ram",
        "verbose": False,
        "scale": 0.3,
        "translate": 0.1,
        "close_mosaic": max(1, min(10, config.epochs // 4)),
    }
    args.update(config.extra)
    return args


def prepare_data(config: TrainConfig) -> tuple[Path, dict[str, Any]]:
    """The data.yaml to train on and a description of the dataset for the record."""
    if config.data is not None:
        return config.data, {"data_yaml": str(config.data)}
    root = config.workdir / "dataset"
    info = generate_dataset(
        root, config.images, config.n_val, config.seed, imgsz=config.imgsz, jobs=config.jobs
    )
    desc = {
        "generator": "gridwatch.training.dataset.generate_dataset",
        "train_images": info.n_train,
        "val_images": info.n_val,
        "seed": info.seed,
        "image_long_side": info.imgsz,
        "instances": info.instances,
    }
    return Path(info.data_yaml), desc


def evaluate(
    weights: Path, data_yaml: Path, imgsz: int, batch: int, project: Path, device: str = "cpu"
) -> dict[str, Any]:
    """Validation metrics of ``weights`` (.pt or .onnx) on the data's val split."""
    from ultralytics.models import YOLO

    metrics = YOLO(str(weights), task="detect").val(
        data=str(data_yaml),
        imgsz=imgsz,
        batch=batch,
        device=device,
        plots=False,
        verbose=False,
        workers=0,
        rect=False,
        project=str(project.resolve()),
        name="val",
        exist_ok=True,
    )
    return {
        "mAP50": round(float(metrics.box.map50), 4),
        "mAP50_95": round(float(metrics.box.map), 4),
        "per_class": class_metrics(metrics.summary(), _names(data_yaml)),
    }


def _names(data_yaml: Path) -> tuple[str, ...]:
    """The class names of a YOLO data.yaml (a list, or a dict by class id)."""
    doc = yaml.safe_load(data_yaml.read_text(encoding="utf-8"))
    if not isinstance(doc, dict):
        raise ValueError(f"{data_yaml}: not a YOLO data.yaml (path, train, val, names)")
    names = doc.get("names") or []
    return tuple(str(n) for n in (names.values() if isinstance(names, dict) else names))


def train(config: TrainConfig) -> dict[str, Any]:
    """Run the whole recipe (see the module docstring); returns the record that was written."""
    started = time.monotonic()
    import_ultralytics(config.config_dir)
    from ultralytics.models import YOLO

    data_yaml, dataset = prepare_data(config)
    names = _names(data_yaml)
    if not names or (config.data is None and names != CLASS_NAMES):
        raise ValueError(f"{data_yaml} must name its classes (generated data: {CLASS_NAMES})")
    fit_start = time.monotonic()
    model = YOLO(config.model, task="detect")
    model.train(**train_arguments(config, data_yaml))
    fit_s = time.monotonic() - fit_start
    if model.trainer is None:
        raise RuntimeError("ultralytics did not train")
    best = Path(model.trainer.best)
    val_pt = evaluate(best, data_yaml, config.imgsz, config.batch, config.workdir, config.device)
    onnx_path = export_onnx(best, config.out, config.imgsz, config.opset)
    onnx_info = check_onnx(onnx_path, config.imgsz, len(names))
    val_onnx = evaluate(onnx_path, data_yaml, config.imgsz, 1, config.workdir)
    record = {
        "name": onnx_path.stem,
        "file": onnx_path.name,
        "task": "detect",
        "classes": list(names),
        "imgsz": config.imgsz,
        **model_io(config.imgsz, names, bool(onnx_info["dynamic_batch"])),
        "architecture": config.model,
        "epochs": config.epochs,
        "batch": config.batch,
        "seed": config.seed,
        "dataset": dataset,
        "command": config.command_line(),
        "train_arguments": {
            k: v for k, v in train_arguments(config, data_yaml).items() if k not in ("data", "project")
        },
        "versions": versions(),
        "metrics": {"split": "val", "pytorch": val_pt, "onnx": val_onnx},
        "onnx": {"sha256": sha256_file(onnx_path), "bytes": onnx_path.stat().st_size, **onnx_info},
        "training_time_s": round(fit_s, 1),
        "total_time_s": round(time.monotonic() - started, 1),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "licence": "AGPL-3.0 (trained with ultralytics)",
    }
    write_record(onnx_path.with_suffix(".json"), record)
    return record
