from __future__ import annotations

from pathlib import Path

from gridwatch.config import load_camera

ROOT = Path(__file__).resolve().parents[2]


def test_example_camera_loads_without_showing_its_password() -> None:
    camera = load_camera(ROOT / "configs" / "examples" / "camera.yaml")
    assert camera.display_url.startswith("rtsp://viewer:***@192.0.2.10:554/")
    assert [z.name for z in camera.zones] == ["cover-east", "site-north"]
