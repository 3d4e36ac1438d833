"""The request's token check (`accounts.token_check`): the same answer as the owner's ORM
object would give, in one statement, and last use written at most once a minute."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from giamsat.accounts.models import ApiToken, RoleAssignment, User
from giamsat.accounts.operations import create_api_token, revoke_api_token, user_for_token
from giamsat.accounts.token_check import principal_for_token
from giamsat.core import clock
from giamsat.core.passwords import hash_token
from giamsat.identity import Principal, Role
from giamsat.units.models import Organization
from tests.plugins.api import ApiCaller


def _token(session, user_id: int, **kwargs) -> str:
    _, token = create_api_token(session, session.get(User, user_id), "thử", **kwargs)
    session.flush()
    return token


def test_the_principal_is_the_one_of_the_owner_with_every_role(tenant_session, world):
    session = tenant_session("alpha")
    user_id = world.alpha.users["x-staff"]
    org = session.query(Organization).first()
    session.add(RoleAssignment(user_id=user_id, role=Role.leader, unit_id=world.alpha.commune_y))
    session.add(
        RoleAssignment(
            user_id=user_id,
            role=Role.readonly,
            unit_id=world.alpha.province,
            organization_id=org.id,
        )
    )
    session.flush()
    token = _token(session, user_id)
    session.expire_all()
    expected = Principal.of(session.get(User, user_id))
    principal, read_only = principal_for_token(session, token)
    assert set(principal.grants) == set(expected.grants) and len(principal.grants) == 3
    assert (principal.user_id, principal.username, principal.full_name, principal.locale) == (
        expected.user_id,
        expected.username,
        expected.full_name,
        expected.locale,
    )
    assert principal.root_paths == expected.root_paths and not read_only
    assert principal_for_token(session, _token(session, user_id, scope="read"))[1] is True


def _row(session, token: str) -> ApiToken:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))


def test_unknown_revoked_expired_or_inactive_is_refused(tenant_session, world):
    session = tenant_session("alpha")
    user_id = world.alpha.users["x-staff"]
    revoked, expired, live = (_token(session, user_id) for _ in range(3))
    revoke_api_token(session, session.get(User, user_id), _row(session, revoked).id)
    _row(session, expired).expires_at = clock.now() - dt.timedelta(minutes=1)
    session.flush()
    assert principal_for_token(session, live) is not None
    for token in ("", "gs_khong-co", revoked, expired):
        assert principal_for_token(session, token) is None
        assert user_for_token(session, token) is None  # the ORM check agrees
    session.get(User, user_id).is_active = False
    session.flush()
    assert principal_for_token(session, live) is None
    assert user_for_token(session, live) is None


def test_one_statement_and_last_use_at_most_once_a_minute(tenant_session, world):
    session = tenant_session("alpha")
    token = _token(session, world.alpha.users["x-admin"])
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lstrip().split()[0].upper())

    def check() -> list[str]:
        statements.clear()
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert principal_for_token(session, token) is not None
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return list(statements)

    assert check() == ["SELECT", "UPDATE"]  # never used: last use written
    used = _row(session, token).last_used_at
    assert used is not None
    assert check() == ["SELECT"]  # used a moment ago: not written again
    _row(session, token).last_used_at = used - dt.timedelta(minutes=2)
    session.flush()
    assert check() == ["SELECT", "UPDATE"]


def test_a_view_asking_for_the_owner_still_gets_it(client, api_token, world):
    caller = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    me = caller.get("me")
    assert me.status_code == 200 and me.get_json()["id"] == world.alpha.users["x-staff"]
    assert caller.get("me/tokens").status_code == 200
