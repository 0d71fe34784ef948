"""A real browser (Debian's headless Chromium via Playwright) against the real API and a
simulated RTSP camera. Never `playwright install`: the system Chromium is used."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from gridwatch.api.app import create_app
from gridwatch.sim.pytest_fixtures import (  # noqa: F401  (fixtures)
    counter_clip,
    gi_python,
)
from gridwatch.sim.simulator import CameraSimulator
from tests.api.conftest import CAMERA, ApiEnv, make_env
from tests.api.live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"


@dataclass
class Hall:
    url: str
    env: ApiEnv
    redis_url: str


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def hall_camera(gi_python: str, counter_clip: Path) -> Iterator[CameraSimulator]:  # noqa: F811
    with CameraSimulator({"cam1": counter_clip}, python=gi_python) as sim:
        yield sim


@pytest.fixture
def hall(tmp_path: Path, redis_url: str, hall_camera: CameraSimulator) -> Iterator[Hall]:
    camera_simulator = hall_camera
    prefix = f"gridwatch-test:{uuid.uuid4().hex[:12]}"
    camera = {**CAMERA, "id": "cam1", "url": camera_simulator.url("cam1")}
    env = make_env(tmp_path, redis_url, prefix, camera)
    try:
        with serve(create_app(env.settings, env.site)) as url:
            yield Hall(url, env, redis_url)
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def page(browser: object, hall: Hall) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    # bypass_csp: Playwright polls wait_for_function predicates with eval, which our CSP forbids.
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN",
                                  bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def screenshot(page: object, name: str) -> Path:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
