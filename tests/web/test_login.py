"""Login, logout, session cookie, idle timeout, and sessions bound to one tenant."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import select

from giamsat.accounts.models import User
from giamsat.core.audit import AuditEntry
from tests.plugins.pages import text_of

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"


def test_anonymous_visitor_is_sent_to_the_tenant_login(pages):
    response = pages.get("/t/alpha/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/t/alpha/login?next=/t/alpha/"


def test_login_opens_the_home_page_and_is_audited(pages, world, tenant_session):
    response = pages.login("alpha", "x-admin")
    assert response.headers["Location"] == "/t/alpha/"
    home = pages.get("/t/alpha/")
    assert home.status_code == 200
    assert "Xin chào Alpha X Admin, bạn đã đăng nhập." in text_of(home)
    entry = (
        tenant_session("alpha")
        .scalars(select(AuditEntry).where(AuditEntry.action == "login"))
        .one()
    )
    assert entry.actor_id == world.alpha.users["x-admin"]
    # The sign-in log names the account by its username, like its failures (see test_signin).
    assert (entry.object_type, entry.object_id) == ("sign_in", "alpha-x-admin")
    user = tenant_session("alpha").get(User, world.alpha.users["x-admin"])
    assert user.last_login_at is not None


def test_session_cookie_is_httponly_and_samesite_lax(pages):
    cookie = pages.login("alpha", "admin").headers["Set-Cookie"]
    assert cookie.startswith("giamsat_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test settings serve plain http


@pytest.mark.usefixtures("keep_job_runtime")
def test_session_cookie_is_secure_when_settings_say_so(settings, db, world):
    from giamsat.app import create_app

    app = create_app(
        settings=dataclasses.replace(settings, session_cookie_secure=True), database=db
    )
    client = app.test_client()
    page = client.get("/t/alpha/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/t/alpha/login",
        data={"csrf_token": token, "username": "alpha-admin", "password": world.password},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_failed_logins_say_one_thing_whoever_tried(pages, tenant_session):
    wrong_password = pages.post("/t/alpha/login", {"username": "alpha-admin", "password": "sai"})
    unknown_user = pages.post("/t/alpha/login", {"username": "nobody", "password": "sai"})
    empty = pages.post("/t/alpha/login", {"username": "", "password": ""})
    for response in (wrong_password, unknown_user, empty):
        assert response.status_code == 422
        assert WRONG in text_of(response)
    assert _without_tokens(wrong_password.get_data(as_text=True)) == _without_tokens(
        unknown_user.get_data(as_text=True)
    ).replace('value="nobody"', 'value="alpha-admin"')
    assert pages.get("/t/alpha/").status_code == 302
    assert (
        tenant_session("alpha")
        .scalars(select(AuditEntry).where(AuditEntry.action == "login"))
        .all()
        == []
    )


def test_inactive_user_cannot_log_in(pages, world, tenant_session):
    s = tenant_session("alpha")
    s.get(User, world.alpha.users["x-staff"]).is_active = False
    s.commit()
    response = pages.post(
        "/t/alpha/login", {"username": "alpha-x-staff", "password": world.password}
    )
    assert WRONG in text_of(response)


def test_login_follows_next_only_inside_the_tenant(pages, world):
    target = f"/t/alpha/units/{world.alpha.commune_x}"
    response = pages.post(
        f"/t/alpha/login?next={target}", {"username": "alpha-x-admin", "password": world.password}
    )
    assert response.headers["Location"] == target
    for bad in ("https://example.org/", "//example.org/", "/t/beta/", "/\\example.org"):
        pages.client.delete_cookie("giamsat_session")
        response = pages.post(
            "/t/alpha/login", {"username": "alpha-x-admin", "password": world.password, "next": bad}
        )
        assert response.headers["Location"] == "/t/alpha/", bad


def test_logout_is_a_post_and_ends_the_session(pages, tenant_session):
    pages.login("alpha", "admin")
    assert pages.get("/t/alpha/logout").status_code == 405
    assert pages.get("/t/alpha/").status_code == 200
    response = pages.post("/t/alpha/logout")
    assert response.headers["Location"] == "/t/alpha/login"
    assert "Bạn đã đăng xuất." in text_of(pages.get("/t/alpha/login"))
    assert pages.get("/t/alpha/").status_code == 302
    assert "logout" in tenant_session("alpha").scalars(select(AuditEntry.action)).all()


def test_logout_ends_every_session_of_the_user_even_a_copied_cookie(pages, app, world):
    pages.login("alpha", "admin")
    with pages.client.session_transaction() as stolen:
        copied = dict(stolen)
    other = app.test_client()
    with other.session_transaction() as session:
        session.update(copied)
    assert other.get("/t/alpha/").status_code == 200  # the copy works while logged in
    pages.post("/t/alpha/logout")
    assert other.get("/t/alpha/").status_code == 302  # and not after the logout
    # Logging in again works as usual.
    pages.login("alpha", "admin")
    assert pages.get("/t/alpha/").status_code == 200


def test_idle_session_ends_with_a_plain_message(pages, app):
    pages.login("alpha", "admin")
    idle = app.config["GIAMSAT"].session_idle_minutes * 60
    with pages.client.session_transaction() as session:
        session["seen"] -= idle - 60  # still inside the window
    assert pages.get("/t/alpha/").status_code == 200
    with pages.client.session_transaction() as session:
        session["seen"] -= idle + 1
    response = pages.get(f"/t/alpha/units/{pages.world.alpha.commune_x}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/t/alpha/login?next=")
    login_page = pages.get(response.headers["Location"])
    assert "Phiên làm việc đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại." in text_of(
        login_page
    )
    # The user is really out, not just shown a message once.
    assert pages.get("/t/alpha/").status_code == 302


def test_activity_keeps_the_session_alive(pages, app):
    pages.login("alpha", "admin")
    idle = app.config["GIAMSAT"].session_idle_minutes * 60
    with pages.client.session_transaction() as session:
        session["seen"] -= idle - 60
    assert pages.get("/t/alpha/").status_code == 200  # refreshes "last seen"
    with pages.client.session_transaction() as session:
        session["seen"] -= 120  # now 1 min past the first mark, 2 min after the last request
    assert pages.get("/t/alpha/").status_code == 200


def test_a_session_of_tenant_a_is_not_valid_in_tenant_b(pages, world, count_units):
    pages.login("alpha", "admin")
    beta = world.beta
    for url in ("/t/beta/", f"/t/beta/units/{beta.commune_x}", "/t/beta/account/tokens"):
        response = pages.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/t/beta/login"), url
    before = count_units("beta")
    response = pages.post(
        f"/t/beta/units/{beta.commune_x}/areas/new", {"name": "Thôn Lạ", "kind": "thôn"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/t/beta/login")
    assert count_units("beta") == before
    # Alpha's session is untouched by the detour.
    assert pages.get("/t/alpha/").status_code == 200


def test_the_same_user_id_in_another_tenant_is_not_logged_in(pages, world):
    """Ids are per schema: alpha's user id may exist in beta, and must mean nothing there."""
    pages.login("alpha", "admin")
    with pages.client.session_transaction() as session:
        assert session["uid"] == world.alpha.users["admin"]
    assert pages.get("/t/beta/").headers["Location"].startswith("/t/beta/login")
