"""TOTP second factor: enrolment (inline SVG QR, recovery codes once, hashed), sign-in with a
code or a recovery code, throttled and audited failures, and the tenant rule that requires it."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import time_machine
from sqlalchemy import delete, select

from giamsat.accounts import totp
from giamsat.accounts.models import RecoveryCode, User
from giamsat.accounts.rules import DEFAULT_SECOND_FACTOR_ROLES, SECOND_FACTOR_RULE
from giamsat.cases.protection import REVEAL_ROLES
from giamsat.core import clock
from giamsat.core.audit import AuditEntry
from giamsat.units.models import TenantRule
from tests.plugins.pages import Pages, text_of

SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
CODES = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def _enrol(pages: Pages) -> tuple[str, list[str]]:
    page = pages.get("/t/alpha/account/second-factor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "<script" not in html.split("<main")[1]
    secret = SECRET.search(html).group(1)
    wrong = pages.post("/t/alpha/account/second-factor", {"code": "000000"})
    assert wrong.status_code == 422 and "Mã xác thực không đúng" in text_of(wrong)
    done = pages.post("/t/alpha/account/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = CODES.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _password_step(pages: Pages, who: str, world):
    return pages.post("/t/alpha/login", {"username": f"alpha-{who}", "password": world.password})


def test_enrol_then_sign_in_with_a_code(app, pages, world, tenant_session):
    pages.login("alpha", "x-staff")
    secret, codes = _enrol(pages)
    user = tenant_session("alpha").get(User, world.alpha.users["x-staff"])
    assert secret not in user.totp_secret  # encrypted under the master key
    with app.app_context():
        assert totp.secret_of(user) == secret
    stored = tenant_session("alpha").scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    assert all(code not in h for h in stored for code in codes)  # hashed, never in clear
    # Shown once: the page now only says how many remain.
    again = text_of(pages.get("/t/alpha/account/second-factor"))
    assert "Còn 10 mã dự phòng" in again and codes[0] not in again

    # Half a minute later: the enrolment's own code was used up (a code is good once).
    with time_machine.travel(clock.now() + dt.timedelta(seconds=30)):
        _sign_in_with_codes(app, world, secret, tenant_session)


def _sign_in_with_codes(app, world, secret, tenant_session):
    browser = Pages(app.test_client(), world)
    step = _password_step(browser, "x-staff", world)
    assert step.headers["Location"] == "/t/alpha/login/code"
    assert browser.get("/t/alpha/").status_code == 302  # not signed in with the password alone
    wrong = browser.post("/t/alpha/login/code", {"code": "123456"})
    assert wrong.status_code == 422
    code = pyotp.TOTP(secret).now()
    assert browser.post("/t/alpha/login/code", {"code": code}).status_code == 302
    assert browser.get("/t/alpha/").status_code == 200
    # The same code does not work twice.
    replay = Pages(app.test_client(), world)
    _password_step(replay, "x-staff", world)
    assert replay.post("/t/alpha/login/code", {"code": code}).status_code == 422
    failures = (
        tenant_session("alpha")
        .scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))
        .all()
    )
    assert [f.changes["step"][1] for f in failures] == ["code", "code"]


def test_a_recovery_code_stands_in_once(app, pages, world):
    pages.login("alpha", "x-staff")
    _secret, codes = _enrol(pages)
    first = Pages(app.test_client(), world)
    _password_step(first, "x-staff", world)
    assert first.post("/t/alpha/login/code", {"code": codes[3].upper()}).status_code == 302
    second = Pages(app.test_client(), world)
    _password_step(second, "x-staff", world)
    assert second.post("/t/alpha/login/code", {"code": codes[3]}).status_code == 422


def test_an_admin_resets_a_lost_second_factor(app, pages, world, tenant_session):
    pages.login("alpha", "x-staff")
    _enrol(pages)
    admin = Pages(app.test_client(), world)
    admin.login("alpha", "admin")
    url = f"/t/alpha/admin/users/{world.alpha.users['x-staff']}/credentials"
    assert "Đã bật đăng nhập hai lớp." in text_of(admin.get(url))
    assert admin.post(url, {"action": "reset_second_factor"}).status_code == 302
    assert pages.get("/t/alpha/").status_code == 302  # their sessions ended too
    pages.login("alpha", "x-staff")  # password alone again
    assert pages.get("/t/alpha/").status_code == 200


def test_by_default_tenant_admins_and_identity_revealers_must_have_a_second_factor():
    assert set(DEFAULT_SECOND_FACTOR_ROLES) >= {"tenant_admin"} | {r.value for r in REVEAL_ROLES}


def test_the_default_rule_sends_a_tenant_admin_to_enrol_before_anything_else(
    pages, world, tenant_session
):
    session = tenant_session("alpha")
    session.execute(delete(TenantRule).where(TenantRule.key == SECOND_FACTOR_RULE))
    session.commit()  # the rule's default applies now
    pages.login("alpha", "admin")
    for url in ("/t/alpha/", f"/t/alpha/units/{world.alpha.commune_x}", "/t/alpha/rules"):
        response = pages.get(url)
        assert response.headers["Location"] == "/t/alpha/account/second-factor", url
    page = pages.get("/t/alpha/account/second-factor")
    assert "Vai trò của bạn phải đăng nhập hai lớp" in text_of(page)
    # Staff are not asked by default.
    other = Pages(pages.client.application.test_client(), world)
    other.login("alpha", "x-staff")
    assert other.get("/t/alpha/").status_code == 200


def test_the_tenant_admin_sets_the_roles_on_the_rules_page(pages, world, tenant_session):
    pages.login("alpha", "admin")
    rules = pages.get("/t/alpha/rules")
    assert "Vai trò phải đăng nhập hai lớp" in text_of(rules)
    response = pages.post(
        f"/t/alpha/rules/{SECOND_FACTOR_RULE}",
        {
            f"{SECOND_FACTOR_RULE}-value": ["staff", "leader"],
            f"{SECOND_FACTOR_RULE}-source": "Quyết định của Ban Thường trực",
            f"{SECOND_FACTOR_RULE}-confidence": "CONFIRMED",
        },
    )
    assert response.status_code == 302, text_of(response)
    value = tenant_session("alpha").get(TenantRule, SECOND_FACTOR_RULE).value
    assert value == ["staff", "leader"]
    staff = Pages(pages.client.application.test_client(), world)
    staff.login("alpha", "x-staff")
    assert staff.get("/t/alpha/").headers["Location"] == "/t/alpha/account/second-factor"
