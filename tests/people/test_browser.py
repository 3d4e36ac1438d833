"""In a real browser: a commune admin onboards their commune from the XLSX template, a new
person signs in with the temporary password, must set their own and then, their role requiring
it, enrol a second factor; and the admin who tries a person outside their commune gets the
404 page."""

from __future__ import annotations

import os
import re

import pyotp
import pytest

from giamsat.accounts.rules import SECOND_FACTOR_RULE
from giamsat.units.models import TenantRule
from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs /usr/bin/chromium (apt-get install chromium)",
    ),
]


def _log_in(page, base, username, password):
    page.goto(f"{base}/t/alpha/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_onboarding_a_commune_import_first_sign_in_password_change_second_factor(
    live_server, world, people_xlsx, tmp_path, tenant_session
):
    from playwright.sync_api import sync_playwright

    # The province asks read-only users for a second factor too (the fixtures ask nobody).
    session = tenant_session("alpha")
    session.get(TenantRule, SECOND_FACTOR_RULE).value = ["tenant_admin", "leader", "readonly"]
    session.commit()

    upload = tmp_path / "xa-dong.xlsx"
    upload.write_bytes(
        people_xlsx(
            [
                ("91001", "", "Cán bộ", "Đỗ Minh Châu", "chau@xadong.vn", ""),
                ("Thôn Một", "MTTQ", "Chỉ xem", "Vũ Thị Lan", "", "0901 222 333"),
            ]
        )
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            admin = browser.new_context().new_page()
            _log_in(admin, live_server, "alpha-x-admin", world.password)
            admin.get_by_role("link", name="Người dùng").click()
            admin.get_by_role("link", name="Nhập danh sách từ Excel").click()
            admin.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(upload))
            admin.get_by_role("button", name="Xem trước").click()
            assert admin.get_by_role("heading", name="Xem trước: 2 người").is_visible()
            admin.get_by_role("button", name="Nhập tất cả").click()
            assert admin.get_by_role("heading", name="Tờ trao tài khoản").is_visible()
            admin.screenshot(path=str(SCREENSHOTS / "giamsat-onboarding-sheet.png"), full_page=True)
            row = admin.locator("#signin-sheet tr", has_text="Vũ Thị Lan")
            temporary = row.locator(".temporary-password").inner_text()
            assert re.fullmatch(r"[\w]{4}(-[\w]{4}){3}", temporary)

            # The admin tries someone of another commune: the 404 page, not a refusal.
            response = admin.goto(f"{live_server}/t/alpha/people/{world.alpha.users['y-admin']}")
            assert response.status == 404
            assert "Mã lỗi: 404" in admin.locator("body").inner_text()

            person = browser.new_context().new_page()
            _log_in(person, live_server, "dt0901222333", temporary)
            person.wait_for_url(f"{live_server}/t/alpha/account/first-password")
            person.goto(f"{live_server}/t/alpha/")  # nothing else opens before the change
            person.wait_for_url(f"{live_server}/t/alpha/account/first-password")
            person.get_by_label("Mật khẩu mới", exact=True).fill("ngan")
            person.get_by_label("Nhập lại mật khẩu mới").fill("ngan")
            person.get_by_role("button", name="Lưu mật khẩu").click()
            assert person.get_by_text("Mật khẩu cần ít nhất 10 ký tự.").is_visible()
            person.get_by_label("Mật khẩu mới", exact=True).fill("thon mot co hoa")
            person.get_by_label("Nhập lại mật khẩu mới").fill("thon mot co hoa")
            person.get_by_role("button", name="Lưu mật khẩu").click()
            # Next, before anything else: the second factor their role requires.
            person.wait_for_url(f"{live_server}/t/alpha/account/second-factor")
            assert person.get_by_text("Đã đặt mật khẩu của bạn.").is_visible()
            person.goto(f"{live_server}/t/alpha/cases/")
            person.wait_for_url(f"{live_server}/t/alpha/account/second-factor")
            assert person.locator("#totp-qr svg").is_visible()
            secret = person.locator("#totp-secret").inner_text().strip()
            person.get_by_label("Mã 6 chữ số trên ứng dụng").fill(pyotp.TOTP(secret).now())
            person.get_by_role("button", name="Bật đăng nhập hai lớp").click()
            assert person.get_by_role("heading", name="Đã bật đăng nhập hai lớp").is_visible()
            assert person.locator("#recovery-codes li").count() == 10
            person.goto(f"{live_server}/t/alpha/")
            assert person.get_by_role("heading", level=1).inner_text() == "Thôn Một"
        finally:
            browser.close()
