"""Write a YOLO-format detection dataset of simulated street views.

Layout under ``out_dir``::

    images/train/000000.jpg  labels/train/000000.txt   (one "class cx cy w h" line per object)
    images/val/...           labels/val/...
    data.yaml                (path, train, val, names: manhole_cover, manhole_open, bare_soil)
    dataset.json             (seed, sizes, per-class instance counts)

Each image is its own domain-randomised scene (``random_scene(randomise=True)``) with random
object states, a random moment (light, shadows, passers-by), then camera degradations
(``augment.degrade``). Train and val draw from disjoint seed streams, ``[seed, 0, i]`` and
``[seed, 1, i]``, so val scenes are never seen in training.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path

import cv2
import numpy as np
import yaml

from gridwatch.sim.scene import LabelledBox, SceneRenderer, random_scene
from gridwatch.training.augment import degrade
from gridwatch.types import Image

CLASS_NAMES: tuple[str, ...] = ("manhole_cover", "manhole_open", "bare_soil")
FRAME_SIZES = ((640, 360), (640, 360), (640, 360), (640, 480), (704, 396))
SPLITS = ("train", "val")
P_MISSING = 0.45
P_BARE = 0.55


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    root: str
    data_yaml: str
    seed: int
    n_train: int
    n_val: int
    imgsz: int | None
    instances: dict[str, dict[str, int]]  # split → class → count


@dataclass(frozen=True, slots=True)
class Sample:
    image: Image
    boxes: list[LabelledBox]


def random_states(rng: np.random.Generator, renderer: SceneRenderer) -> dict[str, str]:
    """Random training states: covers present or missing, soil covered or bare."""
    states = {}
    for cover in renderer.spec.covers:
        states[cover.id] = "missing" if rng.random() < P_MISSING else "present"
    for soil in renderer.spec.soils:
        states[soil.id] = "bare" if rng.random() < P_BARE else "covered"
    return states


def render_sample(rng: np.random.Generator) -> Sample:
    """One randomised, degraded training image with its labelled boxes."""
    width, height = FRAME_SIZES[int(rng.integers(len(FRAME_SIZES)))]
    for _ in range(20):
        try:
            spec = random_scene(rng, width, height, randomise=True)
            break
        except RuntimeError:
            continue
    else:
        raise RuntimeError("no usable scene in 20 draws")
    renderer = SceneRenderer(spec)
    states = random_states(rng, renderer)
    image, boxes = renderer.render(float(rng.uniform(0.0, 120.0)), states)
    return Sample(degrade(rng, image), boxes)


def yolo_lines(boxes: list[LabelledBox]) -> list[str]:
    """YOLO label lines (class id, centre x, centre y, width, height; normalised)."""
    lines = []
    for box in boxes:
        if box.class_name not in CLASS_NAMES:
            continue
        x1, y1, x2, y2 = (min(max(v, 0.0), 1.0) for v in box.bbox)
        if x2 - x1 <= 0 or y2 - y1 <= 0:
            continue
        cls = CLASS_NAMES.index(box.class_name)
        lines.append(f"{cls} {(x1 + x2) / 2:.6f} {(y1 + y2) / 2:.6f} {x2 - x1:.6f} {y2 - y1:.6f}")
    return lines


def _resize(image: Image, imgsz: int | None) -> Image:
    if imgsz is None:
        return image
    h, w = image.shape[:2]
    scale = imgsz / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _write_sample(images: Path, labels: Path, split: str, seed: int, i: int, imgsz: int | None) -> list[str]:
    """Render and write image ``i`` of ``split``; its label lines (the same whichever process runs it)."""
    sample = render_sample(np.random.default_rng([seed, SPLITS.index(split), i]))
    cv2.imwrite(
        str(images / f"{i:06d}.jpg"), _resize(sample.image, imgsz), [cv2.IMWRITE_JPEG_QUALITY, 95]
    )
    lines = yolo_lines(sample.boxes)
    (labels / f"{i:06d}.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return lines


def _write_split(
    out_dir: Path, split: str, count: int, seed: int, imgsz: int | None, jobs: int = 1
) -> dict[str, int]:
    images, labels = out_dir / "images" / split, out_dir / "labels" / split
    images.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    write = partial(_write_sample, images, labels, split, seed, imgsz=imgsz)
    if jobs > 1:
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            all_lines = list(pool.map(write, range(count), chunksize=8))
    else:
        all_lines = [write(i) for i in range(count)]
    counts = dict.fromkeys(CLASS_NAMES, 0)
    for lines in all_lines:
        for line in lines:
            counts[CLASS_NAMES[int(line.split()[0])]] += 1
    return counts


def write_data_yaml(out_dir: Path) -> Path:
    path = out_dir / "data.yaml"
    data = {
        "path": str(out_dir.resolve()),
        "train": "images/train",
        "val": "images/val",
        "names": dict(enumerate(CLASS_NAMES)),
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def generate_dataset(
    out_dir: Path, n_train: int, n_val: int, seed: int, imgsz: int | None = None, jobs: int = 1
) -> DatasetInfo:
    """Write the dataset (see the module docstring); ``imgsz`` resizes images to that long side;
    ``jobs`` processes render it (the images do not depend on the count)."""
    if n_train < 1 or n_val < 1:
        raise ValueError("need at least one train and one val image")
    out_dir.mkdir(parents=True, exist_ok=True)
    instances = {
        "train": _write_split(out_dir, "train", n_train, seed, imgsz, jobs),
        "val": _write_split(out_dir, "val", n_val, seed, imgsz, jobs),
    }
    data_yaml = write_data_yaml(out_dir)
    info = DatasetInfo(
        str(out_dir.resolve()), str(data_yaml.resolve()), seed, n_train, n_val, imgsz, instances
    )
    (out_dir / "dataset.json").write_text(json.dumps(asdict(info), indent=2) + "\n", encoding="utf-8")
    return info
