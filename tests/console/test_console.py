"""The operator console in headless Chromium: login, live alert, confirm, zone editor, live view."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import httpx
import numpy as np
import yaml
from playwright.sync_api import Page, expect

from gridwatch.api.security.roles import Role
from gridwatch.config.incidents import WarningLevel
from tests.api.conftest import PASSWORDS
from tests.api.test_alerts_api import publish, sample_alert
from tests.console.conftest import Hall, screenshot


def log_in(page: Page, hall: Hall, role: Role, hash_: str = "#/wall") -> None:
    page.goto(f"{hall.url}/console/{hash_}")
    page.fill("input[name=username]", role.value)
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("button[type=submit]")
    expect(page.locator("#who")).to_contain_text(role.value)


def evidence(hall: Hall, name: str, colour: tuple[int, int, int]) -> str:
    image = np.full((360, 640, 3), 40, np.uint8)
    cv2.rectangle(image, (200, 150), (320, 240), colour, 3)
    path = Path(hall.env.evidence_dir) / f"{name}.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return f"{name}.jpg"


def status_of(hall: Hall, alert_id: str) -> str:
    body = {"username": "viewer", "password": PASSWORDS[Role.VIEWER]}
    token = httpx.post(f"{hall.url}/auth/login", json=body).json()["token"]
    alert = httpx.get(f"{hall.url}/alerts/{alert_id}", headers={"Authorization": f"Bearer {token}"})
    return str(alert.json()["status"])


def test_live_alert_appears_and_is_confirmed(page: Page, hall: Hall) -> None:
    publish(hall.env, hall.redis_url, sample_alert(1, evidence=evidence(hall, "a1", (0, 200, 255))))
    log_in(page, hall, Role.OPERATOR)
    expect(page.locator("[data-alert=a1]")).to_be_visible()
    expect(page.locator("#feed-state")).to_have_class("feed-state up")
    publish(hall.env, hall.redis_url, sample_alert(
        2, level=WarningLevel.RED, incident="manhole_missing", camera_id="cam1",
        evidence=evidence(hall, "a2", (0, 0, 255))))
    card = page.locator("[data-alert=a2]")
    expect(card).to_be_visible()
    expect(card).to_have_class("card level-red status-new fresh")
    expect(page.locator(".card").first).to_have_attribute("data-alert", "a2")
    page.wait_for_function("document.querySelector('[data-alert=a2] img')?.naturalWidth > 0")
    screenshot(page, "wall-live-alert")
    card.locator("button.confirm").click()
    expect(card.locator(".badge")).to_have_text("已确认")
    assert status_of(hall, "a2") == "confirmed"
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("[data-alert=a1]")).to_have_class("card level-blue status-new selected")
    page.keyboard.press("d")
    expect(page.locator("[data-alert=a1] .badge")).to_have_text("已派遣")
    assert status_of(hall, "a1") == "dispatched"
    screenshot(page, "wall-decided")


def test_another_operators_decision_shows_up_live(page: Page, hall: Hall) -> None:
    publish(hall.env, hall.redis_url, sample_alert(3))
    log_in(page, hall, Role.OPERATOR)
    expect(page.locator("[data-alert=a3] .badge")).to_have_text("待核实")
    body = {"username": "supervisor", "password": PASSWORDS[Role.SUPERVISOR]}
    token = httpx.post(f"{hall.url}/auth/login", json=body).json()["token"]
    httpx.post(f"{hall.url}/alerts/a3/reject", json={"reason": "阴影误报"},
               headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    expect(page.locator("[data-alert=a3] .badge")).to_have_text("已驳回")
    expect(page.locator("[data-alert=a3] button")).to_have_count(0)


def _click_at(page: Page, x: float, y: float) -> None:
    box = page.locator("#zone-canvas").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])


def test_draw_and_save_a_zone(page: Page, hall: Hall) -> None:
    log_in(page, hall, Role.ADMIN, "#/camera/cam1")
    page.wait_for_function("document.querySelector('#zone-snapshot')?.naturalWidth > 0")
    page.click("#zone-new")
    for x, y in [(0.2, 0.6), (0.6, 0.6), (0.6, 0.9), (0.2, 0.9)]:
        _click_at(page, x, y)
    page.keyboard.press("Enter")
    expect(page.locator("#zone-name")).to_have_value("zone-2")
    page.check("input[data-incident=bare_soil]")
    page.fill("input[data-field='bare_soil.min_ratio']", "0")
    page.click("#zone-save")
    expect(page.locator("#zone-messages")).to_contain_text("greater than 0")
    expect(page.locator("#zone-form .field-error")).to_contain_text("greater than 0")
    screenshot(page, "zone-editor-error")
    page.fill("input[data-field='bare_soil.min_ratio']", "0.5")
    box = page.locator("#zone-canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 0.6 * box["width"], box["y"] + 0.9 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.7 * box["width"], box["y"] + 0.95 * box["height"], steps=5)
    page.mouse.up()
    page.click("#zone-save")
    expect(page.locator("#zone-messages")).to_have_text("已保存")
    screenshot(page, "zone-editor-saved")
    saved = yaml.safe_load(hall.env.camera_file.read_text())
    zone = next(z for z in saved["zones"] if z["name"] == "zone-2")
    assert zone["rules"][0]["incident"] == "bare_soil" and zone["rules"][0]["min_ratio"] == 0.5
    (x1, y1), _, (x3, y3), _ = zone["polygon"]
    assert abs(x1 - 0.2) < 0.02 and abs(y1 - 0.6) < 0.02
    assert abs(x3 - 0.7) < 0.02 and abs(y3 - 0.95) < 0.02, "the dragged vertex moved"
    assert [z["name"] for z in saved["zones"]] == ["cover", "zone-2"]


def test_operator_sees_zones_read_only(page: Page, hall: Hall) -> None:
    log_in(page, hall, Role.OPERATOR, "#/camera/cam1")
    expect(page.locator("#zone-form")).to_be_visible()
    expect(page.locator("#zone-save")).to_have_count(0)
    expect(page.locator("#zone-name")).to_be_disabled()


def test_live_view_plays_the_simulated_camera(page: Page, hall: Hall) -> None:
    log_in(page, hall, Role.VIEWER, "#/camera/cam1")
    page.click("#live-toggle")
    page.wait_for_function(
        "() => { const v = document.querySelector('#live-video');"
        " return v.currentTime > 1 && v.getVideoPlaybackQuality().totalVideoFrames > 10; }",
        timeout=60_000,
    )
    first = page.evaluate("document.querySelector('#live-video').currentTime")
    time.sleep(1.0)
    frames = page.evaluate("document.querySelector('#live-video').getVideoPlaybackQuality().totalVideoFrames")
    assert page.evaluate("document.querySelector('#live-video').currentTime") > first
    assert frames > 10
    assert page.evaluate("document.querySelector('#live-video').videoWidth") == 640
    screenshot(page, "live-view")
    page.click("#live-toggle")
