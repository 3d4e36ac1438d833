"""The email preference page: plain choices with help, saved, checked, per user."""

from __future__ import annotations

import re

from sqlalchemy import select

from giamsat.accounts.models import User
from giamsat.core.audit import AuditEntry
from giamsat.notifications.models import EmailMode, NotificationPreference
from tests.plugins.pages import text_of

URL = "/t/alpha/notifications/preferences"


def _saved(tenant_session, world, who: str):
    with tenant_session("alpha") as session:
        found = session.get(NotificationPreference, world.alpha.users[who])
        return (found.email_mode, found.email_address) if found else None


def _checked(response) -> str | None:
    match = re.search(
        r'<input[^>]*checked[^>]*value="([a-z_]+)"|'
        r'<input[^>]*value="([a-z_]+)"[^>]*checked',
        response.get_data(as_text=True),
    )
    return (match.group(1) or match.group(2)) if match else None


def test_page_explains_the_choices_in_vietnamese(pages):
    pages.login("alpha", "x-staff")
    response = pages.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    for words in (
        "Cách nhận thông báo",
        "Gửi thư ngay",
        "Gộp một thư mỗi ngày",
        "Không gửi thư",
        "Để trống thì thư gửi đến địa chỉ của tài khoản",
    ):
        assert words in text
    assert _checked(response) == "immediate"  # the default
    # The world's users have no address yet: the page says so.
    assert "chưa có địa chỉ thư điện tử" in text


def test_preference_is_saved_and_audited(pages, tenant_session, world):
    pages.login("alpha", "x-staff")
    response = pages.post(
        URL, {"email_mode": "daily_digest", "email_address": " staff.x@example.vn "}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == URL
    assert _saved(tenant_session, world, "x-staff") == (
        EmailMode.daily_digest,
        "staff.x@example.vn",
    )
    page = pages.get(URL)
    assert "Đã lưu cách nhận thông báo." in text_of(page)
    assert _checked(page) == "daily_digest"
    assert 'value="staff.x@example.vn"' in page.get_data(as_text=True)
    with tenant_session("alpha") as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.object_type == "notification_preference",
                    AuditEntry.object_id == str(world.alpha.users["x-staff"]),
                )
            )
        )
    assert actions == ["create"]

    pages.post(URL, {"email_mode": "none", "email_address": ""})
    assert _saved(tenant_session, world, "x-staff") == (EmailMode.none, None)
    # Another user's preference is untouched.
    assert _saved(tenant_session, world, "x-admin") is None


def test_bad_input_is_refused_next_to_the_field_and_nothing_saved(pages, tenant_session, world):
    pages.login("alpha", "x-staff")
    response = pages.post(URL, {"email_mode": "weekly", "email_address": "not-an-address"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="email_mode-error">[^<]*Hãy chọn', html)
    assert re.search(r'id="email_address-error">[^<]*Địa chỉ thư điện tử không đúng', html)
    assert _saved(tenant_session, world, "x-staff") is None


def test_account_address_is_shown(pages, tenant_session, world):
    with tenant_session("alpha") as session:
        session.get(User, world.alpha.users["x-staff"]).email = "x-staff@example.vn"
        session.commit()
    pages.login("alpha", "x-staff")
    text = text_of(pages.get(URL))
    assert "Địa chỉ của tài khoản: x-staff@example.vn." in text
    assert "chưa có địa chỉ thư điện tử" not in text


def test_preferences_need_the_csrf_token(pages, tenant_session, world):
    pages.login("alpha", "x-staff")
    response = pages.post(URL, {"email_mode": "none"}, csrf=False)
    assert response.status_code == 400
    assert _saved(tenant_session, world, "x-staff") is None
