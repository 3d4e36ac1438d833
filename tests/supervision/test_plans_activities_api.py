"""Yearly plans, activities with the people supervised and the comments given, and a
person's overview."""

from __future__ import annotations

from tests.plugins.api import ids


def _plan(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "year": 2026,
        "title": "Kế hoạch giám sát năm 2026",
        **fields,
    }
    return caller.post("supervision/plans", json=body)


def _activity(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "kind": "thematic",
        "title": "Giám sát việc thực hiện nêu gương",
        "starts_on": "2026-04-02",
        "ends_on": "2026-04-03",
        "participants_count": 9,
        **fields,
    }
    return caller.post("supervision/activities", json=body)


def test_plan_is_yearly_edited_as_draft_and_approved_by_a_leader(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    plan = _plan(staff, world).get_json()
    assert plan["status"] == "draft"
    assert _plan(staff, world).status_code == 409  # one plan a year
    url = f"supervision/plans/{plan['id']}"
    etag = staff.get(url).headers["ETag"]
    assert (
        staff.patch(
            url, json={"content": "Quý II: chuyên đề"}, headers={"If-Match": etag}
        ).status_code
        == 200
    )
    assert staff.post(url + "/approve", json={}).status_code == 403  # staff may not approve
    approved = as_user("alpha", "x-admin").post(
        url + "/approve", json={"approved_on": "2026-02-01"}
    )
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    etag = staff.get(url).headers["ETag"]
    assert staff.patch(url, json={"title": "x"}, headers={"If-Match": etag}).status_code == 409
    assert audit_count("alpha", object_type="supervision_plans", action="approve") == 1
    assert ids(staff.get("supervision/plans", query_string={"year": 2026})) == [plan["id"]]


def test_activity_records_people_and_comments(world, as_user, make_person, audit_count):
    staff = as_user("alpha", "x-staff")
    person = make_person()
    other = make_person(full_name="Bùi Văn Khải")
    plan = _plan(staff, world).get_json()
    created = _activity(staff, world, plan_id=plan["id"], person_ids=[person["id"]])
    assert created.status_code == 201, created.get_json()
    activity = created.get_json()
    assert activity["person_ids"] == [person["id"]] and activity["comments"] == []
    url = f"supervision/activities/{activity['id']}"
    comment = staff.post(
        url + "/comments",
        json={"content": "Cần gương mẫu hơn nơi cư trú.", "person_id": person["id"]},
    )
    assert comment.status_code == 201
    assert (
        staff.post(url + "/comments", json={"content": "x", "person_id": other["id"]}).status_code
        == 422
    )  # not supervised in this activity
    assert staff.post(url + "/comments", json={"content": " "}).status_code == 422
    body = staff.get(url).get_json()
    assert [c["content"] for c in body["comments"]] == ["Cần gương mẫu hơn nơi cư trú."]
    assert ids(staff.get(url + "/comments")) == [comment.get_json()["id"]]
    assert ids(staff.get("supervision/activities", query_string={"person_id": person["id"]})) == [
        activity["id"]
    ]
    assert ids(staff.get("supervision/activities", query_string={"kind": "regular"})) == []

    etag = staff.get(url).headers["ETag"]
    patched = staff.patch(
        url,
        json={"person_ids": [person["id"], other["id"]], "findings": "Chưa phát hiện vi phạm."},
        headers={"If-Match": etag},
    )
    assert patched.status_code == 200
    assert sorted(patched.get_json()["person_ids"]) == sorted([person["id"], other["id"]])
    assert audit_count("alpha", object_type="supervision_activities", action="update") == 1
    assert audit_count("alpha", object_type="supervision_comments", action="create") == 1


def test_activity_rules(world, as_user, make_person):
    staff = as_user("alpha", "x-staff")
    y_person = make_person(unit="commune_y", who="y-admin")
    assert _activity(staff, world, ends_on="2026-04-01").status_code == 422
    assert _activity(staff, world, participants_count=-3).status_code == 422
    assert _activity(staff, world, kind="party").status_code == 422
    assert _activity(staff, world, person_ids=[y_person["id"]]).status_code == 422
    dissemination = _activity(
        staff, world, kind="dissemination_conference", ends_on=None, participants_count=85
    )
    assert dissemination.status_code == 201
    assert dissemination.get_json()["ends_on"] == "2026-04-02"


def test_plans_and_activities_are_scoped(world, as_user):
    staff = as_user("alpha", "x-staff")
    plan = _plan(staff, world).get_json()
    activity = _activity(staff, world).get_json()
    reader = as_user("alpha", "x-reader")
    assert _plan(reader, world, year=2027).status_code == 403
    assert _activity(reader, world).status_code == 403
    assert (
        reader.post(
            f"supervision/activities/{activity['id']}/comments", json={"content": "x"}
        ).status_code
        == 403
    )
    y_admin = as_user("alpha", "y-admin")
    for url in (
        f"supervision/plans/{plan['id']}",
        f"supervision/activities/{activity['id']}",
        f"supervision/activities/{activity['id']}/comments",
    ):
        assert y_admin.get(url).status_code == 404, url
    assert y_admin.post(f"supervision/plans/{plan['id']}/approve", json={}).status_code == 404
    assert _plan(y_admin, world).status_code == 404
    assert ids(as_user("beta", "admin").get("supervision/activities")) == []
    assert ids(as_user("beta", "admin").get("supervision/plans")) == []


def test_person_overview_gathers_everything_about_them(world, as_user, make_person):
    a = world.alpha
    staff = as_user("alpha", "x-staff")
    person = make_person()
    assignment = staff.post(
        "supervision/assignments",
        json={"person_id": person["id"], "organization_id": a.org_mttq, "place": "workplace"},
    ).get_json()
    activity = _activity(staff, world, person_ids=[person["id"]]).get_json()
    staff.post(
        f"supervision/activities/{activity['id']}/comments",
        json={"content": "Góp ý về tác phong", "person_id": person["id"]},
    )
    rec = staff.post(
        "supervision/recommendations",
        json={
            "unit_id": a.commune_x,
            "organization_id": a.org_mttq,
            "addressee_kind": "cadre",
            "addressee_name": person["full_name"],
            "content": "Đề nghị tiếp thu góp ý",
            "expected_answer": "accept",
            "person_id": person["id"],
        },
    ).get_json()
    overview = staff.get(f"supervision/people/{person['id']}/overview")
    assert overview.status_code == 200
    body = overview.get_json()
    assert body["person"]["id"] == person["id"]
    assert [x["id"] for x in body["assignments"]] == [assignment["id"]]
    assert [x["id"] for x in body["activities"]] == [activity["id"]]
    assert [x["content"] for x in body["comments"]] == ["Góp ý về tác phong"]
    assert [x["id"] for x in body["recommendations"]] == [rec["id"]]
    assert body["cases"] == []
    assert "reporter" not in overview.get_data(as_text=True)
