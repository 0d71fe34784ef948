"""The cases and escalations pages in headless Chromium over the real API and store."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect

from gridwatch.api.security.roles import Role
from gridwatch.cases.supervision import record_escalation
from gridwatch.config.incidents import WarningLevel
from gridwatch.store.store import open_store
from tests.api.conftest import PASSWORDS
from tests.api.test_alerts_api import publish, sample_alert
from tests.console.conftest import Hall, screenshot
from tests.console.test_console import log_in


def _dispatched_cases(hall: Hall) -> None:
    publish(hall.env, hall.redis_url, sample_alert(1, bbox=(0, 0, 0.4, 0.4)),
            sample_alert(2, bbox=(0.6, 0.6, 1, 1), level=WarningLevel.RED,
                         incident="manhole_missing", street="洛龙街道"))
    body = {"username": "operator", "password": PASSWORDS[Role.OPERATOR]}
    token = httpx.post(f"{hall.url}/auth/login", json=body).json()["token"]
    for alert_id in ("a1", "a2"):
        httpx.post(f"{hall.url}/alerts/{alert_id}/dispatch", json={},
                   headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    store = open_store(hall.env.site.store)
    record_escalation(store, "a1", "orange", "overdue", datetime.now(UTC))
    store.close()


def test_cases_page_lists_filters_and_moves_a_case(page: Page, hall: Hall) -> None:
    _dispatched_cases(hall)
    log_in(page, hall, Role.OPERATOR, "#/cases")
    row = page.locator("[data-case=case-a1]")
    expect(row).to_be_visible()
    expect(page.locator("[data-case=case-a2] .level-pill")).to_have_text("红色")
    expect(row.locator(".level-pill")).to_have_text("橙色")
    expect(page.locator("#case-count")).to_have_text("2 件")
    screenshot(page, "cases")
    row.locator("button.move-handled").click()
    expect(row.locator(".badge")).to_have_text("已处置")
    expect(row.locator("button.move-verify")).to_have_count(0)  # a supervisor's move
    page.select_option("#case-status", "handled")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#case-count")).to_have_text("1 件")


def test_escalations_page_shows_why_and_levels(page: Page, hall: Hall) -> None:
    _dispatched_cases(hall)
    log_in(page, hall, Role.VIEWER, "#/escalations")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("超期未处置")
    expect(row.locator(".level-pill").nth(1)).to_have_text("橙色")
    screenshot(page, "escalations")
