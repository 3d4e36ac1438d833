"""API tokens are scoped (read-only / read-write), expire, and never mint tokens."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import event

from giamsat.accounts.models import User
from giamsat.accounts.operations import create_api_token, user_for_token
from giamsat.core import clock
from giamsat.identity import Principal
from tests.plugins.api import ApiCaller, field_errors
from tests.plugins.pages import text_of


@pytest.fixture()
def token_of(tenant_session, world):
    def make(who: str, **kwargs) -> str:
        session = tenant_session("alpha")
        user = session.get(User, world.alpha.users[who])
        _, token = create_api_token(session, user, "thử", **kwargs)
        session.commit()
        return token

    return make


def test_a_read_only_token_reads_but_gets_403_on_every_write(client, token_of, world):
    reader = ApiCaller(client, "alpha", token_of("x-admin", scope="read"))
    assert reader.get("me").status_code == 200
    assert reader.get("me/tokens").status_code == 200
    area = {"commune_id": world.alpha.commune_x, "name": "Thôn Mới", "kind": "thôn"}
    response = reader.post("residential-areas", json=area)
    assert response.status_code == 403
    assert "chỉ được đọc" in response.get_json()["message"]
    own = reader.get("me/tokens").get_json()[0]
    assert reader.delete(f"me/tokens/{own['id']}", headers={"If-Match": "*"}).status_code == 403
    # The same person's read-write token may write.
    writer = ApiCaller(client, "alpha", token_of("x-admin", scope="read_write"))
    created = writer.post("residential-areas", json=area)
    assert created.status_code == 201, created.get_json()


def test_an_expired_token_is_401(client, token_of):
    token = token_of("x-staff", days=1)
    caller = ApiCaller(client, "alpha", token)
    assert caller.get("me").status_code == 200
    with time_machine.travel(clock.now() + dt.timedelta(days=1, minutes=1)):
        response = caller.get("me")
        assert response.status_code == 401
        assert "hết hạn" in response.get_json()["message"]


def test_a_token_never_mints_a_token_whatever_its_scope(client, token_of):
    for scope in ("read", "read_write"):
        caller = ApiCaller(client, "alpha", token_of("x-staff", scope=scope))
        before = len(caller.get("me/tokens").get_json())
        assert caller.post("me/tokens", json={"name": "con"}).status_code == 403
        assert len(caller.get("me/tokens").get_json()) == before


def test_scope_and_lifetime_are_checked(tenant_session, world):
    session = tenant_session("alpha")
    user = session.get(User, world.alpha.users["x-staff"])
    from giamsat.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as bad_scope:
        create_api_token(session, user, "x", scope="admin")
    assert "scope" in bad_scope.value.errors
    with pytest.raises(ValidationFailed) as too_long:
        create_api_token(session, user, "x", days=366)
    assert "days" in too_long.value.errors


def test_the_tokens_page_makes_a_read_only_token_that_cannot_write(pages, client, world):
    import re

    pages.login("alpha", "x-admin")
    # The page offers the choice a person makes: the scope (read-only first) and the lifetime.
    empty = pages.get("/t/alpha/account/tokens").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="scope"', empty) and 'name="days"' in empty
    response = pages.post(
        "/t/alpha/account/tokens", {"name": "Báo cáo", "scope": "read", "days": "30"}
    )
    assert response.status_code == 200
    assert "Chỉ đọc" in text_of(response)
    token = re.search(r'id="new-token">(gs_[^<]+)<', response.get_data(as_text=True)).group(1)
    caller = ApiCaller(client, "alpha", token)
    listed = caller.get("me/tokens").get_json()[0]
    assert listed["scope"] == "read"
    expires = dt.datetime.fromisoformat(listed["expires_at"])
    assert dt.timedelta(days=29) < expires - clock.now() <= dt.timedelta(days=30)
    area = {"commune_id": world.alpha.commune_x, "name": "Thôn Mới", "kind": "thôn"}
    response = caller.post("residential-areas", json=area)
    assert response.status_code == 403 and not field_errors(response)


def test_the_token_check_is_one_statement_with_the_owner_and_roles(tenant_session, token_of):
    token = token_of("x-admin")
    session = tenant_session("alpha")
    session.expire_all()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        found = user_for_token(session, token)
        assert found is not None
        user, read_only = found
        principal = Principal.of(user)  # roles and their units already loaded
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # (The session's transaction begins by entering the tenant schema: not the check's.)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    selects = [s for s in selects if "enter_schema" not in s]
    assert len(selects) == 1, selects
    assert principal.grants and not read_only
