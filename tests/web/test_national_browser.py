"""The national view in a real browser at phone width: in Vietnamese, the ranking visible, and
nothing wider than the screen (wide tables scroll inside their frame)."""

from __future__ import annotations

import os

import pytest
import time_machine

from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from tests.plugins.national import PLATFORM_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs /usr/bin/chromium (apt-get install chromium)",
    ),
]


def test_the_national_view_on_a_phone(live_server, platform_account, national_world):
    from playwright.sync_api import sync_playwright

    platform_account("central")
    with time_machine.travel("2026-04-02 09:00 +07:00"), sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 375, "height": 740})
            page.goto(f"{live_server}/platform/login")
            page.get_by_label("Tên đăng nhập").fill("central-account")
            page.get_by_label("Mật khẩu").fill(PLATFORM_PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server}/platform/national/")
            assert page.locator("html").get_attribute("lang") == "vi"
            page.get_by_label("Năm").fill("2026")
            page.get_by_label("Kỳ số").fill("1")
            page.get_by_role("button", name="Xem").click()
            page.wait_for_url("**number=1")
            heading = page.get_by_role("heading", level=1).inner_text()
            assert heading == "Tổng hợp toàn quốc: Quý I năm 2026"
            ranking = page.locator("#ranking .ranking-row").all_inner_texts()
            assert "Beta" in ranking[0] and "Alpha" in ranking[1]
            assert page.get_by_role("link", name="Tải tệp Excel (XLSX)").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(SCREENSHOTS / "giamsat-national-phone.png"), full_page=True)
        finally:
            browser.close()
