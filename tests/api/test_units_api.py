"""Units, organizations and levels through the API: what each user may see, filters, 404s."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.units.models import Organization, Unit
from tests.plugins.api import ids


def test_a_commune_user_lists_only_their_subtree(world, as_user):
    a = world.alpha
    assert ids(as_user("alpha", "x-admin").get("units")) == [a.commune_x, a.area_x]
    assert ids(as_user("alpha", "x-reader").get("units")) == [a.commune_x, a.area_x]
    assert sorted(ids(as_user("alpha", "admin").get("units"))) == sorted(
        [a.province, a.commune_x, a.commune_y, a.area_x, a.area_y]
    )


def test_unit_filters(world, as_user):
    a, admin = world.alpha, as_user("alpha", "admin")
    assert sorted(ids(admin.get("units", query_string={"level": "commune"}))) == sorted(
        [a.commune_x, a.commune_y]
    )
    assert ids(admin.get("units", query_string={"parent_id": a.commune_y})) == [a.area_y]
    assert ids(admin.get("units", query_string={"q": "Đông"})) == [a.commune_x]
    assert ids(admin.get("units", query_string={"q": "tây"})) == [a.commune_y]  # any case
    assert ids(admin.get("units", query_string={"q": "%"})) == []  # not a wildcard
    # A sibling commune's children filtered by a commune X user: nothing.
    assert (
        ids(as_user("alpha", "x-admin").get("units", query_string={"parent_id": a.commune_y})) == []
    )


def test_bad_filter_is_422(as_user):
    response = as_user("alpha", "admin").get("units", query_string={"parent_id": "abc"})
    assert response.status_code == 422
    assert "parent_id" in response.get_json()["errors"]["query"]


def test_retired_units_only_on_request(world, as_user, tenant_session):
    with tenant_session("alpha") as s:
        s.get(Unit, world.alpha.area_x).valid_to = dt.date(2025, 12, 31)
        s.commit()
    caller = as_user("alpha", "x-admin")
    assert ids(caller.get("units")) == [world.alpha.commune_x]
    assert ids(caller.get("units", query_string={"include_retired": "true"})) == [
        world.alpha.commune_x,
        world.alpha.area_x,
    ]
    assert ids(caller.get(f"units/{world.alpha.commune_x}/children")) == []
    retired = caller.get(f"units/{world.alpha.area_x}").get_json()
    assert retired["valid_to"] == "2025-12-31" and retired["is_current"] is False


def test_one_unit_with_etag(world, as_user):
    caller = as_user("alpha", "x-admin")
    response = caller.get(f"units/{world.alpha.commune_x}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Xã Đông Alpha" and body["official_code"] == "91001"
    assert body["parent_id"] == world.alpha.province and body["is_current"] is True
    again = caller.get(
        f"units/{world.alpha.commune_x}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_subtree_and_children(world, as_user):
    a = world.alpha
    x_admin, admin = as_user("alpha", "x-admin"), as_user("alpha", "admin")
    assert ids(x_admin.get(f"units/{a.commune_x}/subtree")) == [a.commune_x, a.area_x]
    areas = admin.get(f"units/{a.province}/subtree", query_string={"level": "residential_area"})
    assert ids(areas) == sorted([a.area_x, a.area_y])
    assert ids(x_admin.get(f"units/{a.commune_x}/children")) == [a.area_x]
    # Children come sorted by name: "Phường Tây…" before "Xã Đông…".
    assert ids(admin.get(f"units/{a.province}/children")) == [a.commune_y, a.commune_x]


@pytest.mark.parametrize("path", ["units/{id}", "units/{id}/subtree", "units/{id}/children"])
@pytest.mark.parametrize("target", ["commune_y", "area_y", "province", "missing"])
def test_units_outside_the_subtree_are_404_like_missing_ones(world, as_user, path, target):
    unit_id = 987654 if target == "missing" else getattr(world.alpha, target)
    response = as_user("alpha", "x-admin").get(path.format(id=unit_id))
    assert response.status_code == 404
    assert response.get_json()["message"] == "Không tìm thấy đơn vị."


def test_each_tenant_answers_from_its_own_schema(world, as_user):
    # Both tenants number their units alike; the same id names each tenant's own unit.
    assert world.alpha.commune_x == world.beta.commune_x
    alpha = as_user("alpha", "x-admin").get(f"units/{world.alpha.commune_x}").get_json()
    beta = as_user("beta", "x-admin").get(f"units/{world.beta.commune_x}").get_json()
    assert (alpha["name"], beta["name"]) == ("Xã Đông Alpha", "Xã Đông Beta")


def test_organizations_lists_enabled_ones(world, as_user, tenant_session):
    with tenant_session("alpha") as s:
        s.add_all(
            [
                Organization(
                    code="hlhpn",
                    name="Hội Liên hiệp Phụ nữ Việt Nam",
                    short_name="Hội LHPN",
                    sort_order=1,
                    level_codes=["province", "commune"],
                ),
                Organization(
                    code="hccb",
                    name="Hội Cựu chiến binh Việt Nam",
                    short_name="Hội CCB",
                    sort_order=2,
                    is_enabled=False,
                ),
            ]
        )
        s.commit()
    body = as_user("alpha", "x-reader").get("organizations").get_json()
    assert [o["code"] for o in body] == ["mttq", "hlhpn"]
    assert body[1]["level_codes"] == ["province", "commune"]


def test_levels_from_the_top(as_user):
    body = as_user("alpha", "x-staff").get("levels").get_json()
    assert [level["code"] for level in body] == ["province", "commune", "residential_area"]
    assert body[2]["is_residential_area"] is True and body[1]["holds_residential_areas"] is True
