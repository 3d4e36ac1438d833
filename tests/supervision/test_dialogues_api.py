"""Dialogues (đối thoại): issues raised, commitments followed up until kept or broken."""

from __future__ import annotations

import datetime as dt

from giamsat.core import clock
from tests.plugins.api import ids


def _dialogue(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "title": "Đối thoại về đất đai",
        "held_on": "2026-03-10",
        "place": "Nhà văn hóa",
        "chaired_by": "Chủ tịch UBMTTQ xã",
        "heads_present": "Bí thư Đảng ủy, Chủ tịch UBND",
        "participants_count": 120,
        "status": "held",
        **fields,
    }
    return caller.post("supervision/dialogues", json=body)


def test_issues_and_commitments_are_followed_up(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    created = _dialogue(staff, world)
    assert created.status_code == 201, created.get_json()
    dialogue = created.get_json()
    url = f"supervision/dialogues/{dialogue['id']}"
    issue = staff.post(
        url + "/issues",
        json={"content": "Chậm cấp giấy chứng nhận QSDĐ", "answer": "UBND xã sẽ rà soát"},
    ).get_json()
    late = staff.post(
        url + "/commitments",
        json={
            "content": "Cấp xong giấy chứng nhận cho 12 hộ",
            "responsible": "Chủ tịch UBND xã",
            "due_on": "2026-06-30",
            "issue_id": issue["id"],
        },
    )
    assert late.status_code == 201
    late = late.get_json()
    later = staff.post(
        url + "/commitments", json={"content": "Công khai quy hoạch", "due_on": "2099-01-01"}
    ).get_json()
    body = staff.get(url).get_json()
    assert [i["id"] for i in body["issues"]] == [issue["id"]]
    assert [c["id"] for c in body["commitments"]] == [late["id"], later["id"]]
    assert late["is_overdue"] is True and later["is_overdue"] is False

    province = as_user("alpha", "admin")
    assert ids(
        province.get(
            "supervision/commitments",
            query_string={"unit_id": world.alpha.province, "overdue": "true"},
        )
    ) == [late["id"]]

    report = f"supervision/commitments/{late['id']}/report"
    assert staff.post(report, json={"status": "open", "report": "x"}).status_code == 422
    assert staff.post(report, json={"status": "broken", "report": " "}).status_code == 422
    broken = staff.post(
        report,
        json={
            "status": "broken",
            "reported_on": "2026-07-15",
            "report": "Đến hạn mới cấp được 5/12 hộ.",
        },
    )
    assert broken.status_code == 200
    assert (broken.get_json()["status"], broken.get_json()["is_overdue"]) == ("broken", False)
    assert staff.post(report, json={"status": "kept", "report": "x"}).status_code == 409
    kept = staff.post(
        f"supervision/commitments/{later['id']}/report",
        json={"status": "kept", "report": "Đã niêm yết."},
    )
    assert kept.get_json()["status"] == "kept"
    assert ids(province.get("supervision/commitments", query_string={"overdue": "true"})) == []
    assert audit_count("alpha", object_type="dialogue_commitments", action="report") == 2
    assert audit_count("alpha", object_type="dialogues", action="create") == 1
    assert audit_count("alpha", object_type="dialogue_issues", action="create") == 1


def test_dialogue_rules(world, as_user):
    staff = as_user("alpha", "x-staff")
    future = (clock.today() + dt.timedelta(days=10)).isoformat()
    assert _dialogue(staff, world, held_on=future).status_code == 422  # not held yet
    scheduled = _dialogue(staff, world, held_on=future, status="scheduled")
    assert scheduled.status_code == 201
    dialogue = scheduled.get_json()
    url = f"supervision/dialogues/{dialogue['id']}"
    assert (
        staff.post(url + "/commitments", json={"content": "x", "due_on": "2020-01-01"}).status_code
        == 422
    )
    assert (
        staff.post(url + "/commitments", json={"content": "x", "issue_id": 987654}).status_code
        == 422
    )
    assert staff.patch(url, json={"status": "cancelled"}).status_code == 428
    etag = staff.get(url).headers["ETag"]
    patched = staff.patch(url, json={"status": "cancelled"}, headers={"If-Match": etag})
    assert patched.status_code == 200 and patched.get_json()["status"] == "cancelled"
    assert _dialogue(staff, world, participants_count=-1).status_code == 422


def test_dialogues_are_scoped_and_readonly_cannot_write(world, as_user):
    staff = as_user("alpha", "x-staff")
    dialogue = _dialogue(staff, world).get_json()
    commitment = staff.post(
        f"supervision/dialogues/{dialogue['id']}/commitments", json={"content": "x"}
    ).get_json()
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"supervision/dialogues/{dialogue['id']}").status_code == 200
    assert _dialogue(reader, world).status_code == 403
    assert (
        reader.post(
            f"supervision/dialogues/{dialogue['id']}/issues", json={"content": "x"}
        ).status_code
        == 403
    )
    assert (
        reader.post(
            f"supervision/commitments/{commitment['id']}/report",
            json={"status": "kept", "report": "x"},
        ).status_code
        == 403
    )
    y_admin = as_user("alpha", "y-admin")
    assert y_admin.get(f"supervision/dialogues/{dialogue['id']}").status_code == 404
    assert y_admin.get(f"supervision/commitments/{commitment['id']}").status_code == 404
    assert (
        y_admin.post(
            f"supervision/commitments/{commitment['id']}/report",
            json={"status": "kept", "report": "x"},
        ).status_code
        == 404
    )
    assert _dialogue(y_admin, world).status_code == 404
    assert ids(y_admin.get("supervision/dialogues")) == []
    assert ids(as_user("beta", "admin").get("supervision/commitments")) == []
