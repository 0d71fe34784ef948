"""``gridwatch dataset`` and ``gridwatch train``: the simulated dataset and the shipped detector.

``gridwatch train`` with no options reproduces ``gridwatch/models/gridwatch-det-v1.onnx``
(it generates its own dataset unless ``--data`` is given). Both need the ``train`` extra.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from gridwatch.training.config import DEFAULT_OUT, DEFAULT_WORKDIR, SHIPPED


def dataset(
    out: Annotated[Path, typer.Argument(help="Folder to write (images/, labels/, data.yaml).")],
    train: Annotated[int, typer.Option("--train", help="Training images.")] = 300,
    val: Annotated[int, typer.Option("--val", help="Held-out validation images.")] = 80,
    seed: Annotated[int, typer.Option(help="Dataset seed.")] = 0,
    imgsz: Annotated[int | None, typer.Option(help="Resize images to this long side.")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Processes rendering the images.")] = 1,
) -> None:
    """Write a YOLO-format dataset of domain-randomised simulated street views."""
    from gridwatch.training.dataset import generate_dataset

    info = generate_dataset(out, train, val, seed, imgsz=imgsz, jobs=jobs)
    typer.echo(f"wrote {info.n_train} train + {info.n_val} val images → {info.data_yaml}")
    typer.echo(json.dumps(info.instances))


def train(
    epochs: Annotated[int, typer.Option(help="Training epochs.")] = SHIPPED.epochs,
    imgsz: Annotated[int, typer.Option(help="Model input size (pixels, square).")] = SHIPPED.imgsz,
    images: Annotated[int, typer.Option(help="Training images to generate.")] = SHIPPED.images,
    val_images: Annotated[
        int, typer.Option(help="Validation images (0: a quarter of --images).")
    ] = SHIPPED.val_images,
    seed: Annotated[int, typer.Option(help="Dataset and training seed.")] = SHIPPED.seed,
    model: Annotated[str, typer.Option(help="Architecture yaml (never a weights name).")] = SHIPPED.model,
    batch: Annotated[int, typer.Option(help="Batch size.")] = SHIPPED.batch,
    out: Annotated[Path, typer.Option(help="ONNX file to write; the record goes beside it.")] = DEFAULT_OUT,
    data: Annotated[Path | None, typer.Option(help="Train on this data.yaml instead of generating.")] = None,
    workdir: Annotated[Path, typer.Option(help="Scratch folder for the dataset and runs.")] = DEFAULT_WORKDIR,
    device: Annotated[str, typer.Option(help="cpu, or a CUDA device index such as 0.")] = SHIPPED.device,
    jobs: Annotated[int, typer.Option(min=1, help="Processes rendering the dataset.")] = SHIPPED.jobs,
    workers: Annotated[int, typer.Option(min=0, help="Data-loader workers.")] = SHIPPED.workers,
) -> None:
    """Train the detector offline (CPU by default), export ONNX and write its JSON record."""
    from gridwatch.training.config import TrainConfig
    from gridwatch.training.train import train as run_training

    config = TrainConfig(
        epochs=epochs,
        imgsz=imgsz,
        images=images,
        val_images=val_images,
        seed=seed,
        model=model,
        batch=batch,
        out=out,
        data=data,
        workdir=workdir,
        device=device,
        jobs=jobs,
        workers=workers,
    )
    record = run_training(config)
    per_class = {k: v["mAP50"] for k, v in record["metrics"]["onnx"]["per_class"].items()}
    typer.echo(f"wrote {out} ({record['onnx']['bytes']} bytes); val mAP50 per class: {per_class}")


def negatives(
    folder: Annotated[Path, typer.Argument(help="Negatives folder (store.negatives_dir).")],
    out: Annotated[Path, typer.Argument(help="Folder to write images/ and empty labels/ into.")],
    context: Annotated[float, typer.Option(min=1.0, help="Crop size, in rejected-box sizes.")] = 2.0,
) -> None:
    """Turn rejected alerts into YOLO background images (hard negatives) for the next training."""
    from gridwatch.training.negatives import export_negatives

    count = export_negatives(folder, out, context)
    typer.echo(f"wrote {count} hard negative(s) → {out / 'images'}")


def register(app: typer.Typer) -> None:
    """Add ``dataset``, ``train`` and ``negatives`` to the ``gridwatch`` command."""
    app.command("dataset")(dataset)
    app.command("train")(train)
    app.command("negatives")(negatives)
