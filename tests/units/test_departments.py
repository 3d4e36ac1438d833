"""Departments of a committee (Ban DC-PL, liaison departments…): kept by the unit's admin in
the browser and over the API, scoped to the unit and the province; the owner of a case or a
supervision activity must be a department of the record's own unit, else 422 and nothing
written."""

from __future__ import annotations

from sqlalchemy import func, select

from giamsat.cases.models import Case
from giamsat.units.models import Department
from tests.plugins.api import field_errors, ids
from tests.plugins.pages import field_error, text_of

INTAKE = {
    "channel": "in_person",
    "kind": "petition",
    "title": "Phản ánh việc thu quỹ",
    "content": "Thôn thu quỹ không công khai.",
}


def _department(caller, unit_id, **fields):
    body = {"unit_id": unit_id, "kind": "democracy_law", "name": "Ban Dân chủ – Pháp luật"}
    return caller.post("departments", json=body | fields)


def _activity(a) -> dict:
    """A thematic supervision activity of commune X, without its title."""
    return {
        "unit_id": a.commune_x,
        "organization_id": a.org_mttq,
        "kind": "thematic",
        "starts_on": "2026-05-04",
    }


def _count(tenant_session, model, slug="alpha", **where) -> int:
    with tenant_session(slug) as session:
        return session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_the_unit_admin_keeps_the_departments_in_the_browser(pages, world, tenant_session):
    x = world.alpha.commune_x
    pages.login("alpha", "x-admin")
    unit_page = pages.get(f"/t/alpha/units/{x}")
    assert "Các ban của Ủy ban" in text_of(unit_page)
    added = pages.post(
        f"/t/alpha/units/{x}/departments/new",
        {"kind": "democracy_law", "name": "Ban Dân chủ – Pháp luật", "is_active": "y"},
        follow_redirects=True,
    )
    assert added.status_code == 200 and "Đã thêm “Ban Dân chủ – Pháp luật”." in text_of(added)
    empty = pages.post(f"/t/alpha/units/{x}/departments/new", {"kind": "other", "name": " "})
    assert empty.status_code == 422 and field_error(empty, "name") == "Hãy nhập tên ban."
    twice = pages.post(
        f"/t/alpha/units/{x}/departments/new",
        {"kind": "other", "name": "ban dân chủ – pháp luật", "is_active": "y"},
    )
    assert twice.status_code == 409
    assert _count(tenant_session, Department, unit_id=x) == 1
    with tenant_session("alpha") as session:
        department = session.scalars(select(Department)).one()
    edited = pages.post(
        f"/t/alpha/units/departments/{department.id}/edit",
        {"kind": "democracy_law", "name": "Ban DC-PL"},  # box unticked: no longer active
        follow_redirects=True,
    )
    assert "Đã lưu “Ban DC-PL”." in text_of(edited)
    listed = text_of(pages.get(f"/t/alpha/units/{x}/departments"))
    assert "Ban DC-PL" in listed and "Ngừng hoạt động" in listed


def test_only_the_units_admin_changes_them_and_others_do_not_see_them(
    pages, world, as_user, tenant_session
):
    x = world.alpha.commune_x
    department = _department(as_user("alpha", "x-admin"), x).get_json()
    pages.login("alpha", "x-staff")
    assert "Ban Dân chủ – Pháp luật" in text_of(pages.get(f"/t/alpha/units/{x}/departments"))
    refused = pages.post(
        f"/t/alpha/units/{x}/departments/new", {"kind": "other", "name": "Ban khác"}
    )
    assert refused.status_code == 403
    assert pages.get(f"/t/alpha/units/departments/{department['id']}/edit").status_code == 403
    assert _department(as_user("alpha", "x-staff"), x, name="Ban khác").status_code == 403
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get("departments", query_string={"unit_id": x}).status_code == 404
    assert y_admin.get(f"departments/{department['id']}").status_code == 404
    assert y_admin.patch(f"departments/{department['id']}", json={"name": "Y"}).status_code == 404
    assert _department(y_admin, x, name="Ban của Y").status_code == 404
    province = as_user("alpha", "admin")
    assert ids(province.get("departments", query_string={"unit_id": x})) == [department["id"]]
    beta = as_user("beta", "admin")
    assert beta.get(f"departments/{department['id']}").status_code == 404
    # Ids repeat across provinces: beta's own unit with that id has no departments.
    beta_unit = beta.get("departments", query_string={"unit_id": world.beta.commune_x})
    assert beta_unit.status_code == 200 and ids(beta_unit) == []
    assert _count(tenant_session, Department, slug="beta") == 0


def test_departments_api_checks_its_input(as_user, world, tenant_session):
    admin = as_user("alpha", "x-admin")
    x = world.alpha.commune_x
    bad_kind = _department(admin, x, kind="party")
    assert bad_kind.status_code == 422 and "kind" in field_errors(bad_kind)
    assert _department(admin, x, name="").status_code == 422
    assert _department(admin, x, organization_id=999999).status_code == 422
    assert _department(admin, world.alpha.area_x).status_code == 422
    assert _count(tenant_session, Department) == 0
    liaison = _department(
        admin, x, kind="liaison", name="Bộ phận liên lạc MTTQ", organization_id=world.alpha.org_mttq
    )
    assert (
        liaison.status_code == 201 and liaison.get_json()["organization_id"] == world.alpha.org_mttq
    )
    patched = admin.patch(f"departments/{liaison.get_json()['id']}", json={"is_active": False})
    assert patched.get_json()["is_active"] is False
    active = admin.get("departments", query_string={"unit_id": x, "active_only": True})
    assert ids(active) == []


def test_a_cases_owner_is_a_department_of_its_unit(
    as_user, world, catalogue, reporter_keys, tenant_session
):
    a = world.alpha
    dx = _department(as_user("alpha", "x-admin"), a.commune_x).get_json()
    dy = _department(as_user("alpha", "y-admin"), a.commune_y).get_json()
    staff = as_user("alpha", "x-staff")
    before = _count(tenant_session, Case)
    foreign = staff.post("cases", json=INTAKE | {"unit_id": a.commune_x, "department_id": dy["id"]})
    assert foreign.status_code == 422 and "department_id" in field_errors(foreign)
    assert (
        staff.post(
            "cases", json=INTAKE | {"unit_id": a.commune_x, "department_id": 999999}
        ).status_code
        == 422
    )
    assert _count(tenant_session, Case) == before  # nothing written
    created = staff.post("cases", json=INTAKE | {"unit_id": a.commune_x, "department_id": dx["id"]})
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert case["department_id"] == dx["id"]
    other = staff.post("cases", json=INTAKE | {"unit_id": a.commune_x}).get_json()
    assert other["department_id"] is None

    listed = staff.get("cases", query_string={"department_id": dx["id"]})
    assert ids(listed) == [case["id"]]
    url = f"cases/{other['id']}"
    etag = staff.get(url).headers["ETag"]
    refused = staff.patch(url, json={"department_id": dy["id"]}, headers={"If-Match": etag})
    assert refused.status_code == 422
    assigned = staff.patch(url, json={"department_id": dx["id"]}, headers={"If-Match": etag})
    assert assigned.status_code == 200 and assigned.get_json()["department_id"] == dx["id"]
    assert sorted(ids(staff.get("cases", query_string={"department_id": dx["id"]}))) == sorted(
        [case["id"], other["id"]]
    )
    # A department no longer active takes no new work.
    as_user("alpha", "x-admin").patch(f"departments/{dx['id']}", json={"is_active": False})
    assert (
        staff.post(
            "cases", json=INTAKE | {"unit_id": a.commune_x, "department_id": dx["id"]}
        ).status_code
        == 422
    )


def test_the_case_page_assigns_shows_and_filters_by_department(
    pages, as_user, world, catalogue, reporter_keys
):
    a = world.alpha
    dx = _department(as_user("alpha", "x-admin"), a.commune_x).get_json()
    dy = _department(as_user("alpha", "y-admin"), a.commune_y).get_json()
    case = as_user("alpha", "x-staff").post("cases", json=INTAKE | {"unit_id": a.commune_x})
    case_id = case.get_json()["id"]
    pages.login("alpha", "x-staff")
    page = text_of(pages.get(f"/t/alpha/cases/{case_id}"))
    assert "Giao ban phụ trách" in page
    wrong = pages.post(
        f"/t/alpha/cases/{case_id}/department", {"department-department_id": dy["id"]}
    )
    assert wrong.status_code == 422
    assert "Ban phụ trách phải là một ban của chính đơn vị giữ hồ sơ." in text_of(wrong)
    saved = pages.post(
        f"/t/alpha/cases/{case_id}/department",
        {"department-department_id": dx["id"]},
        follow_redirects=True,
    )
    assert "Đã lưu ban phụ trách hồ sơ." in text_of(saved)
    assert "Ban phụ trách Ban Dân chủ – Pháp luật" in text_of(saved)
    queue = pages.get(f"/t/alpha/cases/?unit={a.commune_x}&department={dx['id']}")
    assert "Phản ánh việc thu quỹ" in text_of(queue)
    none = pages.get(f"/t/alpha/cases/?unit={a.commune_x}&department={dx['id'] + 1000}")
    assert "Phản ánh việc thu quỹ" not in text_of(none)


def test_the_intake_page_offers_the_units_departments(
    pages, as_user, world, catalogue, reporter_keys, tenant_session
):
    a = world.alpha
    pages.login("alpha", "x-staff")
    # A unit without departments is not asked.
    assert "Ban phụ trách" not in text_of(pages.get(f"/t/alpha/cases/new?unit={a.commune_x}"))
    dx = _department(as_user("alpha", "x-admin"), a.commune_x).get_json()
    dy = _department(as_user("alpha", "y-admin"), a.commune_y).get_json()
    form = text_of(pages.get(f"/t/alpha/cases/new?unit={a.commune_x}"))
    assert "Ban phụ trách" in form and "Ban Dân chủ – Pháp luật" in form
    page = INTAKE | {"received_on": "2026-03-02", "reporter_mode": "anonymous"}
    before = _count(tenant_session, Case)
    wrong = pages.post(f"/t/alpha/cases/new?unit={a.commune_x}", page | {"department_id": dy["id"]})
    assert wrong.status_code == 422
    assert field_error(wrong, "department_id")
    assert _count(tenant_session, Case) == before  # nothing written
    saved = pages.post(
        f"/t/alpha/cases/new?unit={a.commune_x}",
        page | {"department_id": dx["id"]},
        follow_redirects=True,
    )
    assert "Ban phụ trách Ban Dân chủ – Pháp luật" in text_of(saved)
    assert _count(tenant_session, Case, department_id=dx["id"]) == 1


def test_a_supervision_activitys_owner_is_a_department_of_its_unit(as_user, world):
    a = world.alpha
    dx = _department(as_user("alpha", "x-admin"), a.commune_x).get_json()
    dy = _department(as_user("alpha", "y-admin"), a.commune_y).get_json()
    staff = as_user("alpha", "x-staff")
    body = _activity(a) | {"title": "Giám sát việc tiếp công dân"}
    foreign = staff.post("supervision/activities", json=body | {"department_id": dy["id"]})
    assert foreign.status_code == 422 and "department_id" in field_errors(foreign)
    assert ids(staff.get("supervision/activities")) == []
    created = staff.post("supervision/activities", json=body | {"department_id": dx["id"]})
    assert created.status_code == 201 and created.get_json()["department_id"] == dx["id"]
    listed = staff.get("supervision/activities", query_string={"department_id": dx["id"]})
    assert ids(listed) == [created.get_json()["id"]]


def test_the_activity_list_page_filters_by_department(pages, as_user, world):
    a = world.alpha
    dx = _department(as_user("alpha", "x-admin"), a.commune_x).get_json()
    dy = _department(as_user("alpha", "y-admin"), a.commune_y).get_json()
    staff = as_user("alpha", "x-staff")
    body = _activity(a)
    staff.post(
        "supervision/activities", json=body | {"title": "Của ban", "department_id": dx["id"]}
    )
    staff.post("supervision/activities", json=body | {"title": "Không giao ban"})
    pages.login("alpha", "x-staff")
    everything = text_of(pages.get("/t/alpha/supervision/activities"))
    assert "Ban phụ trách" in everything and "Của ban" in everything
    assert "Không giao ban" in everything
    # Commune Y's department is not offered to commune X's staff.
    assert everything.count("Ban Dân chủ – Pháp luật") == 1
    only = text_of(pages.get(f"/t/alpha/supervision/activities?department={dx['id']}"))
    assert "Của ban" in only and "Không giao ban" not in only
    # Another unit's department is dropped like any value not on offer: the whole list shows.
    foreign = text_of(pages.get(f"/t/alpha/supervision/activities?department={dy['id']}"))
    assert "Của ban" in foreign and "Không giao ban" in foreign
