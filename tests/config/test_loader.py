from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gridwatch.config import ConfigError, load_camera, load_config

CAMERA = """\
id: cam-1
url: rtsp://admin:s3cret-pw@10.0.0.7:554/stream1
street: 龙城街道
grid: LC-01
zones:
  - name: cover-a
    polygon: [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]]
    rules:
      - incident: manhole_missing
        min_seconds: 3
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_valid_camera_loads_and_hides_password(tmp_path: Path) -> None:
    camera = load_camera(write(tmp_path, "cam.yaml", CAMERA))
    assert camera.zones[0].rules[0].min_seconds == 3
    assert camera.url.get_secret_value().startswith("rtsp://admin:s3cret-pw@")
    assert "s3cret-pw" not in camera.display_url
    assert "s3cret-pw" not in repr(camera)
    assert "s3cret-pw" not in camera.model_dump_json()


@pytest.mark.parametrize(
    ("old", "new", "path", "message", "line"),
    [
        (
            "[[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]]",
            "[[0.1, 0.1], [0.4, 0.1]]",
            "zones[0].polygon",
            "at least 3 points",
            7,
        ),
        (
            "[[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]]",
            "[[0.1, 0.1], [1.4, 0.1], [0.4, 0.4]]",
            "zones[0].polygon",
            "outside the image",
            7,
        ),
        (
            "[[0.1, 0.1], [0.4, 0.1], [0.4, 0.4], [0.1, 0.4]]",
            "[[0.1, 0.1], [0.4, 0.4], [0.4, 0.1], [0.1, 0.4]]",
            "zones[0].polygon",
            "intersects itself",
            7,
        ),
        ("incident: manhole_missing", "incident: manhole_gone", "zones[0].rules[0].incident",
         "manhole_missing", 9),
        ("min_seconds: 3", "min_secs: 3", "zones[0].rules[0].min_secs", "Extra inputs", 10),
        ("min_seconds: 3", "min_seconds: -1", "zones[0].rules[0].min_seconds", "greater than", 10),
        ("rtsp://admin:s3cret-pw@10.0.0.7:554/stream1", "rtsp://admin:s3cret-pw@10.0.0.7:99999/x",
         "url", "port", 2),
        ("rtsp://admin:s3cret-pw@10.0.0.7:554/stream1", "gopher://admin:s3cret-pw@10.0.0.7/x",
         "url", "scheme", 2),
        ("rtsp://admin:s3cret-pw@10.0.0.7:554/stream1", "rtsp://admin:s3cret-pw@/x",
         "url", "host", 2),
    ],
)
def test_invalid_camera_names_file_path_and_line(
    tmp_path: Path, old: str, new: str, path: str, message: str, line: int
) -> None:
    assert old in CAMERA
    file = write(tmp_path, "cam.yaml", CAMERA.replace(old, new))
    with pytest.raises(ConfigError) as info:
        load_camera(file)
    text = str(info.value)
    assert str(file) in text
    assert f"{file}:{line}: {path}: " in text, text
    assert message in text
    assert "s3cret-pw" not in text


def test_zone_without_rules_is_rejected(tmp_path: Path) -> None:
    text = CAMERA.split("    rules:")[0] + "    rules: []\n"
    with pytest.raises(ConfigError, match="at least one incident"):
        load_camera(write(tmp_path, "cam.yaml", text))


def test_not_yaml(tmp_path: Path) -> None:
    file = write(tmp_path, "cam.yaml", "id: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML") as info:
        load_camera(file)
    assert str(file) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")


SITE = """\
redis:
  url: redis://127.0.0.1:6379/0
camera_files: ["cameras/*.yaml"]
cameras:
  - id: cam-1
    url: rtsp://127.0.0.1:8554/a
"""


def test_site_with_included_cameras(tmp_path: Path) -> None:
    (tmp_path / "cameras").mkdir()
    write(tmp_path / "cameras", "two.yaml", CAMERA.replace("id: cam-1", "id: cam-2"))
    config = load_config(write(tmp_path, "site.yaml", SITE))
    assert [c.id for c in config.cameras] == ["cam-1", "cam-2"]
    assert config.category("manhole_missing").code == "0114"


def test_duplicate_camera_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "cameras").mkdir()
    dup = write(tmp_path / "cameras", "dup.yaml", CAMERA)
    with pytest.raises(ConfigError, match="duplicate camera id 'cam-1'") as info:
        load_config(write(tmp_path, "site.yaml", SITE))
    assert str(dup) in str(info.value)


def test_duplicate_camera_id_inline(tmp_path: Path) -> None:
    text = SITE.replace('camera_files: ["cameras/*.yaml"]\n', "") + (
        "  - id: cam-1\n    url: rtsp://127.0.0.1:8554/b\n"
    )
    with pytest.raises(ConfigError, match="duplicate camera id 'cam-1'"):
        load_config(write(tmp_path, "site.yaml", text))


def test_error_inside_included_camera_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "cameras").mkdir()
    bad = write(tmp_path / "cameras", "bad.yaml",
                CAMERA.replace("id: cam-1", "id: cam-9").replace("min_seconds: 3", "min_seconds: x"))
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, "site.yaml", SITE))
    assert f"{bad}:10: zones[0].rules[0].min_seconds" in str(info.value)


def test_unknown_detector_type_and_reference(tmp_path: Path) -> None:
    text = SITE.replace('camera_files: ["cameras/*.yaml"]\n', "detectors:\n  x: {type: magic}\n")
    with pytest.raises(ConfigError, match="unknown detector type 'magic'") as info:
        load_config(write(tmp_path, "site.yaml", text))
    assert "detectors.x" in str(info.value)
    text = SITE.replace('camera_files: ["cameras/*.yaml"]\n', "").replace(
        "url: rtsp://127.0.0.1:8554/a", "url: rtsp://127.0.0.1:8554/a\n    detector: nope"
    )
    with pytest.raises(ConfigError, match="detector 'nope', which is not defined"):
        load_config(write(tmp_path, "site.yaml", text))


def test_shipped_configs_load() -> None:
    root = Path(__file__).resolve().parents[2] / "configs"
    config = load_config(root / "gridwatch.yaml")
    assert "default" in config.detectors


def test_unknown_timezone(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown IANA timezone 'Mars/Base'") as info:
        load_config(write(tmp_path, "site.yaml", "site:\n  timezone: Mars/Base\n"))
    assert ":2: site.timezone:" in str(info.value)
