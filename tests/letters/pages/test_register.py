"""The box register of a commune: renders with local rules, add and edit boxes, roles, scope."""

from __future__ import annotations

import datetime as dt

from giamsat.core import clock
from giamsat.letters.models import BoxStatus, SuggestionBox
from tests.plugins.pages import field_error, text_of


def test_register_lists_areas_boxes_qr_links_and_local_rules(pages, make_box, set_rule, world):
    box = make_box(keeper="Bà Lò Thị Giữ Khóa")
    set_rule("alpha", "box_min_witnesses", 3)
    pages.login("alpha", "x-staff")
    response = pages.get("/t/alpha/letters/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Sổ hòm thư góp ý · Xã Đông Alpha" in text
    assert box.label_code in text and "Nhà văn hóa thôn Đông" in text
    assert "Bà Lò Thị Giữ Khóa" in text and "Đang sử dụng" in text
    html = response.get_data(as_text=True)
    assert f'href="/t/alpha/units/{world.alpha.area_x}/qr"' in html
    assert f'href="/t/alpha/letters/boxes/{box.id}/openings/new"' in html
    # The rules are the province's own, never presented as law; where each comes from (and
    # its confidence markers) is for the tenant admin who edits them, not for the staff.
    assert "không phải quy định của pháp luật" in text
    assert "Số người chứng kiến tối thiểu 3" in text and "Nguồn:" not in text
    assert "Giá trị mặc định của phần mềm" not in text
    # Commune Y's area is not on commune X's register, nor a way up to the province.
    assert "Tổ dân phố Hai" not in text and "Xem xã, phường khác" not in text


def test_the_tenant_admin_sees_where_each_local_rule_comes_from(pages, set_rule, world):
    set_rule("alpha", "box_min_witnesses", 3)
    pages.login("alpha", "admin")
    text = text_of(pages.get(f"/t/alpha/letters/?unit={world.alpha.commune_x}"))
    assert "Số người chứng kiến tối thiểu 3 Nguồn: test" in text
    assert "mỗi tháng một lần Giá trị mặc định của phần mềm" in text


def test_the_nav_link_opens_the_register(pages):
    pages.login("alpha", "x-staff")
    home = pages.get("/t/alpha/").get_data(as_text=True)
    assert 'href="/t/alpha/letters/">Hòm thư góp ý</a>' in home


def test_a_province_user_first_picks_a_commune(pages, world):
    pages.login("alpha", "admin")
    text = text_of(pages.get("/t/alpha/letters/"))
    assert "Hãy chọn xã, phường muốn xem" in text
    assert "Xã Đông Alpha" in text and "Phường Tây Alpha" in text
    chosen = pages.get(f"/t/alpha/letters/?unit={world.alpha.commune_y}")
    assert "Tổ dân phố Hai" in text_of(chosen) and "Xem xã, phường khác" in text_of(chosen)


def test_add_a_box_kept_by_the_person_the_local_rule_names(pages, world, tenant_session, set_rule):
    set_rule("alpha", "box_key_holder", "Trưởng ban CTMT thôn")
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/areas/{world.alpha.area_x}/boxes/new"
    form = pages.get(url)
    assert form.status_code == 200
    assert "Nơi đặt hòm thư" in text_of(form) and "Bắt buộc." in text_of(form)
    response = pages.post(
        url,
        {
            "location": "Cổng nhà văn hóa thôn Một",
            "keeper": "",
            "installed_on": "05/01/2026",
            "notes": "",
        },
    )
    # The minutes of its openings name the keeper: a person, not the rule's role.
    assert response.status_code == 422
    assert "theo quy định của địa phương: Trưởng ban CTMT thôn" in field_error(response, "keeper")
    assert tenant_session("alpha").query(SuggestionBox).count() == 0
    response = pages.post(
        url,
        {
            "location": "Cổng nhà văn hóa thôn Một",
            "keeper": "Ông Hà Văn Sơn",
            "installed_on": "05/01/2026",
            "notes": "",
        },
    )
    assert response.status_code == 302
    box = tenant_session("alpha").query(SuggestionBox).one()
    assert box.keeper == "Ông Hà Văn Sơn" and box.installed_on == dt.date(2026, 1, 5)
    assert box.unit_id == world.alpha.area_x and box.label_code.startswith("HT-")
    page = pages.get(response.headers["Location"])
    assert f"Đã thêm hòm thư {box.label_code} tại Cổng nhà văn hóa thôn Một." in text_of(page)


def test_bad_box_input_is_shown_next_to_the_fields_and_nothing_is_saved(
    pages, world, tenant_session
):
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/areas/{world.alpha.area_x}/boxes/new"
    future = (clock.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = pages.post(url, {"location": "  ", "installed_on": future})
    assert response.status_code == 422
    assert "Hãy nhập nơi đặt hòm thư" in field_error(response, "location")
    assert "không được ở tương lai" in field_error(response, "installed_on")
    bad_day = pages.post(url, {"location": "Chợ", "installed_on": "31/02/2026"})
    assert bad_day.status_code == 422
    assert "Ngày không hợp lệ" in field_error(bad_day, "installed_on")
    assert tenant_session("alpha").query(SuggestionBox).count() == 0


def test_edit_a_box_marks_it_damaged(pages, make_box, tenant_session):
    box = make_box()
    pages.login("alpha", "x-admin")
    url = f"/t/alpha/letters/boxes/{box.id}/edit"
    assert 'value="Nhà văn hóa thôn Đông"' in pages.get(url).get_data(as_text=True)
    response = pages.post(
        url,
        {
            "location": "Nhà văn hóa thôn Đông",
            "keeper": box.keeper,
            "installed_on": "2026-01-05",
            "status": "damaged",
            "notes": "Bản lề bị gãy",
        },
    )
    assert response.status_code == 302
    tenant_session("alpha").expire_all()
    saved = tenant_session("alpha").get(SuggestionBox, box.id)
    assert saved.status == BoxStatus.damaged and saved.notes == "Bản lề bị gãy"
    text = text_of(pages.get(response.headers["Location"]))
    assert f"Đã lưu hòm thư {box.label_code}." in text and "Hư hỏng" in text
    # A damaged box is not opened until repaired: no "record an opening" link for it.
    assert f"/letters/boxes/{box.id}/openings/new" not in pages.get("/t/alpha/letters/").get_data(
        as_text=True
    )


def test_edit_with_an_empty_keeper_is_refused_and_nothing_changes(pages, make_box, tenant_session):
    box = make_box()
    pages.login("alpha", "x-staff")
    response = pages.post(
        f"/t/alpha/letters/boxes/{box.id}/edit",
        {"location": "Chỗ mới", "keeper": "", "installed_on": "05/01/2026", "status": "active"},
    )
    assert response.status_code == 422
    assert "Hãy nhập người giữ hòm thư" in field_error(response, "keeper")
    tenant_session("alpha").expire_all()
    assert tenant_session("alpha").get(SuggestionBox, box.id).location == "Nhà văn hóa thôn Đông"


def test_a_reader_sees_the_register_without_actions_and_cannot_post(
    pages, make_box, world, tenant_session
):
    box = make_box()
    pages.login("alpha", "x-reader")
    response = pages.get("/t/alpha/letters/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert box.label_code in html
    for action in ("/boxes/new", "/edit", "/openings/new"):
        assert action not in html
    assert "Thêm hòm thư" not in html
    new_url = f"/t/alpha/letters/areas/{world.alpha.area_x}/boxes/new"
    assert pages.get(new_url).status_code == 403
    assert pages.post(new_url, {"location": "Chợ", "installed_on": "05/01/2026"}).status_code == 403
    assert (
        pages.post(
            f"/t/alpha/letters/boxes/{box.id}/edit",
            {"location": "Chợ", "keeper": "A", "installed_on": "05/01/2026", "status": "removed"},
        ).status_code
        == 403
    )
    assert tenant_session("alpha").query(SuggestionBox).count() == 1


def test_another_communes_boxes_are_not_found(pages, make_box, world):
    box_y = make_box(who="y-admin", area="area_y")
    pages.login("alpha", "x-admin")
    assert pages.get(f"/t/alpha/letters/boxes/{box_y.id}/edit").status_code == 404
    assert (
        pages.post(
            f"/t/alpha/letters/boxes/{box_y.id}/edit",
            {"location": "x", "keeper": "x", "installed_on": "05/01/2026", "status": "removed"},
        ).status_code
        == 404
    )
    assert pages.get(f"/t/alpha/letters/areas/{world.alpha.area_y}/boxes/new").status_code == 404
    assert pages.get(f"/t/alpha/letters/boxes/{box_y.id}/openings/new").status_code == 404
    assert pages.get(f"/t/alpha/letters/?unit={world.alpha.commune_y}").status_code == 404
    assert box_y.label_code not in pages.get("/t/alpha/letters/").get_data(as_text=True)


def test_a_session_of_one_tenant_does_not_reach_another(pages, make_box, world):
    box_beta = make_box(slug="beta")
    pages.login("alpha", "x-staff")
    for url in (
        "/t/beta/letters/",
        f"/t/beta/letters/boxes/{box_beta.id}/edit",
        f"/t/beta/letters/boxes/{box_beta.id}/openings/new",
    ):
        response = pages.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/t/beta/login")
    # The alpha session, with beta's id, finds nothing in alpha either.
    assert pages.get(f"/t/alpha/letters/boxes/{box_beta.id}/edit").status_code == 404


def test_the_register_follows_the_users_language(pages, make_box):
    make_box()
    pages.login("alpha", "x-staff")
    pages.post("/t/alpha/language", {"lang": "en", "next": "/t/alpha/letters/"})
    text = text_of(pages.get("/t/alpha/letters/"))
    assert "Suggestion box register · Xã Đông Alpha" in text
    assert "Local rules on suggestion boxes" in text and "they are not law" in text
    assert "once a month" in text and "In use" in text and "Print QR label" in text
