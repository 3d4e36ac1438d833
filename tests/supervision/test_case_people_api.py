"""Cases and the people they concern, by API: proposals (accent-insensitive, by position and
unit), nothing linked without a confirmation, link/new/unlink, 422 and 404, scoping, tenant
isolation, and a person's cases that never carry the reporter."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.supervision.models import CasePerson
from tests.plugins.api import field_errors, ids

SECRET = {"name": "Hoàng Thị Kín Tiếng", "contact": "0912 345 678", "address": "Xóm Bí Mật"}


@pytest.fixture()
def make_case(as_user, world, catalogue, reporter_keys):
    """`make_case(who="x-staff", slug="alpha", unit="commune_x", **fields)` → case JSON."""

    def make(who="x-staff", slug="alpha", unit="commune_x", **fields):
        body = {
            "unit_id": getattr(getattr(world, slug), unit),
            "channel": "suggestion_box",
            "kind": "petition",
            "title": "Phản ánh về tác phong cán bộ",
            "content": "Thư trong hòm thư góp ý.",
            **fields,
        }
        response = as_user(slug, who).post("cases", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture()
def links(tenant_session):
    def count(slug: str = "alpha") -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(CasePerson))

    return count


def _proposed(caller, case_id) -> list[int]:
    body = caller.get(f"supervision/cases/{case_id}/people").get_json()
    return [p["person"]["id"] for p in body["proposals"]]


def test_a_name_without_accents_proposes_the_person_and_links_nobody(
    world, as_user, make_person, make_case, links
):
    staff = as_user("alpha", "x-staff")
    person = make_person(full_name="Nguyễn Văn A", position="Chủ tịch UBND xã")
    make_person(full_name="Nguyễn Văn An")  # "Nguyen Van A" is not "Nguyễn Văn An"
    case = make_case(concerned="ông Nguyen Van A, chu tich xa")
    body = staff.get(f"supervision/cases/{case['id']}/people").get_json()
    assert [p["person"]["id"] for p in body["proposals"]] == [person["id"]]
    proposal = body["proposals"][0]
    assert proposal["reasons"] == ["name_in_concerned", "same_unit"]
    assert proposal["reason_labels"][0] == "Trùng họ tên ở phần người bị phản ánh"
    assert body["names_in_text"] == [{"full_name": "Nguyen Van A", "position": "chu tich xa"}]
    # Reading proposals, or the person's cases, links nothing.
    assert body["linked"] == [] and links() == 0
    assert staff.get(f"supervision/people/{person['id']}/cases").get_json() == []


def test_title_content_and_position_propose_too(world, as_user, make_person, make_case):
    staff = as_user("alpha", "x-staff")
    chair = make_person(full_name="Trần Thị Bình", position="Chủ tịch UBND xã")
    secretary = make_person(full_name="Lê Văn Cường", position="Bí thư Đảng ủy xã")
    case = make_case(
        title="Chủ tịch UBND xã chậm giải quyết đơn",
        content="Ông Lê Văn Cường hứa nhưng chưa làm.",
    )
    body = staff.get(f"supervision/cases/{case['id']}/people").get_json()
    reasons = {p["person"]["id"]: p["reasons"] for p in body["proposals"]}
    assert reasons == {
        secretary["id"]: ["name_in_text", "same_unit"],
        chair["id"]: ["position", "same_unit"],
    }
    # The name first: it weighs more than a position.
    assert [p["person"]["id"] for p in body["proposals"]] == [secretary["id"], chair["id"]]


def test_confirm_links_lists_on_the_person_and_unlinks(
    world, as_user, make_person, make_case, links, audit_count
):
    staff = as_user("alpha", "x-staff")
    person = make_person(full_name="Nguyễn Văn A", tier="head")
    other = make_person(full_name="Đinh Văn Hùng", position="Trưởng thôn")
    case = make_case(concerned="Nguyễn Văn A; Đinh Văn Hùng")
    response = staff.post(
        f"supervision/cases/{case['id']}/people", json={"person_id": person["id"]}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["person_id"] == person["id"] and body["confirmed_by"] == "alpha-x-staff"
    assert body["how"] == "proposal"
    again = staff.post(f"supervision/cases/{case['id']}/people", json={"person_id": person["id"]})
    assert again.status_code == 409
    # Several people per case; the linked one is no longer proposed.
    assert _proposed(staff, case["id"]) == [other["id"]]
    second = {"person_id": other["id"], "how": "search"}
    assert staff.post(f"supervision/cases/{case['id']}/people", json=second).status_code == 201
    listed = staff.get(f"supervision/cases/{case['id']}/people").get_json()["linked"]
    assert sorted(lp["person_id"] for lp in listed) == sorted([person["id"], other["id"]])
    assert links() == 2
    cases = staff.get(f"supervision/people/{person['id']}/cases")
    assert ids(cases) == [case["id"]]
    assert cases.get_json()[0]["status"] == "received"
    overview = staff.get(f"supervision/people/{person['id']}/overview").get_json()
    assert [c["id"] for c in overview["cases"]] == [case["id"]]
    # The free text stays as written.
    assert staff.get(f"cases/{case['id']}").get_json()["concerned"] == "Nguyễn Văn A; Đinh Văn Hùng"
    history = staff.get(f"cases/{case['id']}/history").get_json()
    assert [e["action"] for e in history].count("link_person") == 2
    deleted = staff.delete(f"supervision/cases/{case['id']}/people/{person['id']}")
    assert deleted.status_code == 204
    assert staff.get(f"supervision/people/{person['id']}/cases").get_json() == []
    assert staff.delete(f"supervision/cases/{case['id']}/people/{person['id']}").status_code == 404
    assert links() == 1
    assert audit_count("alpha", object_type="case_people", action="link_person") == 2
    assert audit_count("alpha", object_type="case_people", action="unlink_person") == 1


def test_create_a_new_person_from_the_text_and_link(world, as_user, make_case, people_count):
    staff = as_user("alpha", "x-staff")
    case = make_case(concerned="bà Phạm Thị Hoa, kế toán xã")
    response = staff.post(
        f"supervision/cases/{case['id']}/people/new",
        json={
            "unit_id": world.alpha.commune_x,
            "full_name": "Phạm Thị Hoa",
            "position": "Kế toán xã",
            "tier": "cadre",
        },
    )
    assert response.status_code == 201, response.get_json()
    person = response.get_json()["person"]
    assert person["full_name"] == "Phạm Thị Hoa" and response.get_json()["how"] == "new_person"
    assert ids(staff.get(f"supervision/people/{person['id']}/cases")) == [case["id"]]
    # A bad field: 422, neither the person nor a link is written.
    before = people_count()
    bad = staff.post(
        f"supervision/cases/{case['id']}/people/new",
        json={"unit_id": world.alpha.commune_x, "full_name": "Lê Thị Mai", "tier": "boss"},
    )
    assert bad.status_code == 422 and "tier" in field_errors(bad)
    assert people_count() == before


@pytest.mark.parametrize("person_id", ["abc", 0, -3, None, 1.5])
def test_bad_person_ids_are_422(world, as_user, make_case, links, person_id):
    case = make_case()
    response = as_user("alpha", "x-staff").post(
        f"supervision/cases/{case['id']}/people", json={"person_id": person_id}
    )
    assert response.status_code == 422 and "person_id" in field_errors(response)
    assert links() == 0


def test_commune_x_cannot_see_or_link_commune_y(world, as_user, make_person, make_case, links):
    x_staff, y_admin = as_user("alpha", "x-staff"), as_user("alpha", "y-admin")
    x_person = make_person(full_name="Nguyễn Văn A")
    y_person = make_person(unit="commune_y", who="y-admin", full_name="Nguyễn Văn A")
    x_case = make_case(concerned="Nguyễn Văn A")
    y_case = make_case(who="y-admin", unit="commune_y", concerned="Nguyễn Văn A")
    # Proposals only from the registers the viewer sees.
    assert _proposed(x_staff, x_case["id"]) == [x_person["id"]]
    assert _proposed(y_admin, y_case["id"]) == [y_person["id"]]
    # Y's case and Y's person are not there for X: 404, nothing written.
    assert x_staff.get(f"supervision/cases/{y_case['id']}/people").status_code == 404
    link_y = x_staff.post(
        f"supervision/cases/{y_case['id']}/people", json={"person_id": x_person["id"]}
    )
    assert link_y.status_code == 404
    link_y_person = x_staff.post(
        f"supervision/cases/{x_case['id']}/people", json={"person_id": y_person["id"]}
    )
    assert link_y_person.status_code == 404
    assert x_staff.get(f"supervision/people/{y_person['id']}/cases").status_code == 404
    assert links() == 0
    # The province sees both and may link X's case to Y's person; X then sees the link
    # without the person, and still not Y's person's cases.
    admin = as_user("alpha", "admin")
    assert sorted(_proposed(admin, x_case["id"])) == sorted([x_person["id"], y_person["id"]])
    linked = admin.post(
        f"supervision/cases/{x_case['id']}/people", json={"person_id": y_person["id"]}
    )
    assert linked.status_code == 201
    seen = x_staff.get(f"supervision/cases/{x_case['id']}/people").get_json()["linked"]
    assert [(lp["person_id"], lp["person"]) for lp in seen] == [(None, None)]
    assert ids(admin.get(f"supervision/people/{y_person['id']}/cases")) == [x_case["id"]]
    # Y's admin sees the person but not X's case.
    assert y_admin.get(f"supervision/people/{y_person['id']}/cases").get_json() == []


def test_readers_see_but_cannot_link(world, as_user, make_person, make_case, links):
    person = make_person(full_name="Nguyễn Văn A")
    case = make_case(concerned="Nguyễn Văn A")
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"supervision/cases/{case['id']}/people").status_code == 200
    response = reader.post(
        f"supervision/cases/{case['id']}/people", json={"person_id": person["id"]}
    )
    assert response.status_code == 403 and links() == 0


def test_tenants_are_isolated(world, as_user, make_person, make_case, links):
    alpha_person = make_person(full_name="Nguyễn Văn A")
    alpha_case = make_case(concerned="Nguyễn Văn A")
    beta_case = make_case(who="x-admin", slug="beta", concerned="Nguyễn Văn A")
    alpha, beta = as_user("alpha", "x-staff"), as_user("beta", "x-admin")
    linked = alpha.post(
        f"supervision/cases/{alpha_case['id']}/people", json={"person_id": alpha_person["id"]}
    )
    assert linked.status_code == 201
    # Beta's register is empty: alpha's person is neither proposed nor linkable there.
    assert _proposed(beta, beta_case["id"]) == []
    foreign = beta.post(
        f"supervision/cases/{beta_case['id']}/people", json={"person_id": alpha_person["id"]}
    )
    assert foreign.status_code == 404
    assert beta.get(f"supervision/people/{alpha_person['id']}/cases").status_code == 404
    assert links("beta") == 0 and links("alpha") == 1


def test_a_persons_cases_never_carry_the_reporter(world, as_user, make_person, make_case, add_user):
    from giamsat.identity import Role

    person = make_person(full_name="Nguyễn Văn A")
    case = make_case(concerned="Nguyễn Văn A", reporter_mode="open", reporter=SECRET)
    staff = as_user("alpha", "x-staff")
    staff.post(f"supervision/cases/{case['id']}/people", json={"person_id": person["id"]})
    # Even a leader, who may unmask a reporter on the case itself.
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    leader = as_user("alpha", "x-leader")
    for caller in (staff, leader):
        for path in (
            f"supervision/people/{person['id']}/cases",
            f"supervision/people/{person['id']}/overview",
            f"supervision/cases/{case['id']}/people",
        ):
            response = caller.get(path)
            assert response.status_code == 200
            raw = response.get_data(as_text=True)
            assert all(value not in raw for value in SECRET.values()), path
            assert "reporter" not in raw
    listed = staff.get(f"supervision/people/{person['id']}/cases").get_json()[0]
    assert set(listed) == {
        "id",
        "number",
        "unit_id",
        "unit_name",
        "received_on",
        "title",
        "status",
        "due_on",
    }
