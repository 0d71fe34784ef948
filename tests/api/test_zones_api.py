"""Zone CRUD: validated as the config validates, field-level 422s, written to the camera's YAML."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.config.loader import load_camera
from tests.api.conftest import CAMERA, ApiEnv, login

ZONE = {"name": "soil", "polygon": [[0.2, 0.6], [0.8, 0.6], [0.8, 0.9], [0.2, 0.9]],
        "rules": [{"incident": "bare_soil", "min_seconds": 30}]}


def test_put_writes_the_camera_file_atomically(client: TestClient, api_env: ApiEnv) -> None:
    headers = login(client, Role.ADMIN)
    response = client.put("/cameras/cam-a/zones/soil", json=ZONE, headers=headers)
    assert response.status_code == 200, response.text
    camera = load_camera(api_env.camera_file)
    assert [z.name for z in camera.zones] == ["cover", "soil"]
    assert camera.zones[1].rules[0].min_seconds == 30
    assert camera.url.get_secret_value() == CAMERA["url"]
    assert (api_env.camera_file.parent / "cam-a.yaml.bak").is_file()
    assert not list(api_env.camera_file.parent.glob(".*tmp"))
    listed = client.get("/cameras/cam-a/zones", headers=login(client, Role.VIEWER)).json()
    assert [z["name"] for z in listed] == ["cover", "soil"]


def test_delete_and_replace_all(client: TestClient, api_env: ApiEnv) -> None:
    headers = login(client, Role.ADMIN)
    assert client.delete("/cameras/cam-a/zones/cover", headers=headers).status_code == 204
    assert load_camera(api_env.camera_file).zones == []
    assert client.delete("/cameras/cam-a/zones/cover", headers=headers).status_code == 404
    moved = {**ZONE, "polygon": [[0.1, 0.1], [0.3, 0.1], [0.2, 0.3]]}
    assert client.put("/cameras/cam-a/zones", json=[ZONE, {**moved, "name": "b"}],
                      headers=headers).status_code == 200
    assert [z.name for z in load_camera(api_env.camera_file).zones] == ["soil", "b"]


def test_edits_survive_a_restart(api_env: ApiEnv) -> None:
    with TestClient(create_app(api_env.settings, api_env.site)) as client:
        client.put("/cameras/cam-a/zones/soil", json=ZONE, headers=login(client, Role.ADMIN))
    from gridwatch.config.loader import load_config

    assert api_env.settings.config is not None
    site = load_config(api_env.settings.config)
    with TestClient(create_app(api_env.settings, site)) as client:
        zones = client.get("/cameras/cam-a/zones", headers=login(client, Role.VIEWER)).json()
        assert [z["name"] for z in zones] == ["cover", "soil"]


def _with(**changes: Any) -> dict[str, Any]:
    return {**ZONE, **changes}


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        (_with(polygon=[[0.1, 0.1], [0.2, 0.2]]), ["body", "polygon"], "at least 3"),
        (_with(polygon=[[0.1, 0.1], [1.5, 0.2], [0.3, 0.4]]), ["body", "polygon"], ""),
        (_with(polygon=[[0, 0], [1, 1], [1, 0], [0, 1]]), ["body", "polygon"], ""),
        (_with(rules=[]), ["body", "rules"], "at least one incident"),
        (_with(rules=[{"incident": "ufo"}]), ["body", "rules", 0, "incident"], ""),
        (_with(rules=[{"incident": "bare_soil", "min_ratio": 0}]),
         ["body", "rules", 0, "min_ratio"], "greater than 0"),
        (_with(rules=[{"incident": "bare_soil"}, {"incident": "bare_soil"}]),
         ["body", "rules"], "two rules"),
        (_with(colour="red"), ["body", "colour"], "Extra inputs"),
        (_with(name="bad name!"), ["body", "name"], "pattern"),
    ],
)
def test_invalid_zones_get_field_level_errors(
    client: TestClient, api_env: ApiEnv, body: dict[str, Any], loc: list[object], message: str
) -> None:
    before = api_env.camera_file.read_bytes()
    name = body["name"] if body["name"] == "soil" else "soil"
    response = client.put(f"/cameras/cam-a/zones/{name}", json=body,
                          headers=login(client, Role.ADMIN))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"] == loc and message in e["msg"] for e in errors), errors
    assert api_env.camera_file.read_bytes() == before


def test_duplicate_names_in_a_full_save(client: TestClient, api_env: ApiEnv) -> None:
    response = client.put("/cameras/cam-a/zones", json=[ZONE, ZONE],
                          headers=login(client, Role.ADMIN))
    assert response.status_code == 422
    assert "duplicate zone name" in str(response.json()["detail"])
    assert yaml.safe_load(api_env.camera_file.read_text())["zones"][0]["name"] == "cover"


def test_name_must_match_path_and_camera_must_exist(client: TestClient) -> None:
    headers = login(client, Role.ADMIN)
    assert client.put("/cameras/cam-a/zones/other", json=ZONE, headers=headers).status_code == 422
    assert client.put("/cameras/nope/zones/soil", json=ZONE, headers=headers).status_code == 404


def test_inline_cameras_are_not_editable(api_env: ApiEnv) -> None:
    site = api_env.site.model_copy()
    settings = api_env.settings.model_copy(update={"config": None})
    with TestClient(create_app(settings, site)) as client:
        response = client.put("/cameras/cam-a/zones/soil", json=ZONE,
                              headers=login(client, Role.ADMIN))
        assert response.status_code == 409
        assert "camera_files" in response.json()["detail"]
