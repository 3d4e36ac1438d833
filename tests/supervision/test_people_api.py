"""People under supervision by API: create, duplicates, filters, ETags, roles, audit."""

from __future__ import annotations

from tests.plugins.api import field_errors, ids
from tests.plugins.supervision import NEW_PERSON


def test_staff_adds_a_person_and_it_is_audited(world, as_user, make_person, audit_count):
    person = make_person()
    assert person["unit_id"] == world.alpha.commune_x
    assert (person["tier"], person["tier_label"]) == ("key_cadre", "Cán bộ chủ chốt")
    assert person["management_level"] == "commune_party_committee"
    assert person["is_party_member"] is True
    got = as_user("alpha", "x-staff").get(f"supervision/people/{person['id']}")
    assert got.status_code == 200 and got.get_json()["full_name"] == "Phạm Văn Dũng"
    assert (
        audit_count(
            "alpha",
            object_type="supervised_people",
            action="create",
            object_id=str(person["id"]),
            actor_label="alpha-x-staff",
        )
        == 1
    )


def test_same_name_birth_year_and_workplace_is_a_conflict(
    world, as_user, make_person, people_count
):
    make_person()
    # Same person written without accents and with extra spaces: still the same key.
    response = as_user("alpha", "x-staff").post(
        "supervision/people",
        json={
            "unit_id": world.alpha.commune_x,
            **NEW_PERSON,
            "full_name": "pham  van dung",
            "workplace_agency": "ubnd xa dong",
        },
    )
    assert response.status_code == 409
    assert "đã có trong danh sách" in response.get_json()["message"]
    assert people_count(unit_id=world.alpha.commune_x) == 1
    # Another birth year is another person.
    make_person(birth_year=1990)
    assert people_count(unit_id=world.alpha.commune_x) == 2


def test_bad_fields_are_422_with_field_errors(world, as_user, people_count):
    caller = as_user("alpha", "x-staff")
    for bad, field in (
        ({"full_name": "   "}, "full_name"),
        ({"birth_year": 1850}, "birth_year"),
        ({"tier": "boss"}, "tier"),
        ({"residence_area_id": world.alpha.area_y}, "residence_area_id"),
    ):
        response = caller.post(
            "supervision/people", json={"unit_id": world.alpha.commune_x, **NEW_PERSON, **bad}
        )
        assert response.status_code == 422, bad
        assert field in field_errors(response), bad
    assert people_count() == 0


def test_filters_by_tier_level_place_and_accentless_name(world, as_user, make_person):
    a = world.alpha
    head = make_person(
        full_name="Nguyễn Văn Ấn", tier="head", management_level="provincial_standing_committee"
    )
    cadre = make_person(full_name="Đỗ Thị Hoa", tier="cadre", is_party_member=False)
    caller = as_user("alpha", "x-staff")
    assert ids(caller.get("supervision/people", query_string={"tier": "head"})) == [head["id"]]
    assert ids(
        caller.get(
            "supervision/people", query_string={"management_level": "provincial_standing_committee"}
        )
    ) == [head["id"]]
    assert ids(caller.get("supervision/people", query_string={"q": "nguyen van an"})) == [
        head["id"]
    ]
    assert ids(caller.get("supervision/people", query_string={"q": "do thi"})) == [cadre["id"]]
    assert ids(caller.get("supervision/people", query_string={"is_party_member": "false"})) == [
        cadre["id"]
    ]
    caller.post(
        "supervision/assignments",
        json={"person_id": cadre["id"], "organization_id": a.org_mttq, "place": "residence"},
    )
    assert ids(caller.get("supervision/people", query_string={"place": "residence"})) == [
        cadre["id"]
    ]
    assert ids(caller.get("supervision/people", query_string={"place": "workplace"})) == []
    bad = caller.get("supervision/people", query_string={"tier": "boss"})
    assert bad.status_code == 422


def test_patch_needs_a_fresh_etag_and_is_audited(world, as_user, make_person, audit_count):
    person = make_person()
    caller = as_user("alpha", "x-staff")
    url = f"supervision/people/{person['id']}"
    assert caller.patch(url, json={"position": "Bí thư chi bộ"}).status_code == 428
    etag = caller.get(url).headers["ETag"]
    response = caller.patch(
        url, json={"position": "Bí thư chi bộ", "is_active": False}, headers={"If-Match": etag}
    )
    assert response.status_code == 200
    assert response.get_json()["position"] == "Bí thư chi bộ"
    assert caller.patch(url, json={"notes": "x"}, headers={"If-Match": etag}).status_code == 412
    assert (
        audit_count(
            "alpha", object_type="supervised_people", action="update", object_id=str(person["id"])
        )
        == 1
    )
    # Off the register: hidden from the default list, shown on request.
    assert ids(caller.get("supervision/people")) == []
    assert ids(caller.get("supervision/people", query_string={"include_inactive": "true"})) == [
        person["id"]
    ]


def test_readonly_reads_but_cannot_write(world, as_user, make_person, people_count):
    person = make_person()
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"supervision/people/{person['id']}").status_code == 200
    response = reader.post(
        "supervision/people",
        json={"unit_id": world.alpha.commune_x, **NEW_PERSON, "birth_year": 1999},
    )
    assert response.status_code == 403
    etag = reader.get(f"supervision/people/{person['id']}").headers["ETag"]
    assert (
        reader.patch(
            f"supervision/people/{person['id']}", json={"notes": "x"}, headers={"If-Match": etag}
        ).status_code
        == 403
    )
    assert people_count() == 1


def test_sibling_commune_and_other_tenant_see_nothing(
    world, as_user, make_person, api_token, client
):
    person = make_person()
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(f"supervision/people/{person['id']}").status_code == 404
    assert y_admin.get(f"supervision/people/{person['id']}/overview").status_code == 404
    assert ids(y_admin.get("supervision/people")) == []
    assert (
        y_admin.get(
            "supervision/people", query_string={"unit_id": world.alpha.commune_x}
        ).status_code
        == 404
    )
    # Creating on a sibling's register looks like a missing unit.
    response = y_admin.post(
        "supervision/people", json={"unit_id": world.alpha.commune_x, **NEW_PERSON}
    )
    assert response.status_code == 404
    # The province sees the commune's register.
    assert ids(as_user("alpha", "admin").get("supervision/people")) == [person["id"]]
    # A beta token does not exist in alpha.
    from tests.plugins.api import ApiCaller

    beta_on_alpha = ApiCaller(client, "alpha", api_token("beta", "admin"))
    assert beta_on_alpha.get(f"supervision/people/{person['id']}").status_code == 401
    assert ids(as_user("beta", "admin").get("supervision/people")) == []
    assert as_user("beta", "admin").get(f"supervision/people/{person['id']}").status_code == 404
