"""The "Mã truy cập API" page: create (shown once), list, revoke."""

from __future__ import annotations

import re

from giamsat.accounts.models import User
from giamsat.accounts.operations import create_api_token, user_for_token
from tests.plugins.pages import text_of

TOKEN = re.compile(r'<code class="token-once" id="new-token">(gs_[^<]+)</code>')


def test_create_shows_the_token_once_and_lists_it(pages, world, tenant_session):
    pages.login("alpha", "x-staff")
    response = pages.post("/t/alpha/account/tokens", {"name": "Phần mềm báo cáo"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = TOKEN.search(html).group(1)
    assert "Đã tạo mã truy cập “Phần mềm báo cáo”." in text_of(response)
    user, read_only = user_for_token(tenant_session("alpha"), token)
    assert user.id == world.alpha.users["x-staff"]
    assert read_only  # the page's default: read only, 90 days

    listing = pages.get("/t/alpha/account/tokens").get_data(as_text=True)
    assert token not in listing  # never shown again
    assert token[:10] + "…" in listing and "Phần mềm báo cáo" in listing
    assert "Chưa dùng" in text_of(pages.get("/t/alpha/account/tokens"))


def test_token_needs_a_name(pages, tenant_session, world):
    pages.login("alpha", "x-staff")
    response = pages.post("/t/alpha/account/tokens", {"name": "  "})
    assert response.status_code == 422
    assert "Hãy đặt tên cho mã truy cập" in text_of(response)
    assert not TOKEN.search(response.get_data(as_text=True))
    assert "Bạn chưa có mã truy cập nào." in text_of(response)


def test_revoke_stops_the_token(pages, world, tenant_session):
    s = tenant_session("alpha")
    row, token = create_api_token(s, s.get(User, world.alpha.users["x-staff"]), "Cũ")
    s.commit()
    pages.login("alpha", "x-staff")
    response = pages.post(f"/t/alpha/account/tokens/{row.id}/revoke")
    assert response.status_code == 302
    page = text_of(pages.get(response.headers["Location"]))
    assert "Đã thu hồi mã truy cập “Cũ”." in page and "Đã thu hồi" in page
    assert user_for_token(tenant_session("alpha"), token) is None


def test_nobody_revokes_someone_elses_token(pages, world, tenant_session):
    s = tenant_session("alpha")
    row, token = create_api_token(s, s.get(User, world.alpha.users["admin"]), "Của quản trị")
    s.commit()
    pages.login("alpha", "x-staff")
    assert "Của quản trị" not in pages.get("/t/alpha/account/tokens").get_data(as_text=True)
    assert pages.post(f"/t/alpha/account/tokens/{row.id}/revoke").status_code == 404
    assert user_for_token(tenant_session("alpha"), token) is not None
