"""`gridwatch worker` reads its cameras from the registry (zones from YAML), else from YAML."""

from __future__ import annotations

from pathlib import Path

from gridwatch.cluster.commands import site_cameras
from gridwatch.config.models import GridwatchConfig
from gridwatch.registry.importer import import_csv
from gridwatch.registry.store import RegistryStore

ZONE = {"name": "z", "polygon": [[0, 0], [1, 0], [1, 1]], "rules": [{"incident": "bare_soil"}]}


def test_registry_cameras_with_yaml_zones(tmp_path: Path) -> None:
    site = GridwatchConfig.model_validate({
        "store": {"data_dir": str(tmp_path)},
        "cameras": [{"id": "c1", "url": "rtsp://yaml/1", "zones": [ZONE]}],
    })
    assert [c.id for c in site_cameras(site)] == ["c1"]  # no registry yet: the YAML cameras
    csv = tmp_path / "c.csv"
    csv.write_text("id,url,street\nc1,rtsp://reg/1,龙城街道\nc2,rtsp://reg/2,乌龙街道\n",
                   encoding="utf-8")
    store = RegistryStore.at(site.registry.file(site.store.data_dir))
    import_csv(csv, store)
    store.close()
    c1, c2 = site_cameras(site)
    assert (c1.id, c1.url.get_secret_value(), [z.name for z in c1.zones]) == ("c1", "rtsp://reg/1", ["z"])
    assert (c2.id, c2.zones) == ("c2", [])
    site.registry.use_for_run = False
    assert [c.id for c in site_cameras(site)] == ["c1"]
