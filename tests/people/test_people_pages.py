"""The people pages: list with last login, add (temporary password shown once), edit, grant,
disable; and a unit admin who reaches outside their subtree gets 404."""

from __future__ import annotations

import re

from tests.plugins.form_values import assert_kept
from tests.plugins.pages import field_error, text_of


def test_list_shows_the_subtree_with_last_login_and_search(pages, world):
    pages.login("alpha", "x-staff")
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    pages.login("alpha", "x-admin")
    text = text_of(pages.get("/t/alpha/people"))
    assert "Alpha X Staff" in text and "Alpha X Reader" in text
    assert "Alpha Y Admin" not in text and "Alpha Admin" not in text.replace("Alpha X Admin", "")
    assert "Chưa đăng nhập" in text  # x-reader never signed in
    found = text_of(pages.get("/t/alpha/people", query_string={"q": "reader"}))
    assert "Alpha X Reader" in found and "Alpha X Staff" not in found


def test_the_tenant_admin_filters_the_list_by_unit(pages, world):
    pages.login("alpha", "admin")
    everyone = text_of(pages.get("/t/alpha/people"))
    assert "Alpha Y Admin" in everyone and "Alpha X Staff" in everyone
    commune_y = text_of(pages.get("/t/alpha/people", query_string={"unit": world.alpha.commune_y}))
    assert "Alpha Y Admin" in commune_y and "Alpha X Staff" not in commune_y


def test_add_a_person_shows_the_temporary_password_once(pages, world, stored_user, audit_of):
    pages.login("alpha", "x-admin")
    form = pages.get("/t/alpha/people/new")
    assert form.status_code == 200
    # A unit admin cannot even pick the tenant admin role or a unit above theirs.
    html = form.get_data(as_text=True)
    assert 'value="tenant_admin"' not in html
    units = re.search(r'<select[^>]*id="unit_id".*?</select>', html, re.S).group(0)
    assert f'value="{world.alpha.province}"' not in units
    assert f'value="{world.alpha.commune_x}"' in units
    response = pages.post(
        "/t/alpha/people/new",
        {
            "full_name": "Trần Văn Bình",
            "phone": "0987 654 321",
            "role": "staff",
            "unit_id": str(world.alpha.commune_x),
            "organization_id": "",
        },
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'class="temporary-password">([^<]+)<', response.get_data(as_text=True))
    assert password, text_of(response)
    user = stored_user("alpha", username="dt0987654321")
    assert user is not None and user.must_change_password
    # Nowhere else: not on the person's page, not in the list.
    for url in (f"/t/alpha/people/{user.id}", "/t/alpha/people"):
        assert password.group(1) not in pages.get(url).get_data(as_text=True)
    assert ("create", str(user.id)) in audit_of("alpha")


def test_a_bad_form_keeps_what_was_typed(pages, world):
    pages.login("alpha", "admin")
    response = pages.post(
        "/t/alpha/people/new",
        {"full_name": "Phạm Thu", "email": "khong-phai-thu", "role": "staff", "unit_id": ""},
    )
    assert response.status_code == 422
    assert "không hợp lệ" in field_error(response, "email")
    assert 'value="Phạm Thu"' in response.get_data(as_text=True)
    # Every field, the unit step and the role included.
    typed = {
        "full_name": "Phạm Thu",
        "email": "khong-phai-thu",
        "phone": "0912345678",
        "role": "staff",
        "unit_id": str(world.alpha.commune_x),
    }
    response = pages.post("/t/alpha/people/new", dict(typed, organization_id=""))
    assert response.status_code == 422
    assert_kept(response, typed)


def test_a_bad_edit_keeps_what_was_typed(pages, world, stored_user):
    pages.login("alpha", "x-admin")
    staff = world.alpha.users["x-staff"]
    typed = {"full_name": "Cán Bộ Xã Đông", "email": "khong-hop-le", "phone": "0912345678"}
    response = pages.post(f"/t/alpha/people/{staff}", typed)
    assert response.status_code == 422
    assert "không hợp lệ" in field_error(response, "email")
    assert_kept(response, typed)
    assert stored_user("alpha", id=staff).full_name != "Cán Bộ Xã Đông"


def test_edit_grant_and_disable_from_the_persons_page(pages, world, stored_user):
    pages.login("alpha", "x-admin")
    staff = world.alpha.users["x-staff"]
    saved = pages.post(
        f"/t/alpha/people/{staff}",
        {"full_name": "Cán Bộ Xã Đông", "email": "canbo@xadong.vn", "phone": ""},
    )
    assert saved.status_code == 302
    granted = pages.post(
        f"/t/alpha/people/{staff}/roles",
        {"role": "leader", "unit_id": str(world.alpha.commune_x), "organization_id": ""},
    )
    assert granted.status_code == 302
    above = pages.post(
        f"/t/alpha/people/{staff}/roles",
        {"role": "leader", "unit_id": str(world.alpha.province), "organization_id": ""},
    )
    assert above.status_code == 422
    assert "đơn vị mình quản trị" in text_of(above)
    # Locking asks first: without the "Tôi đã kiểm tra" box ticked nothing changes.
    unticked = pages.post(f"/t/alpha/people/{staff}/disable", follow_redirects=True)
    assert "Hãy đánh dấu ô xác nhận trước khi thực hiện." in text_of(unticked)
    assert 'name="checked"' in unticked.get_data(as_text=True)
    assert stored_user("alpha", id=staff).is_active
    assert pages.post(f"/t/alpha/people/{staff}/disable", {"checked": "y"}).status_code == 302
    user = stored_user("alpha", id=staff)
    assert user.full_name == "Cán Bộ Xã Đông" and not user.is_active
    assert {r.role.value for r in user.roles} == {"staff", "leader"}


def test_outside_the_subtree_every_people_page_is_404(pages, world, stored_user):
    pages.login("alpha", "x-admin")
    for who in ("y-admin", "admin"):
        target = world.alpha.users[who]
        assert pages.get(f"/t/alpha/people/{target}").status_code == 404
        assert pages.post(f"/t/alpha/people/{target}", {"full_name": "X"}).status_code == 404
        assert pages.post(f"/t/alpha/people/{target}/disable").status_code == 404
        assert pages.post(f"/t/alpha/people/{target}/enable").status_code == 404
        grant = {"role": "staff", "unit_id": str(world.alpha.commune_x)}
        assert pages.post(f"/t/alpha/people/{target}/roles", grant).status_code == 404
    assert stored_user("alpha", username="alpha-y-admin").is_active


def test_role_matrix_says_in_vietnamese_who_may_do_what(pages):
    pages.login("alpha", "x-reader")
    response = pages.get("/t/alpha/roles")
    assert response.status_code == 200
    text = text_of(response)
    assert "Mỗi vai trò được làm gì" in text
    assert "Giao và thu hồi vai trò" in text and "Quản trị tỉnh" in text
    assert "cán bộ Mặt trận (MTTQ) của xã, phường" in text
