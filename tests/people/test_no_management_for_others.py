"""Staff, leaders and readers reach no people-management action through any URL: every page
and API route of people management, with every method it accepts, answers 403 (or 404) and
changes nothing. The routes are read from the app, so a route added later is covered too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from giamsat.accounts.models import RoleAssignment
from giamsat.identity import Role
from tests.plugins.api import ApiCaller

#: The role matrix is for everybody to read; the rest of these blueprints is management.
OPEN_TO_ALL = {"people_pages.role_matrix"}


def _routes(app, prefix: str):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(prefix) and rule.endpoint not in OPEN_TO_ALL:
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def _path(rule, values: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(values[name])).replace(
            f"<{name}>", str(values[name])
        )
    return path


@pytest.fixture()
def targets(world, tenant_session):
    """A user of the same commune, and one of their grants, as every URL's ids."""
    target = world.alpha.users["x-admin"]
    with tenant_session("alpha") as session:
        grant_id = session.scalar(select(RoleAssignment.id).where(RoleAssignment.user_id == target))
    return {"tenant": "alpha", "user_id": target, "grant_id": grant_id}


@pytest.mark.parametrize("who", ["x-staff", "x-reader", "x-leader"])
def test_every_people_url_refuses_non_admins(
    app, pages, world, add_user, api_token, targets, user_count, audit_of, who
):
    if who == "x-leader":
        add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    before = (user_count(), audit_of("alpha"))
    pages.login("alpha", who)
    form = {
        "full_name": "Kẻ Lạ",
        "phone": "0911111111",
        "role": "tenant_admin",
        "unit_id": str(world.alpha.province),
        "payload": "",
    }
    checked = 0
    for rule, methods in _routes(app, "people_pages."):
        path = _path(rule, targets)
        for method in methods:
            if method == "GET":
                response = pages.get(path)
            else:
                response = pages.post(path, form)
            assert response.status_code in (403, 404), (method, path, response.status_code)
            checked += 1
    caller = ApiCaller(pages.client, "alpha", api_token("alpha", who))
    for rule, methods in _routes(app, "users."):
        path = _path(rule, targets).removeprefix("/api/v1/t/alpha/")
        for method in methods:
            body = {"full_name": "Kẻ Lạ", "role": "staff", "unit_id": world.alpha.commune_x}
            response = caller._call(method, path, json=body if method != "GET" else None)
            assert response.status_code in (403, 404), (method, path, response.status_code)
            checked += 1
    assert checked >= 20
    after_audit = [entry for entry in audit_of("alpha") if entry[0] != "login"]
    assert user_count() == before[0]
    assert after_audit == [entry for entry in before[1] if entry[0] != "login"]


def test_the_refusal_says_who_can(pages):
    pages.login("alpha", "x-staff")
    response = pages.get("/t/alpha/people")
    assert response.status_code == 403
    assert "quản trị tỉnh, quản trị đơn vị" in response.get_data(as_text=True)
