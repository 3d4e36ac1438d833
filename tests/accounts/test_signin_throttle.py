"""Throttling of sign-ins against the real Redis: growing delays, a time-limited lock, a
per-address limit apart from the account's, the audit log, the admins' view and unlock."""

from __future__ import annotations

import datetime as dt

import time_machine
from redis import Redis
from sqlalchemy import select

from giamsat.accounts import signin
from giamsat.accounts.models import User
from giamsat.accounts.throttle import (
    ACCOUNT_DELAY_AFTER,
    ACCOUNT_LOCK_AFTER,
    ACCOUNT_MAX_DELAY,
    ADDRESS_DELAY_AFTER,
    LOCK_SECONDS,
    Throttle,
    growing_delay,
)
from giamsat.core.audit import AuditEntry
from tests.plugins.pages import Pages, text_of

START = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
LOGIN = "/t/alpha/login"
WRONG = "sai-mat-khau-nhe"


def _try(pages: Pages, who: str, password: str, address: str = "127.0.0.1"):
    return pages.post(
        LOGIN,
        {"username": f"alpha-{who}", "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _actions(tenant_session, name: str) -> list[str]:
    stmt = (
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "sign_in", AuditEntry.object_id == name)
        .order_by(AuditEntry.id)
    )
    return list(tenant_session("alpha").scalars(stmt))


def test_delays_grow_and_are_bounded():
    delays = [growing_delay(n, ACCOUNT_DELAY_AFTER, ACCOUNT_MAX_DELAY) for n in range(1, 12)]
    assert delays[: ACCOUNT_DELAY_AFTER - 1] == [0, 0]
    assert delays[2:6] == [1, 2, 4, 8] and max(delays) == ACCOUNT_MAX_DELAY


def test_repeated_failures_make_the_next_try_wait_even_with_the_right_password(
    pages, world, tenant_session
):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(ACCOUNT_DELAY_AFTER):
            assert _try(pages, "x-staff", WRONG).status_code == 422
        waiting = _try(pages, "x-staff", world.password)
        assert waiting.status_code == 429
        assert "Đã nhập sai nhiều lần. Hãy chờ 1 giây rồi thử lại." in text_of(waiting)
        clock.shift(2)
        assert _try(pages, "x-staff", world.password).status_code == 302
    # Every failure is on record, with the address; the sign-in too.
    assert _actions(tenant_session, "alpha-x-staff") == ["login_failed"] * 3 + ["login"]
    entry = (
        tenant_session("alpha")
        .scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))
        .first()
    )
    assert entry.actor_label == "anonymous" and entry.changes["address"][1] == "127.0.0.1"


def test_an_unknown_username_is_throttled_like_a_real_one(pages):
    """Nobody learns who exists from the throttle: a made-up name waits the same way."""
    with time_machine.travel(START, tick=False):
        for _ in range(ACCOUNT_DELAY_AFTER):
            assert _try(pages, "khong-co-ai", WRONG).status_code == 422
        assert _try(pages, "khong-co-ai", WRONG).status_code == 429


def _lock(pages, who: str, clock) -> None:
    for n in range(ACCOUNT_LOCK_AFTER):
        if n:
            clock.shift(ACCOUNT_MAX_DELAY + 1)  # each delay waited out
        assert _try(pages, who, WRONG).status_code == 422


def test_ten_failures_lock_the_account_for_a_while_only(pages, world, tenant_session):
    with time_machine.travel(START, tick=False) as clock:
        _lock(pages, "admin", clock)
        locked = _try(pages, "admin", world.password)
        assert locked.status_code == 429
        assert "Tài khoản này tạm khoá 15 phút nữa" in text_of(locked)
        assert "nhờ quản trị viên mở khoá" in text_of(locked)
        # Not forever: the lock ends by itself.
        clock.shift(LOCK_SECONDS + 1)
        assert _try(pages, "admin", world.password).status_code == 302
    actions = _actions(tenant_session, "alpha-admin")
    assert actions == ["login_failed"] * ACCOUNT_LOCK_AFTER + ["lock", "login"]


def test_an_admin_sees_the_lock_and_lifts_it(app, pages, world, tenant_session):
    with time_machine.travel(START, tick=False) as clock:
        _lock(pages, "x-staff", clock)
        admin = Pages(app.test_client(), world)
        admin.login("alpha", "admin")
        log = text_of(admin.get("/t/alpha/admin/sign-ins"))
        assert "alpha-x-staff" in log and "Tạm khoá 15 phút" in log
        assert "Nhập sai mật khẩu hoặc mã" in log
        page = f"/t/alpha/admin/users/{world.alpha.users['x-staff']}/credentials"
        assert "Đang tạm khoá đăng nhập, còn 15 phút." in text_of(admin.get(page))
        response = admin.post(page, {"action": "unlock"})
        assert response.status_code == 302
        assert "Không bị khoá đăng nhập." in text_of(admin.get(page))
        assert _try(pages, "x-staff", world.password).status_code == 302
    unlock = (
        tenant_session("alpha")
        .scalars(select(AuditEntry).where(AuditEntry.action == "unlock"))
        .one()
    )
    assert unlock.actor_id == world.alpha.users["admin"] and unlock.object_id == "alpha-x-staff"


def test_only_a_tenant_admin_reads_the_sign_in_log(pages):
    pages.login("alpha", "x-admin")
    assert pages.get("/t/alpha/admin/sign-ins").status_code == 403


def test_one_address_guessing_many_accounts_waits_but_locks_nobody_out(pages, world):
    """The per-address limit is separate: the attacker's address waits, the admin at another
    address signs in."""
    with time_machine.travel(START, tick=False):
        for n in range(ADDRESS_DELAY_AFTER):
            assert _try(pages, f"ten-{n}", WRONG, "10.9.9.9").status_code == 422
        assert _try(pages, "admin", world.password, "10.9.9.9").status_code == 429
        assert _try(pages, "admin", world.password, "10.1.1.1").status_code == 302


def test_without_redis_the_audit_log_still_locks_a_guessed_account(tenant_session, world):
    """Redis down: no delays, but after ten failures in the window the account is locked
    all the same (counted from the audit log), and nobody else is locked out."""
    dead = Throttle(Redis(port=1, socket_connect_timeout=0.2), "x-", "alpha")
    session = tenant_session("alpha")
    for _ in range(ACCOUNT_LOCK_AFTER):
        result = signin.attempt(session, dead, "alpha-x-reader", WRONG, "10.2.2.2")
        assert result.user is None and not result.locked
    locked = signin.attempt(session, dead, "alpha-x-reader", world.password, "10.2.2.2")
    assert locked.user is None and locked.locked
    other = signin.attempt(session, dead, "alpha-x-staff", world.password, "10.2.2.2")
    assert other.user is not None and other.user.username == "alpha-x-staff"
    # An admin's unlock counts there too.
    admin = session.get(User, world.alpha.users["admin"])
    from giamsat.identity import Principal

    signin.unlock(session, Principal.of(admin), dead, locked_user(session, "alpha-x-reader"))
    assert signin.attempt(session, dead, "alpha-x-reader", world.password, "x").user is not None


def locked_user(session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()
