"""The current user and personal API tokens: shown once, listed without secrets, revoked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.accounts.models import ApiToken
from tests.plugins.api import ApiCaller, field_errors, ids


@pytest.fixture()
def token_count(tenant_session):
    def count(slug: str = "alpha") -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(ApiToken))

    return count


def test_me_shows_the_user_and_their_roles(world, as_user):
    body = as_user("alpha", "x-staff").get("me").get_json()
    assert body["id"] == world.alpha.users["x-staff"]
    assert body["username"] == "alpha-x-staff" and body["locale"] == "vi"
    assert body["roles"] == [
        {
            "role": "staff",
            "unit_id": world.alpha.commune_x,
            "unit_name": "Xã Đông Alpha",
            "organization_id": None,
            "organization_name": None,
        }
    ]
    assert "password_hash" not in body


def _token_id(caller: ApiCaller, token: str) -> int:
    return next(t["id"] for t in caller.get("me/tokens").get_json() if t["prefix"] == token[:10])


def test_a_token_cannot_create_tokens(as_user, token_count, audit_count):
    """A stolen token must not outlive its revocation by minting others: 403, nothing made."""
    caller = as_user("alpha", "x-reader")
    before = token_count()
    response = caller.post("me/tokens", json={"name": "Máy phòng họp"})
    assert response.status_code == 403
    assert "trình duyệt" in response.get_json()["message"]
    assert token_count() == before
    assert audit_count("alpha", object_type="api_token", action="create") == 1  # the caller's


def test_a_token_is_listed_without_its_secret(world, client, as_user, api_token):
    caller = as_user("alpha", "x-reader")
    token = api_token("alpha", "x-reader")
    token_id = _token_id(caller, token)
    listed = caller.get("me/tokens")
    assert token not in listed.get_data(as_text=True)  # never shown again
    assert "token" not in listed.get_json()[0]
    one = caller.get(f"me/tokens/{token_id}").get_json()
    assert one["scope"] == "read_write" and one["expires_at"]
    me = ApiCaller(client, "alpha", token).get("me")
    assert me.status_code == 200 and me.get_json()["username"] == "alpha-x-reader"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": "ok", "user_id": 1}, "user_id"),
    ],
)
def test_bad_token_request_is_422_and_creates_nothing(as_user, token_count, payload, field):
    caller = as_user("alpha", "x-staff")
    before = token_count()
    response = caller.post("me/tokens", json=payload)
    assert response.status_code == 422
    assert field in field_errors(response)
    assert token_count() == before


def test_tokens_list_only_mine(as_user):
    mine, other = as_user("alpha", "x-staff"), as_user("alpha", "x-admin")
    my_ids, other_ids = ids(mine.get("me/tokens")), ids(other.get("me/tokens"))
    assert len(my_ids) == 1 and len(other_ids) == 1 and my_ids != other_ids


def test_revoking_needs_the_etag_and_then_the_token_stops_working(
    world, client, as_user, api_token, audit_count
):
    caller = as_user("alpha", "x-staff")
    token = api_token("alpha", "x-staff")
    created = {"id": _token_id(caller, token), "token": token}
    path = f"me/tokens/{created['id']}"
    read = caller.get(path)
    assert read.status_code == 200 and read.headers["ETag"]

    assert caller.delete(path).status_code == 428
    assert caller.delete(path, headers={"If-Match": '"0000"'}).status_code == 412
    assert ApiCaller(client, "alpha", created["token"]).get("me").status_code == 200

    assert caller.delete(path, headers={"If-Match": read.headers["ETag"]}).status_code == 204
    assert ApiCaller(client, "alpha", created["token"]).get("me").status_code == 401
    assert (
        audit_count("alpha", object_type="api_token", action="revoke", object_id=str(created["id"]))
        == 1
    )

    # Revoked tokens leave the default list but stay on record.
    assert created["id"] not in ids(caller.get("me/tokens"))
    listed = caller.get("me/tokens", query_string={"include_revoked": "true"}).get_json()
    assert any(t["id"] == created["id"] and t["revoked_at"] for t in listed)


def test_a_token_can_revoke_itself(client, as_user):
    caller = as_user("alpha", "x-admin")
    own = caller.get("me/tokens").get_json()[0]
    etag = caller.get(f"me/tokens/{own['id']}").headers["ETag"]
    assert caller.delete(f"me/tokens/{own['id']}", headers={"If-Match": etag}).status_code == 204
    assert caller.get("me").status_code == 401


@pytest.mark.parametrize("if_match", ['"0000"', "*"])
def test_another_users_token_is_404(client, as_user, api_token, if_match):
    owner = as_user("alpha", "x-staff")
    token = api_token("alpha", "x-staff")
    theirs = {"id": _token_id(owner, token), "token": token}
    intruder = as_user("alpha", "x-admin")
    assert intruder.get(f"me/tokens/{theirs['id']}").status_code == 404
    response = intruder.delete(f"me/tokens/{theirs['id']}", headers={"If-Match": if_match})
    assert response.status_code == 404
    assert response.get_json()["message"] == "Không tìm thấy mã truy cập."
    assert ApiCaller(client, "alpha", theirs["token"]).get("me").status_code == 200
