"""Who may add, rename and retire residential areas is the tenant rule
`residential_area_managers` (default: the commune's unit admins and Front staff); the pages
and the API honour it, and a page that hides the buttons says who can."""

from __future__ import annotations

import pytest

from giamsat.accounts.models import RoleAssignment
from giamsat.identity import Role
from giamsat.units.models import TenantRule
from tests.plugins.api import ApiCaller
from tests.plugins.pages import text_of


@pytest.fixture()
def front_staff(world, add_user, tenant_session):
    """A staff member of commune X granted for the MTTQ organization."""
    user_id = add_user("alpha", "x-front", Role.leader, world.alpha.area_x)
    with tenant_session("alpha") as session:
        session.add(
            RoleAssignment(
                user_id=user_id,
                role=Role.staff,
                unit_id=world.alpha.commune_x,
                organization_id=world.alpha.org_mttq,
            )
        )
        session.commit()
    return "x-front"


@pytest.fixture()
def set_rule(tenant_session):
    def set_(value: str) -> None:
        with tenant_session("alpha") as session:
            session.merge(
                TenantRule(key="residential_area_managers", value=value, source="thử nghiệm")
            )
            session.commit()

    return set_


def _create(caller, world, name):
    return caller.post(
        "residential-areas",
        json={"commune_id": world.alpha.commune_x, "name": name, "kind": "thôn"},
    )


def test_by_default_front_staff_manage_areas_and_others_are_told_who_can(
    client, world, api_token, front_staff
):
    front = ApiCaller(client, "alpha", api_token("alpha", front_staff))
    assert _create(front, world, "Thôn Mặt Trận").status_code == 201
    staff = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    refused = _create(staff, world, "Thôn Cán Bộ")
    assert refused.status_code == 403
    assert "cán bộ Mặt trận (MTTQ) của xã, phường" in refused.get_json()["message"]


def test_the_tenant_rule_narrows_it_to_unit_admins(client, world, api_token, front_staff, set_rule):
    set_rule("unit_admins")
    front = ApiCaller(client, "alpha", api_token("alpha", front_staff))
    assert _create(front, world, "Thôn Mặt Trận").status_code == 403
    admin = ApiCaller(client, "alpha", api_token("alpha", "x-admin"))
    assert _create(admin, world, "Thôn Quản Trị").status_code == 201


def test_the_tenant_rule_can_open_it_to_all_staff(client, world, api_token, set_rule):
    set_rule("unit_admins_and_all_staff")
    staff = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    assert _create(staff, world, "Thôn Cán Bộ").status_code == 201
    reader = ApiCaller(client, "alpha", api_token("alpha", "x-reader"))
    assert _create(reader, world, "Thôn Chỉ Xem").status_code == 403


def test_the_commune_page_says_who_can_add_areas(app, world, front_staff):
    from tests.plugins.pages import Pages

    app.config.update(WTF_CSRF_ENABLED=True)
    pages = Pages(app.test_client(), world)
    pages.login("alpha", "x-reader")
    text = text_of(pages.get(f"/t/alpha/units/{world.alpha.commune_x}"))
    assert "Thêm khu dân cư" not in text
    assert (
        "Người được thêm, đổi tên và cho ngừng khu dân cư: quản trị tỉnh và quản trị viên" in text
    )
    front = Pages(app.test_client(), world)
    front.login("alpha", front_staff)
    shown = text_of(front.get(f"/t/alpha/units/{world.alpha.commune_x}"))
    assert "Thêm khu dân cư" in shown and "Người được thêm" not in shown


def test_the_rule_is_on_the_rules_page(app, world):
    from tests.plugins.pages import Pages

    pages = Pages(app.test_client(), world)
    pages.login("alpha", "admin")
    text = text_of(pages.get("/t/alpha/rules"))
    assert "Ai được thêm, đổi tên và cho ngừng khu dân cư" in text
