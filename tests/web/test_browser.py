"""A real browser logs in and sees the unit home page in Vietnamese, on a desk and on a phone."""

from __future__ import annotations

import os

import pytest

from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    # Outside CI a machine without Chromium skips this test; CI (.ci/run installs it) never does.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs /usr/bin/chromium (apt-get install chromium)",
    ),
]


def test_login_and_home_page_in_a_browser(live_server, world):
    from playwright.sync_api import sync_playwright

    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"{live_server}/t/alpha/")
            assert page.url.startswith(f"{live_server}/t/alpha/login")
            page.get_by_label("Tên đăng nhập").fill("alpha-x-admin")
            page.get_by_label("Mật khẩu").fill(world.password)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server}/t/alpha/")
            assert page.locator("html").get_attribute("lang") == "vi"
            assert page.get_by_role("heading", level=1).inner_text() == "Xã Đông Alpha"
            assert page.get_by_text("Xin chào Alpha X Admin, bạn đã đăng nhập.").is_visible()
            assert page.get_by_role("link", name="Thêm khu dân cư").is_visible()
            assert page.get_by_role("link", name="Thôn Một").is_visible()
            # The site stylesheet applied (header colour), not a bare unstyled page.
            header_bg = page.eval_on_selector(
                ".site-header", "e => getComputedStyle(e).backgroundColor"
            )
            assert header_bg == "rgb(179, 38, 30)"
            page.screenshot(path=str(SCREENSHOTS / "giamsat-home-desktop.png"), full_page=True)

            page.set_viewport_size({"width": 375, "height": 740})
            page.reload()
            # Nothing wider than a phone screen: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(SCREENSHOTS / "giamsat-home-phone.png"), full_page=True)
        finally:
            browser.close()
    assert requested and all(url.startswith(live_server) for url in requested), requested


def test_api_docs_render_under_the_content_security_policy(live_server):
    """Swagger UI starts from the static api-docs.js: the CSP forbids inline scripts, and the
    page must still list the API's operations, with no policy violation reported."""
    from playwright.sync_api import sync_playwright

    console = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: console.append(m.text))
            page.goto(f"{live_server}/api/v1/docs")
            page.wait_for_selector(".opblock-summary-path", timeout=20_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert any("/api/v1/t/{tenant}/units" in p for p in paths), paths[:5]
            # On a 390 px phone the page fits: no sideways scroll, even with an operation open.
            page.set_viewport_size({"width": 390, "height": 844})
            page.locator(".opblock-summary").first.click()
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            assert page.evaluate("window.innerWidth") == 390
            page.screenshot(path=str(SCREENSHOTS / "giamsat-api-docs-phone.png"), full_page=True)
        finally:
            browser.close()
    violations = [m for m in console if "Content Security Policy" in m]
    assert not violations, violations
