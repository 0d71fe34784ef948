"""make-suite with cover references: a reference image per clip, reference rules on covers."""

from __future__ import annotations

from pathlib import Path

import cv2
import yaml

from gridwatch.config import load_camera
from gridwatch.evaluation.make_suite import make_suite
from gridwatch.sim.scenarios import named_scenario


def test_clips_get_a_healthy_reference_and_reference_rules(tmp_path: Path) -> None:
    make_suite(tmp_path, [9601], ["cover_displaced"], duration_s=3.0, cover_reference=True)
    raw = yaml.safe_load((tmp_path / "cover_displaced-9601.camera.yaml").read_text(encoding="utf-8"))
    assert raw["reference_image"] == "cover_displaced-9601.reference.png"  # relative: the suite moves
    camera = load_camera(tmp_path / "cover_displaced-9601.camera.yaml")
    assert camera.reference_image == (tmp_path / "cover_displaced-9601.reference.png").resolve()
    covers = [z for z in camera.zones if z.name.startswith("cover-")]
    assert covers and all(
        sorted(r.incident for r in z.rules if r.reference)
        == ["manhole_damaged", "manhole_displaced", "manhole_missing"] for z in covers
    )
    soil = [r for z in camera.zones if z.name.startswith("soil-") for r in z.rules]
    assert soil and not any(r.reference for r in soil)  # the model still judges soil
    assert all(z.crop == z.name.startswith("cover-") for z in camera.zones)  # covers are cropped
    image = cv2.imread(str(camera.reference_image))
    scenario = named_scenario("cover_displaced", 9601, 3.0)
    assert image.shape == (scenario.height, scenario.width, 3)


def test_without_cover_reference_nothing_changes(tmp_path: Path) -> None:
    make_suite(tmp_path, [9602], ["cover_missing"], duration_s=2.0, crop_covers=False)
    assert not list(tmp_path.glob("*.reference.png"))
    camera = load_camera(tmp_path / "cover_missing-9602.camera.yaml")
    assert camera.reference_image is None and not any(r.reference for z in camera.zones for r in z.rules)
    assert not any(z.crop for z in camera.zones)
