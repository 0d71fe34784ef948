"""Rule options of the street-disorder incidents: defaults, validation, and classes checked at
config load against the detector's classes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from gridwatch.config import ConfigError, RuleConfig, load_config
from gridwatch.config.models import SHIPPED_MODEL, CameraConfig, ZoneConfig
from gridwatch.pipeline.camera import MissingClassesError, check_detector_classes


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"incident": "bare_soil", "max_motion": 0.5}, "max_motion applies to tracked incidents"),
        ({"incident": "crowd_gathering", "with_classes": ["person"]}, "with_classes applies to tracked"),
        ({"incident": "illegal_parking_motor", "min_area": 0.1}, "min_area applies to background incidents"),
        ({"incident": "street_vending", "max_area": 0.1}, "max_area applies to background incidents"),
        ({"incident": "exposed_garbage", "min_area": 0.3, "max_area": 0.2}, "is above max_area"),
        ({"incident": "illegal_parking_motor", "max_motion": 0}, "greater than 0"),
        ({"incident": "street_vending", "settle_seconds": -1}, "greater than or equal to 0"),
        ({"incident": "street_vending", "min_count": 3}, "min_count applies to"),
    ],
)
def test_bad_options_are_clear_errors(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RuleConfig.model_validate(rule)


@pytest.mark.parametrize(
    ("rule", "attribute", "value"),
    [
        ({"incident": "illegal_parking_motor"}, "min_seconds", 120.0),
        ({"incident": "illegal_parking_motor", "min_seconds": 30}, "min_seconds", 30.0),
        ({"incident": "street_vending"}, "min_seconds", 60.0),
        ({"incident": "manhole_missing"}, "min_seconds", 5.0),  # the generic default
        ({"incident": "illegal_parking_motor"}, "motion_limit", 0.3),
        ({"incident": "street_vending", "max_motion": 1.5}, "motion_limit", 1.5),
        ({"incident": "street_vending"}, "companion_classes", ("person",)),
        ({"incident": "street_vending", "with_classes": []}, "companion_classes", ()),
        ({"incident": "illegal_parking_motor"}, "companion_classes", ()),
        ({"incident": "exposed_garbage"}, "signal_classes", ()),
        ({"incident": "exposed_garbage"}, "uses_background", True),
        ({"incident": "exposed_garbage", "classes": ["garbage"]}, "uses_background", False),
        ({"incident": "exposed_garbage"}, "blob_area", (0.005, 0.05)),
        ({"incident": "piled_material", "min_area": 0.2}, "blob_area", (0.2, 1.0)),
        ({"incident": "illegal_parking_nonmotor"}, "tracked", True),
        ({"incident": "crowd_gathering"}, "tracked", False),
        ({"incident": "street_vending"}, "required_classes",
         ("umbrella", "dining table", "suitcase", "person")),
    ],
)
def test_defaults_per_incident(rule: dict[str, Any], attribute: str, value: object) -> None:
    assert getattr(RuleConfig.model_validate(rule), attribute) == value


def camera_yaml(rules: str) -> str:
    return ("  - id: cam-1\n    url: rtsp://127.0.0.1/x\n    zones:\n      - name: kerb\n"
            "        polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]\n        rules:\n" + rules)


@pytest.mark.parametrize(
    ("detectors", "rules", "problem"),
    [
        ("", "          - {incident: crowd_gathering, min_count: 5}\n", "needs class(es) ['person']"),
        ("", "          - {incident: street_vending}\n", "'umbrella', 'dining table', 'suitcase', 'person'"),
        ("", "          - {incident: exposed_garbage}\n", None),  # the background: no class needed
        ("", "          - {incident: manhole_missing}\n", None),
        ("", "          - {incident: exposed_garbage, classes: [garbage]}\n", "needs class(es) ['garbage']"),
        ("coco", "          - {incident: crowd_gathering}\n          - {incident: street_vending}\n", None),
        ("coco", "          - {incident: manhole_missing}\n", "needs class(es) ['manhole_open']"),
        ("coco", "          - {incident: illegal_parking_motor, with_classes: [traffic cone]}\n",
         "['traffic cone']"),
    ],
)
def test_rules_are_checked_against_the_detector_classes_at_load(
    detectors: str, rules: str, problem: str | None, tmp_path: Path
) -> None:
    text = "cameras:\n" + camera_yaml(rules)
    if detectors == "coco":
        text += (f"detectors:\n  default:\n    type: onnx_yolo\n    model: {SHIPPED_MODEL}\n"
                 "    class_names: [person, bicycle, car, motorcycle, bus, truck, umbrella, "
                 "dining table, chair, suitcase]\n")
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    if problem is None:
        assert load_config(path).cameras[0].id == "cam-1"
        return
    with pytest.raises(ConfigError) as info:
        load_config(path)
    (found,) = info.value.problems
    assert found.file == str(path) and found.line == 8  # the rule's line
    assert found.path == "cameras[0].zones[0].rules[0].incident"
    assert problem in found.message and "camera 'cam-1' zone 'kerb'" in found.message


def test_an_included_camera_file_is_checked_too(tmp_path: Path) -> None:
    cam = tmp_path / "cams" / "c.yaml"
    cam.parent.mkdir()
    cam.write_text(camera_yaml("          - {incident: illegal_parking_motor}\n")[4:].replace("\n    ", "\n"))
    (tmp_path / "site.yaml").write_text("camera_files: ['cams/*.yaml']\n")
    with pytest.raises(ConfigError, match="needs class") as info:
        load_config(tmp_path / "site.yaml")
    assert info.value.problems[0].file == str(cam)


def test_the_pipeline_checks_classes_when_the_config_could_not() -> None:
    camera = CameraConfig.model_validate({
        "id": "c", "url": "rtsp://127.0.0.1/c",
        "zones": [{"name": "z", "polygon": [[0, 0], [1, 0], [1, 1]],
                   "rules": [{"incident": "crowd_gathering"}]}],
    })
    with pytest.raises(MissingClassesError, match="needs class\\(es\\) \\['person'\\]"):
        check_detector_classes(camera, ("manhole_cover", "manhole_open", "bare_soil"))


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ({"name": "z", "polygon": [[0, 0], [1, 0], [1, 1]], "rules": []}, "at least one incident"),
        ({"name": "z", "polygon": [[0, 0], [1, 0], [1, 1]], "rules": [{"incident": "street_vending"}],
          "extra": 1}, "Extra inputs are not permitted"),
    ],
)
def test_bad_zones(zone: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CameraConfig.model_validate({"id": "c", "url": "rtsp://127.0.0.1/c", "zones": [zone]})


@pytest.mark.parametrize(
    ("analysis", "message"),
    [
        ({"scan_interval_s": 0}, "greater than 0"),
        ({"motion": {"treshold": 0.1}}, "Extra inputs are not permitted"),
        ({"background": {"short_samples": 2}}, "greater than or equal to 3"),
        ({"alignment": {"dead_band": 2}}, "Extra inputs are not permitted"),
        ({"alignment": {"max_shift_share": 0}}, "greater than 0"),
        ({"alignment": {"relearn_s": -1}}, "greater than 0"),
    ],
)
def test_bad_analysis_settings(analysis: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CameraConfig.model_validate({"id": "c", "url": "rtsp://127.0.0.1/c", "analysis": analysis})


@pytest.mark.parametrize(("rules", "classes"), [
    # an open hole is weighed against a cover on the same box: both states come
    ([{"incident": "manhole_missing"}, {"incident": "bare_soil"}],
     ("manhole_open", "bare_soil", "manhole_cover")),
    ([{"incident": "manhole_missing", "reference": True},
      {"incident": "manhole_damaged", "reference": True}], ("manhole_cover", "manhole_open")),
    ([{"incident": "street_vending"}], ("umbrella", "dining table", "suitcase", "person")),
    ([{"incident": "exposed_garbage"}], None),  # against the background: any class may help
])
def test_a_zone_crop_keeps_the_classes_of_its_rules(rules: list[dict[str, Any]],
                                                    classes: tuple[str, ...] | None) -> None:
    zone = ZoneConfig.model_validate(
        {"name": "z", "polygon": [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]], "rules": rules, "crop": True})
    assert zone.crop_classes == classes
