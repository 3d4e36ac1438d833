"""Unit pages: home unit, tree navigation, and residential areas managed by commune admins."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from giamsat.accounts.models import RoleAssignment
from giamsat.core import clock
from giamsat.identity import Role
from giamsat.units.models import Unit
from tests.plugins.pages import text_of


def _area_named(tenant_session, slug, name) -> Unit | None:
    return tenant_session(slug).scalars(select(Unit).where(Unit.name == name)).one_or_none()


def _field_error(response, field: str) -> str:
    match = re.search(
        rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return match.group(1).strip() if match else ""


# --- home and navigation -------------------------------------------------------------------


def test_home_shows_the_users_unit_with_its_place_children_and_areas(pages, world):
    pages.login("alpha", "x-admin")
    text = text_of(pages.get("/t/alpha/"))
    assert "Xã Đông Alpha" in text
    assert "Tỉnh Alpha" in text  # breadcrumb: where the commune sits
    assert "Thôn Một" in text and "Thêm khu dân cư" in text
    assert "Quản trị đơn vị" in text
    assert "Phường Tây Alpha" not in text and "Tổ dân phố Hai" not in text


def test_breadcrumb_links_only_units_the_user_may_see(pages, world):
    pages.login("alpha", "x-admin")
    html = pages.get(f"/t/alpha/units/{world.alpha.area_x}").get_data(as_text=True)
    assert f'href="/t/alpha/units/{world.alpha.commune_x}"' in html
    assert f'href="/t/alpha/units/{world.alpha.province}"' not in html
    assert "Tỉnh Alpha" in html


def test_province_admin_sees_the_communes_below(pages, world):
    pages.login("alpha", "admin")
    html = pages.get("/t/alpha/").get_data(as_text=True)
    assert f'href="/t/alpha/units/{world.alpha.commune_x}"' in html
    assert f'href="/t/alpha/units/{world.alpha.commune_y}"' in html
    assert "Tổ dân phố Hai" in text_of(pages.get(f"/t/alpha/units/{world.alpha.commune_y}"))


def test_user_with_several_grants_starts_at_the_topmost_and_can_switch(
    pages, world, tenant_session
):
    s = tenant_session("alpha")
    s.add(
        RoleAssignment(
            user_id=world.alpha.users["x-reader"], role=Role.staff, unit_id=world.alpha.province
        )
    )
    s.commit()
    pages.login("alpha", "x-reader")
    home = text_of(pages.get("/t/alpha/"))
    assert home.index("Tỉnh Alpha") < home.index("Đơn vị của bạn")
    assert "Cấp Tỉnh" in home
    switched = text_of(pages.get(f"/t/alpha/?unit={world.alpha.commune_x}"))
    assert "Cấp Xã/phường" in switched and "Thôn Một" in switched
    # Only units the user holds a role at can be chosen; anything else falls back to the top.
    assert "Cấp Tỉnh" in text_of(pages.get(f"/t/alpha/?unit={world.alpha.commune_y}"))


def test_user_without_any_role_is_told_so(pages, world, tenant_session):
    s = tenant_session("alpha")
    for grant in s.scalars(
        select(RoleAssignment).where(RoleAssignment.user_id == world.alpha.users["x-staff"])
    ):
        s.delete(grant)
    s.commit()
    pages.login("alpha", "x-staff")
    assert "Chưa được giao đơn vị" in text_of(pages.get("/t/alpha/"))


# --- commune X cannot reach commune Y ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/units/{commune_y}",
        "/units/{area_y}",
        "/units/{province}",
        "/units/{commune_y}/areas/new",
        "/units/{area_y}/edit",
        "/units/{area_y}/retire",
        "/units/999999",
    ],
)
def test_commune_x_user_cannot_read_commune_y(pages, world, path):
    pages.login("alpha", "x-admin")
    response = pages.get("/t/alpha" + path.format(**vars(world.alpha)))
    assert response.status_code == 404
    assert "Tổ dân phố Hai" not in response.get_data(as_text=True)


def test_commune_x_admin_cannot_change_commune_y(pages, world, tenant_session, count_units):
    pages.login("alpha", "x-admin")
    a = world.alpha
    before = count_units("alpha")
    posts = [
        (f"/t/alpha/units/{a.commune_y}/areas/new", {"name": "Thôn Lấn", "kind": "thôn"}),
        (f"/t/alpha/units/{a.area_y}/edit", {"name": "Đổi Trộm", "kind": "thôn"}),
        (f"/t/alpha/units/{a.area_y}/retire", {"reason": "Xóa trộm"}),
        # A successor from another commune is not visible either.
        (f"/t/alpha/units/{a.area_x}/retire", {"reason": "Sáp nhập", "successor_id": a.area_y}),
    ]
    for url, data in posts:
        assert pages.post(url, data).status_code == 404, url
    area_y = tenant_session("alpha").get(Unit, a.area_y)
    assert (area_y.name, area_y.valid_to) == ("Tổ dân phố Hai", None)
    assert tenant_session("alpha").get(Unit, a.area_x).valid_to is None
    assert count_units("alpha") == before


# --- residential areas by an admin ---------------------------------------------------------


def test_commune_admin_creates_a_residential_area(pages, world, tenant_session, audit_actions):
    pages.login("alpha", "x-admin")
    url = f"/t/alpha/units/{world.alpha.commune_x}/areas/new"
    form = text_of(pages.get(url))
    assert "Tên đầy đủ như trong văn bản" in form  # help text beside the field
    response = pages.post(url, {"name": "  Thôn   Đông ", "kind": "thôn"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/alpha/units/{world.alpha.commune_x}"
    page = text_of(pages.get(response.headers["Location"]))
    assert "Đã thêm khu dân cư “Thôn Đông”." in page
    area = _area_named(tenant_session, "alpha", "Thôn Đông")
    assert area.parent_id == world.alpha.commune_x and area.kind == "thôn"
    assert audit_actions("alpha", "unit") == ["create"]


def test_province_admin_may_manage_areas_of_any_commune(pages, world, tenant_session):
    pages.login("alpha", "admin")
    response = pages.post(
        f"/t/alpha/units/{world.alpha.commune_y}/areas/new",
        {"name": "Tổ dân phố Ba", "kind": "tổ dân phố"},
    )
    assert response.status_code == 302
    assert _area_named(tenant_session, "alpha", "Tổ dân phố Ba").parent_id == world.alpha.commune_y


def test_commune_admin_renames_a_residential_area(pages, world, tenant_session, audit_actions):
    pages.login("alpha", "x-admin")
    url = f"/t/alpha/units/{world.alpha.area_x}/edit"
    assert 'value="Thôn Một"' in pages.get(url).get_data(as_text=True)
    response = pages.post(url, {"name": "Thôn Một Mới", "kind": "xóm"})
    assert response.status_code == 302
    assert "Đã đổi tên khu dân cư “Thôn Một” thành “Thôn Một Mới”." in text_of(
        pages.get(response.headers["Location"])
    )
    area = tenant_session("alpha").get(Unit, world.alpha.area_x)
    assert (area.name, area.kind) == ("Thôn Một Mới", "xóm")
    assert audit_actions("alpha", "unit") == ["update"]


def test_commune_admin_retires_a_residential_area_into_a_successor(pages, world, tenant_session):
    pages.login("alpha", "x-admin")
    pages.post(
        f"/t/alpha/units/{world.alpha.commune_x}/areas/new", {"name": "Thôn Hai", "kind": "thôn"}
    )
    successor = _area_named(tenant_session, "alpha", "Thôn Hai")
    url = f"/t/alpha/units/{world.alpha.area_x}/retire"
    form = pages.get(url).get_data(as_text=True)
    assert f'<option value="{successor.id}">Thôn Hai</option>' in form
    day = clock.today() + dt.timedelta(days=1)
    response = pages.post(
        url,
        {
            "reason": "Sáp nhập vào Thôn Hai",
            "valid_to": day.strftime("%d/%m/%Y"),
            "successor_id": str(successor.id),
        },
    )
    assert response.status_code == 302
    commune_page = text_of(pages.get(response.headers["Location"]))
    assert "Đã ghi nhận khu dân cư “Thôn Một” ngừng hoạt động." in commune_page
    assert "Khu dân cư đã ngừng hoạt động" in commune_page
    area = tenant_session("alpha").get(Unit, world.alpha.area_x)
    assert (area.valid_to, area.successor_id, area.retired_reason) == (
        day,
        successor.id,
        "Sáp nhập vào Thôn Hai",
    )
    area_page = text_of(pages.get(f"/t/alpha/units/{world.alpha.area_x}"))
    assert "Kế thừa bởi Thôn Hai" in area_page and "Đổi tên" not in area_page


# --- roles that may not manage areas -------------------------------------------------------


@pytest.mark.parametrize("who", ["x-staff", "x-reader"])
def test_staff_and_readers_see_no_buttons_and_are_refused(
    pages, world, who, tenant_session, count_units, audit_actions
):
    pages.login("alpha", who)
    a = world.alpha
    page = pages.get(f"/t/alpha/units/{a.commune_x}").get_data(as_text=True)
    assert "Thôn Một" in page
    assert "/areas/new" not in page and "/edit" not in page and "/retire" not in page
    area_page = pages.get(f"/t/alpha/units/{a.area_x}").get_data(as_text=True)
    assert "/edit" not in area_page and "/retire" not in area_page
    for path in ("/units/{commune_x}/areas/new", "/units/{area_x}/edit", "/units/{area_x}/retire"):
        response = pages.get("/t/alpha" + path.format(**vars(a)))
        assert response.status_code == 403, path
        assert "Không có quyền" in text_of(response)
    before = count_units("alpha")
    assert (
        pages.post(
            f"/t/alpha/units/{a.commune_x}/areas/new", {"name": "Thôn Mới", "kind": "thôn"}
        ).status_code
        == 403
    )
    assert (
        pages.post(f"/t/alpha/units/{a.area_x}/edit", {"name": "Đổi", "kind": "thôn"}).status_code
        == 403
    )
    assert pages.post(f"/t/alpha/units/{a.area_x}/retire", {"reason": "Thử"}).status_code == 403
    assert count_units("alpha") == before
    area = tenant_session("alpha").get(Unit, a.area_x)
    assert (area.name, area.valid_to) == ("Thôn Một", None)
    assert audit_actions("alpha", "unit") == []


# --- bad input: a plain sentence by the field, nothing saved ------------------------------


@pytest.mark.parametrize(
    "data, status, field, message",
    [
        ({"name": "   ", "kind": "thôn"}, 422, "name", "Hãy nhập tên khu dân cư."),
        (
            {"name": "Thôn Một", "kind": "thôn"},
            409,
            "name",
            "Xã/phường này đã có khu dân cư tên “Thôn Một”.",
        ),
        (
            {"name": "Thôn Ba", "kind": "thành phố"},
            422,
            "kind",
            "Loại khu dân cư phải là một trong",
        ),
        ({"name": "x" * 201, "kind": "thôn"}, 422, "name", "dài quá 200 ký tự"),
    ],
)
def test_bad_new_area_shows_a_message_and_saves_nothing(
    pages, world, count_units, audit_actions, data, status, field, message
):
    pages.login("alpha", "x-admin")
    before = count_units("alpha")
    response = pages.post(f"/t/alpha/units/{world.alpha.commune_x}/areas/new", data)
    assert response.status_code == status
    assert message in _field_error(response, field)
    assert count_units("alpha") == before
    assert audit_actions("alpha", "unit") == []


def test_bad_rename_saves_nothing(pages, world, tenant_session):
    pages.login("alpha", "x-admin")
    pages.post(
        f"/t/alpha/units/{world.alpha.commune_x}/areas/new", {"name": "Thôn Hai", "kind": "thôn"}
    )
    response = pages.post(
        f"/t/alpha/units/{world.alpha.area_x}/edit", {"name": "thôn hai", "kind": "thôn"}
    )
    assert response.status_code == 409
    assert "đã có khu dân cư tên" in _field_error(response, "name")
    # A good name with a bad kind: the name must not be half-saved either.
    response = pages.post(
        f"/t/alpha/units/{world.alpha.area_x}/edit", {"name": "Thôn Mười", "kind": "phố cổ"}
    )
    assert response.status_code == 422
    assert "Loại khu dân cư" in _field_error(response, "kind")
    assert tenant_session("alpha").get(Unit, world.alpha.area_x).name == "Thôn Một"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"reason": " "}, "reason", "Hãy ghi lý do"),
        ({"reason": "Sáp nhập", "valid_to": "31/02/2025"}, "valid_to", "Ngày không hợp lệ."),
        (
            {"reason": "Sáp nhập", "valid_to": "01/01/2000"},
            "valid_to",
            "Ngày ngừng hoạt động phải sau ngày bắt đầu.",
        ),
        ({"reason": "Sáp nhập", "successor_id": "abc"}, "successor_id", "Lựa chọn không hợp lệ."),
        (
            {"reason": "Sáp nhập", "successor_id": "{area_x}"},
            "successor_id",
            "Khu dân cư kế thừa phải là một khu dân cư khác",
        ),
    ],
)
def test_bad_retirement_shows_a_message_and_saves_nothing(
    pages, world, tenant_session, audit_actions, data, field, message
):
    pages.login("alpha", "x-admin")
    data = {k: v.format(**vars(world.alpha)) for k, v in data.items()}
    response = pages.post(f"/t/alpha/units/{world.alpha.area_x}/retire", data)
    assert response.status_code == 422
    assert message in _field_error(response, field)
    area = tenant_session("alpha").get(Unit, world.alpha.area_x)
    assert (area.valid_to, area.retired_reason) == (None, None)
    assert audit_actions("alpha", "unit") == []


def test_retired_area_cannot_be_retired_again(pages, world, tenant_session):
    pages.login("alpha", "x-admin")
    url = f"/t/alpha/units/{world.alpha.area_x}/retire"
    assert pages.post(url, {"reason": "Giải thể"}).status_code == 302
    response = pages.post(url, {"reason": "Lần nữa"})
    assert response.status_code == 409
    assert "đã ngừng hoạt động từ trước" in text_of(response)
    assert tenant_session("alpha").get(Unit, world.alpha.area_x).retired_reason == "Giải thể"


def test_area_forms_only_exist_for_the_right_levels(pages, world):
    pages.login("alpha", "admin")
    assert pages.get(f"/t/alpha/units/{world.alpha.province}/areas/new").status_code == 404
    assert pages.get(f"/t/alpha/units/{world.alpha.commune_x}/edit").status_code == 404
    assert pages.get(f"/t/alpha/units/{world.alpha.commune_x}/retire").status_code == 404
