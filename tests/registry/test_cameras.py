"""Registry rows become CameraConfig objects, zones merged from the YAML camera of the same id."""

from __future__ import annotations

from gridwatch.config.models import CameraConfig
from gridwatch.registry.cameras import merged_cameras
from gridwatch.registry.record import CameraRecord


def test_zones_come_from_the_yaml_camera() -> None:
    yaml_cam = CameraConfig.model_validate({
        "id": "c1", "url": "rtsp://old/x",
        "zones": [{"name": "z", "polygon": [[0, 0], [1, 0], [1, 1]],
                   "rules": [{"incident": "manhole_missing"}]}],
    })
    records = [
        CameraRecord("c1", "n", "rtsp://u:pw1@h/1", "龙城街道", "LC-1", 102.8, 24.9, 2.0, "", True),
        CameraRecord("c2", "m", "rtsp://h/2", "乌龙街道", "", None, None, 1.0, "", False),
    ]
    c1, c2 = merged_cameras(records, [yaml_cam])
    assert [z.name for z in c1.zones] == ["z"]
    assert c1.url.get_secret_value() == "rtsp://u:pw1@h/1"  # the registry's URL wins
    assert (c1.street, c1.sampling.interval_s) == ("龙城街道", 2.0)
    assert (c2.zones, c2.enabled) == ([], False)
    assert "pw1" not in repr(records[0])
