"""A real browser walks a case: intake → forward → response → close, on a desk and a phone."""

from __future__ import annotations

import os

import pytest

from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    # CI installs Chromium (.ci/run): there the test must run, never skip.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="needs /usr/bin/chromium"
    ),
]


def test_intake_forward_response_close_in_a_browser(live_server, world, catalogue):
    from playwright.sync_api import expect, sync_playwright

    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"{live_server}/t/alpha/login")
            page.get_by_label("Tên đăng nhập").fill("alpha-x-staff")
            page.get_by_label("Mật khẩu").fill(world.password)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server}/t/alpha/")

            page.goto(f"{live_server}/t/alpha/cases/")
            page.get_by_role("link", name="Tiếp nhận thông tin").click()
            page.get_by_label("Kênh tiếp nhận").select_option("suggestion_box")
            page.get_by_label("Tiêu đề ngắn").fill("Đèn đường thôn Một hỏng")
            page.get_by_label("Nội dung", exact=True).fill("Đèn hỏng ba tháng chưa sửa.")
            page.get_by_label("Người, tổ chức bị phản ánh").fill("Ban quản lý thôn Một")
            page.locator("#tag-CV").check()
            page.get_by_role("button", name="Lưu hồ sơ").click()
            expect(page.get_by_text("Đã tiếp nhận hồ sơ số")).to_be_visible()
            case_url = page.url

            page.get_by_text("Bắt đầu xác minh, phân loại").first.click()
            page.locator("#act-verify button").click()
            expect(
                page.get_by_text("Đã chuyển hồ sơ sang bước xác minh, phân loại.")
            ).to_be_visible()

            page.locator("#act-forward summary").click()
            page.get_by_label("Chuyển tới").select_option("authority")
            page.get_by_label("Tên cơ quan nhận").fill("UBND xã Đông Alpha")
            page.locator("#act-forward button").click()
            page.locator("dialog[open]").get_by_role("button", name="Đồng ý").click()
            expect(page.get_by_text("Đã chuyển hồ sơ tới UBND xã Đông Alpha.")).to_be_visible()

            page.locator("#act-respond summary").click()
            page.get_by_label("Kết quả trả lời").select_option("accepted")
            page.get_by_label("Nội dung trả lời").fill("UBND xã đã thay đèn.")
            page.locator("#act-respond button").click()
            expect(page.get_by_text("Đã ghi nhận trả lời")).to_be_visible()

            page.locator("#act-close summary").click()
            page.locator("#act-close button").click()
            page.locator("dialog[open]").get_by_role("button", name="Đồng ý").click()
            expect(page.get_by_text("Đã kết thúc hồ sơ.")).to_be_visible()
            assert page.url == case_url
            page.screenshot(path=str(SCREENSHOTS / "giamsat-case-desktop.png"), full_page=True)

            page.set_viewport_size({"width": 375, "height": 740})
            page.reload()
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(SCREENSHOTS / "giamsat-case-phone.png"), full_page=True)
            page.goto(f"{live_server}/t/alpha/cases/")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(SCREENSHOTS / "giamsat-queue-phone.png"), full_page=True)
        finally:
            browser.close()
    assert requested and all(url.startswith(live_server) for url in requested), requested
