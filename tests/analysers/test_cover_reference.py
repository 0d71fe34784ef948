"""The per-cover reference judge on rendered sim frames: each state, light, occluders, H.264."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from pydantic import ValidationError

from gridwatch.analysers.cover_reference import CoverReference, CoverReferenceError, read_reference
from gridwatch.config import ConfigError, load_camera
from gridwatch.config.models import CameraConfig
from gridwatch.types import Image
from tests.analysers.covers import frame, occlude, scene

SEEDS = (11, 13, 32)  # 32: a dark lid over a not much darker shaft


def judge(seed: int, image: Image) -> str:
    _, reference, polygon = scene(seed)
    return CoverReference(reference, polygon).judge(image).state


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("state", ["present", "missing", "damaged", "displaced"])
def test_each_state_is_told_apart(seed: int, state: str) -> None:
    for t in (7.0, 41.0):  # other light, shadows and passers-by than the reference's
        assert judge(seed, frame(seed, state, t)) == state


@pytest.mark.parametrize("seed", SEEDS)
def test_dusk_and_a_cloud_are_not_an_incident(seed: int) -> None:
    image = frame(seed, "present", 20.0).astype(np.float32)
    w = image.shape[1]
    cloud = 0.65 + 0.35 * np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :, None]  # soft edge
    dusk = image * np.asarray([0.55, 0.5, 0.42], np.float32) * cloud  # bluish, dim, shaded
    dusk = np.clip(dusk + np.random.default_rng(1).normal(0, 3, image.shape), 0, 255).astype(np.uint8)
    assert judge(seed, dusk) == "present"


def test_a_passer_by_standing_on_the_cover_is_unknown_not_an_incident() -> None:
    _, reference, polygon = scene(11)
    image = occlude(frame(11, "present", 20.0), polygon)
    verdict = CoverReference(reference, polygon).judge(image)
    assert verdict.state in ("unknown", "present"), verdict


def _h264(images: list[Image], path: Path) -> list[Image]:
    """Encode ``images`` with libx264 (CCTV-like settings) and decode them back."""
    h, w = images[0].shape[:2]
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("libx264", rate=10, options={"crf": "28", "preset": "veryfast"})
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.time_base = Fraction(1, 10)
        for i, image in enumerate(images):
            vf = av.VideoFrame.from_ndarray(image, format="bgr24")
            vf.pts, vf.time_base = i, Fraction(1, 10)
            out.mux(stream.encode(vf))
        out.mux(stream.encode(None))
    with av.open(str(path)) as src:
        return [f.to_ndarray(format="bgr24") for f in src.decode(video=0)]


@pytest.mark.parametrize("seed", SEEDS)
def test_h264_artefacts_do_not_change_the_verdict(seed: int, tmp_path: Path) -> None:
    states = ["present", "missing", "damaged", "displaced"]
    decoded = _h264([frame(seed, s, 12.0) for s in states], tmp_path / "covers.mp4")
    assert [judge(seed, image) for image in decoded] == states


def test_a_smaller_stream_of_the_same_view_is_resized_to_the_reference() -> None:
    image = frame(11, "missing", 9.0)
    half = cv2.resize(image, (image.shape[1] // 2, image.shape[0] // 2), interpolation=cv2.INTER_AREA)
    assert judge(11, np.asarray(half, np.uint8)) == "missing"


def test_another_aspect_ratio_is_a_clear_error() -> None:
    _, reference, polygon = scene(11)
    square = np.zeros((360, 360, 3), np.uint8)
    with pytest.raises(CoverReferenceError, match="aspect ratio"):
        CoverReference(reference, polygon).judge(square)


def test_a_cover_too_small_to_judge_is_a_clear_error() -> None:
    _, reference, _ = scene(11)
    tiny = [(0.5, 0.5), (0.51, 0.5), (0.51, 0.51), (0.5, 0.51)]
    with pytest.raises(CoverReferenceError, match="too small"):
        CoverReference(reference, tiny)


def _camera(tmp: Path, reference: str | None, polygon: list[list[float]]) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "cam-r", "url": "rtsp://127.0.0.1/r",
        "zones": [{"name": "lid-1", "polygon": polygon,
                   "rules": [{"incident": "manhole_damaged", "reference": True}]}],
    }
    if reference is not None:
        data["reference_image"] = reference
    return data


ZONE = [[0.3, 0.5], [0.45, 0.5], [0.45, 0.7], [0.3, 0.7]]


def _write_reference(tmp: Path) -> Path:
    path = tmp / "ref.png"
    cv2.imwrite(str(path), scene(11)[1])
    return path


def test_camera_file_resolves_the_reference_next_to_it(tmp_path: Path) -> None:
    import yaml

    _write_reference(tmp_path)
    (tmp_path / "cam.yaml").write_text(yaml.safe_dump(_camera(tmp_path, "ref.png", ZONE)), encoding="utf-8")
    camera = load_camera(tmp_path / "cam.yaml")
    assert camera.reference_image == tmp_path / "ref.png"
    assert read_reference(camera.reference_image).shape == scene(11)[1].shape


@pytest.mark.parametrize(
    ("reference", "polygon", "message"),
    [
        (None, ZONE, "camera 'cam-r': zone(s) 'lid-1' have rules with reference: true but the camera "
                     "has no reference_image"),
        ("nowhere.png", ZONE, "does not exist"),
        ("broken.png", ZONE, "cannot be read as an image"),
        ("ref.png", [[0.5, 0.5], [0.505, 0.5], [0.505, 0.505], [0.5, 0.505]],
         "zone 'lid-1': the cover zone is too small"),
        ("ref.png", [[0.9, 0.5], [1.2, 0.5], [1.2, 0.7], [0.9, 0.7]], "outside the image"),
    ],
)
def test_bad_reference_configs_say_what_and_where(
    tmp_path: Path, reference: str | None, polygon: list[list[float]], message: str
) -> None:
    import yaml

    _write_reference(tmp_path)
    (tmp_path / "broken.png").write_bytes(b"not a png at all")
    camera = _camera(tmp_path, reference, polygon)
    (tmp_path / "cam.yaml").write_text(yaml.safe_dump(camera), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cam\.yaml") as err:
        load_camera(tmp_path / "cam.yaml")
    assert message in str(err.value)


def test_reference_is_only_for_manhole_rules() -> None:
    with pytest.raises(ValidationError, match="reference applies to manhole_damaged"):
        CameraConfig.model_validate({
            "id": "c", "url": "rtsp://127.0.0.1/r",
            "zones": [{"name": "z", "polygon": ZONE,
                       "rules": [{"incident": "bare_soil", "reference": True}]}],
        })


def test_site_config_resolves_an_inline_camera_reference_next_to_it(tmp_path: Path) -> None:
    import yaml

    from gridwatch.config import load_config

    _write_reference(tmp_path)
    site = {"cameras": [_camera(tmp_path, "ref.png", ZONE)]}
    (tmp_path / "site.yaml").write_text(yaml.safe_dump(site), encoding="utf-8")
    (camera,) = load_config(tmp_path / "site.yaml").cameras
    assert camera.reference_image == tmp_path.resolve() / "ref.png"
