"""Sessions on record and revocable; one's own password change under the policy; an admin's
reset (a temporary password shown once, changed at the next sign-in), within their subtree."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from giamsat.accounts.models import SignInSession, User
from giamsat.accounts.passwords_policy import password_problem
from giamsat.core.audit import AuditEntry
from tests.plugins.pages import Pages, field_error, text_of

NEW_PASSWORD = "cay-bang-dau-ngo-mua-phun"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "lặp lại một ký tự"),
        ("ngan", "ít nhất 10 ký tự"),
        ("qwertyuiop", "mật khẩu phổ biến"),
        ("1234567890", "mật khẩu phổ biến"),
        ("matkhau123", "tiếng Việt rất thông dụng"),
        ("alpha-x-staff-2026", "tên đăng nhập, họ tên"),
    ],
)
def test_the_policy_refuses_guessable_passwords_and_says_why(password, why):
    problem = password_problem(password, ["alpha-x-staff", "Alpha X Staff"])
    assert problem is not None and why in problem
    assert "câu dài" in problem  # and what to do instead


def test_the_policy_accepts_a_long_phrase():
    assert password_problem(NEW_PASSWORD, ["alpha-x-staff"]) is None


def _session_ids(tenant_session, who_id: int) -> list[int]:
    stmt = select(SignInSession.id).where(
        SignInSession.user_id == who_id, SignInSession.revoked_at.is_(None)
    )
    return list(tenant_session("alpha").scalars(stmt.order_by(SignInSession.id)))


def test_sessions_are_listed_and_one_revoked_ends_at_its_next_request(
    app, pages, world, tenant_session
):
    phone = Pages(app.test_client(), world)
    phone.login("alpha", "x-staff")
    pages.login("alpha", "x-staff")
    listing = pages.get("/t/alpha/account/sessions")
    assert listing.status_code == 200
    assert text_of(listing).count("Đăng xuất phiên này") == 1  # the other; this one is marked
    assert "Phiên này" in text_of(listing)
    first, _mine = _session_ids(tenant_session, world.alpha.users["x-staff"])
    response = pages.post(f"/t/alpha/account/sessions/{first}/revoke")
    assert response.status_code == 302
    # The phone's very next request is signed out.
    assert phone.get("/t/alpha/").headers["Location"].startswith("/t/alpha/login")
    assert pages.get("/t/alpha/").status_code == 200
    assert (
        "revoke"
        in tenant_session("alpha")
        .scalars(select(AuditEntry.action).where(AuditEntry.object_type == "signin_session"))
        .all()
    )


def test_nobody_revokes_someone_elses_session(app, pages, world, tenant_session):
    other = Pages(app.test_client(), world)
    other.login("alpha", "x-admin")
    (theirs,) = _session_ids(tenant_session, world.alpha.users["x-admin"])
    pages.login("alpha", "x-staff")
    assert pages.post(f"/t/alpha/account/sessions/{theirs}/revoke").status_code == 404
    assert other.get("/t/alpha/").status_code == 200


def test_logout_revokes_the_session_record(pages, world, tenant_session):
    pages.login("alpha", "x-reader")
    assert len(_session_ids(tenant_session, world.alpha.users["x-reader"])) == 1
    pages.post("/t/alpha/logout")
    assert _session_ids(tenant_session, world.alpha.users["x-reader"]) == []


def test_changing_my_password_checks_the_policy_and_ends_my_other_sessions(
    app, pages, world, tenant_session
):
    phone = Pages(app.test_client(), world)
    phone.login("alpha", "x-staff")
    pages.login("alpha", "x-staff")
    url = "/t/alpha/account/password"
    weak = pages.post(
        url,
        {
            "current_password": world.password,
            "new_password": "aaaaaaaaaa",
            "confirm_password": "aaaaaaaaaa",
        },
    )
    assert weak.status_code == 422
    assert "lặp lại một ký tự" in field_error(weak, "new_password")
    wrong = pages.post(
        url,
        {
            "current_password": "khong-dung",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 422
    assert field_error(wrong, "current_password") == "Mật khẩu hiện tại không đúng."
    done = pages.post(
        url,
        {
            "current_password": world.password,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    assert pages.get("/t/alpha/").status_code == 200  # this session stays
    assert phone.get("/t/alpha/").status_code == 302  # the other one ended
    fresh = Pages(app.test_client(), world)
    fresh.login("alpha", "x-staff", NEW_PASSWORD)


def _credentials_url(world, who: str) -> str:
    return f"/t/alpha/admin/users/{world.alpha.users[who]}/credentials"


def test_an_admin_resets_a_password_the_user_must_change_at_sign_in(
    app, pages, world, tenant_session
):
    victim = Pages(app.test_client(), world)
    victim.login("alpha", "x-staff")
    pages.login("alpha", "x-admin")  # the commune's unit admin
    response = pages.post(_credentials_url(world, "x-staff"), {"action": "reset_password"})
    assert response.status_code == 200
    temporary = re.search(
        r'id="temporary-password">([^<]+)<', response.get_data(as_text=True)
    ).group(1)
    # Shown once: the page does not show it again.
    assert temporary not in pages.get(_credentials_url(world, "x-staff")).get_data(as_text=True)
    assert victim.get("/t/alpha/").status_code == 302  # sessions ended
    stale = victim.post("/t/alpha/login", {"username": "alpha-x-staff", "password": world.password})
    assert stale.status_code == 422
    victim.login("alpha", "x-staff", temporary)
    # Every page sends them to choose their own password first.
    forced = victim.get(f"/t/alpha/units/{world.alpha.commune_x}")
    assert forced.headers["Location"] == "/t/alpha/account/first-password"
    assert victim.get("/t/alpha/account/first-password").status_code == 200
    changed = victim.post(
        "/t/alpha/account/first-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert victim.get(f"/t/alpha/units/{world.alpha.commune_x}").status_code == 200
    user = tenant_session("alpha").get(User, world.alpha.users["x-staff"])
    assert not user.must_change_password
    actions = (
        tenant_session("alpha")
        .scalars(
            select(AuditEntry.action).where(
                AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id)
            )
        )
        .all()
    )
    assert "reset_password" in actions and "set_own_password" in actions


@pytest.mark.parametrize(
    ("admin", "target"),
    [
        ("y-admin", "x-staff"),  # another commune's admin
        ("x-admin", "admin"),  # a role above their own unit
        ("x-staff", "x-reader"),  # staff manage nobody
        ("x-reader", "x-staff"),
    ],
)
def test_credentials_of_users_outside_ones_subtree_are_404(pages, world, admin, target):
    pages.login("alpha", admin)
    url = _credentials_url(world, target)
    assert pages.get(url).status_code == 404
    assert pages.post(url, {"action": "reset_password"}).status_code == 404


def test_the_tenant_admin_manages_everyone_but_not_in_another_tenant(pages, world):
    pages.login("alpha", "admin")
    assert pages.get(_credentials_url(world, "y-admin")).status_code == 200
    beta_user = world.beta.users["x-staff"]
    response = pages.get(f"/t/beta/admin/users/{beta_user}/credentials")
    assert response.headers["Location"].startswith("/t/beta/login")
