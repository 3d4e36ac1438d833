"""Voter meetings and opinion collection (issues, forwarded, answered, opened as a case or a
recommendation), meeting attendance, respected people: CRUD, 422s, scoping, tenants."""

from __future__ import annotations

import datetime as dt

from giamsat.core import clock
from tests.plugins.api import field_errors, ids

MEETINGS = "supervision/voter-meetings"
ATTENDANCE = "supervision/meeting-attendance"
RESPECTED = "supervision/respected-people"


def _meeting(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "kind": "voter_meeting",
        "held_on": "2026-03-10",
        "place": "Nhà văn hóa thôn Một",
        "title": "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã",
        "participants_count": 85,
        "participants": "Cử tri thôn Một, đại biểu HĐND xã",
        **fields,
    }
    return caller.post(MEETINGS, json=body)


def _patch(caller, url, body):
    etag = caller.get(url).headers["ETag"]
    return caller.patch(url, json=body, headers={"If-Match": etag})


# --- voter meetings -----------------------------------------------------------------------------


def test_meeting_with_issues_forwarded_and_answered(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    created = _meeting(staff, world)
    assert created.status_code == 201, created.get_json()
    meeting = created.get_json()
    assert meeting["kind_label"] == "Tiếp xúc cử tri" and meeting["participants_count"] == 85
    url = f"{MEETINGS}/{meeting['id']}"
    issue = staff.post(
        url + "/issues",
        json={"content": "Đường liên thôn xuống cấp", "forwarded_to": "UBND xã"},
    )
    assert issue.status_code == 201, issue.get_json()
    issue = issue.get_json()
    assert (issue["forwarded_to"], issue["answer"], issue["case_id"]) == ("UBND xã", "", None)
    answered = _patch(
        staff,
        f"{MEETINGS}/issues/{issue['id']}",
        {"answer": "Đưa vào kế hoạch sửa năm 2026", "answered_on": "2026-04-02"},
    )
    assert answered.status_code == 200, answered.get_json()
    assert answered.get_json()["answered_on"] == "2026-04-02"
    body = staff.get(url).get_json()
    assert [i["answer"] for i in body["issues"]] == ["Đưa vào kế hoạch sửa năm 2026"]

    collection = _meeting(
        staff, world, kind="opinion_collection", title="Lấy ý kiến dự thảo quy hoạch"
    )
    assert collection.status_code == 201
    listed = staff.get(MEETINGS, query_string={"kind": "opinion_collection"})
    assert ids(listed) == [collection.get_json()["id"]]
    renamed = _patch(staff, url, {"place": "Hội trường UBND xã"})
    assert renamed.status_code == 200 and renamed.get_json()["place"] == "Hội trường UBND xã"
    assert audit_count("alpha", object_type="citizen_meetings", action="create") == 2
    assert audit_count("alpha", object_type="citizen_issues", action="update") == 1


def test_meeting_and_issue_refusals_are_422_and_write_nothing(world, as_user):
    staff = as_user("alpha", "x-staff")
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    assert set(field_errors(_meeting(staff, world, kind="party"))) == {"kind"}
    bad = _meeting(staff, world, held_on=future, place=" ", participants_count=-1)
    assert bad.status_code == 422
    assert set(field_errors(bad)) == {"held_on", "place", "participants_count"}
    assert ids(staff.get(MEETINGS)) == []
    meeting = _meeting(staff, world).get_json()
    url = f"{MEETINGS}/{meeting['id']}/issues"
    assert set(field_errors(staff.post(url, json={"content": "  "}))) == {"content"}
    early = staff.post(url, json={"content": "x", "answer": "y", "answered_on": "2026-01-01"})
    assert set(field_errors(early)) == {"answered_on"}  # before the meeting
    no_answer = staff.post(url, json={"content": "x", "answered_on": "2026-03-12"})
    assert set(field_errors(no_answer)) == {"answer"}
    assert staff.get(f"{MEETINGS}/{meeting['id']}").get_json()["issues"] == []


def test_a_case_is_opened_from_an_issue_and_the_issue_keeps_the_link(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    meeting = _meeting(staff, world).get_json()
    issue = staff.post(
        f"{MEETINGS}/{meeting['id']}/issues",
        json={"content": "Cử tri phản ánh trưởng thôn thu tiền sai quy định"},
    ).get_json()
    url = f"{MEETINGS}/issues/{issue['id']}/case"
    assert set(field_errors(staff.post(url, json={"kind": "rumour"}))) == {"kind"}
    opened = staff.post(url, json={"kind": "denunciation", "area_id": world.alpha.area_x})
    assert opened.status_code == 201, opened.get_json()
    opened = opened.get_json()
    assert opened["issue"]["case_id"] == opened["case_id"] and opened["case_number"]
    case = staff.get(f"cases/{opened['case_id']}").get_json()
    assert case["channel"] == "voter_meeting" and case["kind"] == "denunciation"
    assert case["received_on"] == "2026-03-10" and case["area_id"] == world.alpha.area_x
    assert case["title"] == "Cử tri phản ánh trưởng thôn thu tiền sai quy định"
    assert "Nhà văn hóa thôn Một" in case["content"]
    assert staff.post(url, json={}).status_code == 409  # one case per issue
    linked = staff.get(f"{MEETINGS}/issues/{issue['id']}").get_json()
    assert linked["case_id"] == opened["case_id"]
    assert audit_count("alpha", object_type="citizen_issues", action="link") == 1


def test_a_recommendation_is_issued_from_an_issue(world, as_user):
    staff = as_user("alpha", "x-staff")
    meeting = _meeting(staff, world).get_json()
    issue = staff.post(
        f"{MEETINGS}/{meeting['id']}/issues",
        json={"content": "Chậm chi trả hỗ trợ giải phóng mặt bằng", "forwarded_to": "UBND xã"},
    ).get_json()
    url = f"{MEETINGS}/issues/{issue['id']}/recommendation"
    missing = staff.post(url, json={"organization_id": world.alpha.org_mttq})
    assert missing.status_code == 422
    made = staff.post(
        url,
        json={
            "organization_id": world.alpha.org_mttq,
            "addressee_kind": "authority",
            "expected_answer": "explain",
            "issued_on": "2026-03-12",
        },
    )
    assert made.status_code == 201, made.get_json()
    made = made.get_json()
    assert made["issue"]["recommendation_id"] == made["recommendation_id"]
    rec = staff.get(f"supervision/recommendations/{made['recommendation_id']}").get_json()
    assert rec["addressee_name"] == "UBND xã"  # where the issue was forwarded
    assert rec["content"] == "Chậm chi trả hỗ trợ giải phóng mặt bằng"
    assert rec["unit_id"] == world.alpha.commune_x and rec["due_on"] == made["due_on"]
    again = staff.post(
        url,
        json={
            "organization_id": world.alpha.org_mttq,
            "addressee_kind": "authority",
            "expected_answer": "explain",
        },
    )
    assert again.status_code == 409


def test_meetings_are_scoped_and_readonly_cannot_write(world, as_user):
    staff = as_user("alpha", "x-staff")
    meeting = _meeting(staff, world).get_json()
    issue = staff.post(f"{MEETINGS}/{meeting['id']}/issues", json={"content": "x"}).get_json()
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"{MEETINGS}/{meeting['id']}").status_code == 200
    assert _meeting(reader, world).status_code == 403
    assert reader.post(f"{MEETINGS}/issues/{issue['id']}/case", json={}).status_code == 403
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(f"{MEETINGS}/{meeting['id']}").status_code == 404
    assert y_admin.get(f"{MEETINGS}/issues/{issue['id']}").status_code == 404
    assert y_admin.post(f"{MEETINGS}/issues/{issue['id']}/case", json={}).status_code == 404
    assert _meeting(y_admin, world).status_code == 404  # commune X is out of Y's sight
    assert ids(y_admin.get(MEETINGS)) == []
    assert ids(as_user("alpha", "admin").get(MEETINGS)) == [meeting["id"]]
    beta = as_user("beta", "admin")
    assert ids(beta.get(MEETINGS)) == []
    assert beta.get(f"{MEETINGS}/{meeting['id']}").status_code == 404
    assert beta.post(f"{MEETINGS}/issues/{issue['id']}/case", json={}).status_code == 404


# --- meeting attendance -------------------------------------------------------------------------


def _attendance(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "held_on": "2026-02-20",
        "body": "peoples_council",
        "title": "Kỳ họp thứ 5 HĐND xã",
        "attended_by": "Chủ tịch UBMTTQ xã",
        **fields,
    }
    return caller.post(ATTENDANCE, json=body)


def test_attendance_crud_and_refusals(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    created = _attendance(staff, world)
    assert created.status_code == 201, created.get_json()
    row = created.get_json()
    assert row["body_label"] == "HĐND cùng cấp"
    other = _attendance(staff, world, body="party_committee", held_on="2026-01-05").get_json()
    assert ids(staff.get(ATTENDANCE)) == [row["id"], other["id"]]
    assert ids(staff.get(ATTENDANCE, query_string={"body": "party_committee"})) == [other["id"]]
    url = f"{ATTENDANCE}/{row['id']}"
    edited = _patch(staff, url, {"attended_by": "Phó Chủ tịch UBMTTQ xã"})
    assert edited.status_code == 200 and edited.get_json()["attended_by"].startswith("Phó")
    future = (clock.today() + dt.timedelta(days=1)).isoformat()
    assert set(field_errors(_attendance(staff, world, body="court"))) == {"body"}
    bad = _attendance(staff, world, held_on=future, title="", attended_by=" ")
    assert set(field_errors(bad)) == {"held_on", "title", "attended_by"}
    assert staff.delete(url).status_code == 428
    etag = staff.get(url).headers["ETag"]
    assert staff.delete(url, headers={"If-Match": etag}).status_code == 204
    assert staff.get(url).status_code == 404
    assert ids(staff.get(ATTENDANCE)) == [other["id"]]
    assert audit_count("alpha", object_type="meeting_attendances", action="delete") == 1


def test_attendance_is_scoped(world, as_user):
    staff = as_user("alpha", "x-staff")
    row = _attendance(staff, world).get_json()
    url = f"{ATTENDANCE}/{row['id']}"
    reader = as_user("alpha", "x-reader")
    assert reader.get(url).status_code == 200
    assert _attendance(reader, world).status_code == 403
    assert (
        reader.delete(url, headers={"If-Match": reader.get(url).headers["ETag"]}).status_code == 403
    )
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(url).status_code == 404 and ids(y_admin.get(ATTENDANCE)) == []
    assert _attendance(y_admin, world).status_code == 404
    beta = as_user("beta", "admin")
    assert beta.get(url).status_code == 404 and ids(beta.get(ATTENDANCE)) == []


# --- respected people ---------------------------------------------------------------------------


def _respected(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "area_id": world.alpha.area_x,
        "full_name": "Già làng Đinh Văn Hùng",
        "kind": "respected",
        "roles": ["key_keeper", "box_witness"],
        "contact": "0912 345 678",
        **fields,
    }
    return caller.post(RESPECTED, json=body)


def test_respected_people_register_masks_the_contact_in_lists(world, as_user):
    staff = as_user("alpha", "x-staff")
    created = _respected(staff, world)
    assert created.status_code == 201, created.get_json()
    person = created.get_json()
    assert person["roles"] == ["box_witness", "key_keeper"]  # catalogue order, no repeats
    assert person["contact"] == "0912 345 678"
    core = _respected(
        staff, world, full_name="Trần Thị Mai", kind="core_member", roles=["source"], contact=""
    ).get_json()
    listed = staff.get(RESPECTED).get_json()
    assert [p["full_name"] for p in listed] == ["Già làng Đinh Văn Hùng", "Trần Thị Mai"]
    assert listed[0]["contact_masked"] == "•••••••678"
    assert all("contact" not in p and "notes" not in p for p in listed)
    assert "0912" not in staff.get(RESPECTED).get_data(as_text=True)
    assert ids(staff.get(RESPECTED, query_string={"q": "dinh van"})) == [person["id"]]
    assert ids(staff.get(RESPECTED, query_string={"role": "key_keeper"})) == [person["id"]]
    assert ids(staff.get(RESPECTED, query_string={"kind": "core_member"})) == [core["id"]]
    url = f"{RESPECTED}/{core['id']}"
    retired = _patch(staff, url, {"is_active": False, "notes": "Chuyển nơi ở"})
    assert retired.status_code == 200 and retired.get_json()["is_active"] is False
    assert ids(staff.get(RESPECTED)) == [person["id"]]
    assert ids(staff.get(RESPECTED, query_string={"active": "false"})) == [core["id"]]


def test_respected_people_refusals(world, as_user):
    staff = as_user("alpha", "x-staff")
    assert set(field_errors(_respected(staff, world, kind="elder"))) == {"kind"}
    bad = _respected(staff, world, full_name=" ", roles=["judge"], area_id=world.alpha.commune_x)
    assert bad.status_code == 422
    assert set(field_errors(bad)) == {"full_name", "roles", "area_id"}
    # An area of another commune is refused, even for someone who sees both.
    admin = as_user("alpha", "admin")
    other_area = _respected(admin, world, area_id=world.alpha.area_y)
    assert set(field_errors(other_area)) == {"area_id"}
    assert ids(admin.get(RESPECTED)) == []


def test_respected_people_are_scoped(world, as_user):
    staff = as_user("alpha", "x-staff")
    person = _respected(staff, world).get_json()
    url = f"{RESPECTED}/{person['id']}"
    reader = as_user("alpha", "x-reader")
    assert reader.get(url).status_code == 200
    assert _respected(reader, world).status_code == 403
    assert _patch(reader, url, {"contact": "x"}).status_code == 403
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(url).status_code == 404 and ids(y_admin.get(RESPECTED)) == []
    assert _respected(y_admin, world).status_code == 404
    assert ids(as_user("alpha", "admin").get(RESPECTED)) == [person["id"]]
    beta = as_user("beta", "admin")
    assert beta.get(url).status_code == 404 and ids(beta.get(RESPECTED)) == []
