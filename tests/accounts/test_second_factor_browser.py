"""A real browser: sign in, enrol an authenticator app from the QR page, keep the recovery
codes, sign out, sign in again with password and code."""

from __future__ import annotations

import datetime as dt
import os

import pyotp
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


def _sign_in(page, base, world):
    page.goto(f"{base}/t/alpha/login")
    page.get_by_label("Tên đăng nhập").fill("alpha-x-staff")
    page.get_by_label("Mật khẩu").fill(world.password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_enrol_a_second_factor_and_sign_in_with_it(live_server, world):
    from playwright.sync_api import sync_playwright

    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.on("request", lambda r: requested.append(r.url))
            _sign_in(page, live_server, world)
            page.wait_for_url(f"{live_server}/t/alpha/")
            page.get_by_role("link", name="Tài khoản của tôi").click()
            page.get_by_role("link", name="Đăng nhập hai lớp").click()
            page.wait_for_url(f"{live_server}/t/alpha/account/second-factor")
            qr = page.locator("#totp-qr svg")
            assert qr.is_visible() and qr.bounding_box()["width"] > 100
            secret = page.locator("#totp-secret").inner_text().strip()
            page.screenshot(path=str(SCREENSHOTS / "giamsat-totp-enrol.png"), full_page=True)
            page.get_by_label("Mã 6 chữ số trên ứng dụng").fill(pyotp.TOTP(secret).now())
            page.get_by_role("button", name="Bật đăng nhập hai lớp").click()
            assert page.get_by_role("heading", name="Đã bật đăng nhập hai lớp").is_visible()
            assert page.locator("#recovery-codes li").count() == 10

            page.get_by_role("button", name="Đăng xuất").click()
            page.wait_for_url(f"{live_server}/t/alpha/login")
            _sign_in(page, live_server, world)
            page.wait_for_url(f"{live_server}/t/alpha/login/code")
            # The enrolment's code is used up: type the next one, as the app would show it.
            upcoming = pyotp.TOTP(secret).at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
            page.get_by_label("Mã xác thực").fill(upcoming)
            page.get_by_role("button", name="Xác nhận").click()
            page.wait_for_url(f"{live_server}/t/alpha/")
            assert page.get_by_text("Xin chào Alpha X Staff, bạn đã đăng nhập.").is_visible()
        finally:
            browser.close()
    assert requested and all(url.startswith(live_server) for url in requested), requested
