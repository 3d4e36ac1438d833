"""The province officer's pages on a phone (390 × 844) in a real browser: nothing scrolls
sideways, the filter form works without a script, and nothing breaks the CSP."""

from __future__ import annotations

import os

import pytest

from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs /usr/bin/chromium (apt-get install chromium)",
    ),
]
PHONE = {"width": 390, "height": 844}


def test_province_pages_fit_a_phone(live_server, world, seeded, q3_states):
    from playwright.sync_api import sync_playwright

    a = world.alpha
    console = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport=PHONE, java_script_enabled=False)
            page.on("console", lambda m: console.append(m.text))
            page.goto(f"{live_server}/t/alpha/login")
            page.get_by_label("Tên đăng nhập").fill("alpha-admin")
            page.get_by_label("Mật khẩu").fill(world.password)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server}/t/alpha/")
            for name, url in (
                ("home", "/t/alpha/"),
                ("period", f"/t/alpha/reports/dashboard/{seeded.q3}?unit={a.province}"),
                ("missing", f"/t/alpha/reports/dashboard/{seeded.q3}/missing?unit={a.province}"),
            ):
                page.goto(f"{live_server}{url}")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], (name, width)
                page.screenshot(
                    path=str(SCREENSHOTS / f"giamsat-province-{name}-phone.png"), full_page=True
                )
            # The filters are a plain GET form: they work with scripts off.
            page.goto(f"{live_server}/t/alpha/reports/dashboard/{seeded.q3}?unit={a.province}")
            page.get_by_label("Tìm theo tên").fill("xuan giang")
            page.get_by_label("Tình hình", exact=True).select_option("missing")
            page.get_by_role("button", name="Lọc").click()
            page.wait_for_url("**q=xuan+giang**")
            assert "state=missing" in page.url
            rows = page.locator("table.units-table tbody tr")
            assert rows.count() == 1 and "Xã Xuân Giang" in rows.first.inner_text()
            # The chart is drawn (an SVG with one bar per state) and fits too.
            assert page.locator("svg.chart rect.state-missing").count() == 1
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        finally:
            browser.close()
    assert not [m for m in console if "Content Security Policy" in m], console
