"""Create and edit through the forms (with CSRF): plain flash messages, errors next to the
fields, nothing half-saved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from giamsat.core import clock
from giamsat.supervision.models import (
    CommitmentStatus,
    Dialogue,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionPlan,
)
from tests.plugins.pages import field_error, text_of

PREFIX = "/t/alpha/supervision"

PERSON = {
    "full_name": "Phạm Thị Hoa",
    "birth_year": "1979",
    "position": "Chủ tịch Hội LHPN xã",
    "tier": "key_cadre",
    "management_level": "commune_party_committee",
    "workplace_agency": "Hội LHPN xã Đông",
    "workplace_unit": "",
    "residence": "",
    "residence_area_id": "",
    "is_party_member": "y",
    "notes": "",
}


def _one(tenant_session, stmt):
    with tenant_session("alpha") as session:
        return session.scalars(stmt).one_or_none()


def test_add_and_edit_a_person(pages, world, tenant_session, audit_count):
    pages.login("alpha", "x-staff")
    data = PERSON | {"unit_id": world.alpha.commune_x, "residence_area_id": world.alpha.area_x}
    response = pages.post(f"{PREFIX}/people/new", data, follow_redirects=True)
    assert response.status_code == 200
    assert "Đã thêm “Phạm Thị Hoa” vào danh sách giám sát." in text_of(response)
    person = _one(
        tenant_session, select(SupervisedPerson).where(SupervisedPerson.full_name == "Phạm Thị Hoa")
    )
    assert person.birth_year == 1979 and person.is_party_member
    assert person.residence_area_id == world.alpha.area_x
    assert audit_count("alpha", object_type="supervised_people", action="create") == 1
    edited = pages.post(
        f"{PREFIX}/people/{person.id}/edit",
        PERSON | {"position": "Phó Chủ tịch UBMTTQ xã", "is_active": "y"},
        follow_redirects=True,
    )
    assert "Đã lưu thông tin “Phạm Thị Hoa”." in text_of(edited)
    assert "Phó Chủ tịch UBMTTQ xã" in text_of(edited)


def test_bad_person_input_shows_the_message_next_to_the_field_and_saves_nothing(
    pages, world, people_count
):
    pages.login("alpha", "x-staff")
    before = people_count("alpha")
    response = pages.post(
        f"{PREFIX}/people/new", PERSON | {"unit_id": world.alpha.commune_x, "full_name": "  "}
    )
    assert response.status_code == 422
    assert "Hãy nhập họ và tên." in field_error(response, "full_name")
    response = pages.post(
        f"{PREFIX}/people/new", PERSON | {"unit_id": world.alpha.commune_x, "birth_year": "19x5"}
    )
    assert response.status_code == 422
    assert "Hãy nhập một số nguyên" in field_error(response, "birth_year")
    response = pages.post(
        f"{PREFIX}/people/new", PERSON | {"unit_id": world.alpha.commune_x, "tier": "boss"}
    )
    assert response.status_code == 422 and "Giá trị không hợp lệ" in field_error(response, "tier")
    assert people_count("alpha") == before
    # A duplicate (same name, birth year and workplace) is refused, with the reason.
    pages.post(f"{PREFIX}/people/new", PERSON | {"unit_id": world.alpha.commune_x})
    twin = pages.post(f"{PREFIX}/people/new", PERSON | {"unit_id": world.alpha.commune_x})
    assert twin.status_code == 409 and "đã có trong danh sách" in field_error(twin, "full_name")
    assert people_count("alpha") == before + 1


def test_staff_cannot_write_into_another_communes_register(pages, world, people_count):
    pages.login("alpha", "x-staff")
    response = pages.post(f"{PREFIX}/people/new", PERSON | {"unit_id": world.alpha.commune_y})
    assert response.status_code == 404
    assert people_count("alpha") == 0


def test_assign_and_end_an_assignment_keeps_history(pages, register, world, tenant_session):
    pages.login("alpha", "x-staff")
    person_id = register["x"].person
    response = pages.post(
        f"{PREFIX}/people/{person_id}/assign",
        {
            "organization_id": world.alpha.org_mttq,
            "place": "residence",
            "valid_from": "01/07/2025",
            "note": "Theo phụ lục",
        },
        follow_redirects=True,
    )
    assert "Đã phân công giám sát “Nguyễn Văn X”." in text_of(response)
    # The same organization at the same place twice: refused, next to the field.
    again = pages.post(
        f"{PREFIX}/people/{person_id}/assign",
        {"organization_id": world.alpha.org_mttq, "place": "residence"},
    )
    assert again.status_code == 409 and "đang được phân công" in field_error(
        again, "organization_id"
    )
    bad = pages.post(
        f"{PREFIX}/assignments/{register['x'].assignment}/end", {"valid_to": "31/02/2025"}
    )
    assert bad.status_code == 422 and "Ngày không hợp lệ" in field_error(bad, "valid_to")
    ended = pages.post(
        f"{PREFIX}/assignments/{register['x'].assignment}/end",
        {"valid_to": "", "note": "Chuyển công tác"},
        follow_redirects=True,
    )
    assert "Đã kết thúc phân công giám sát" in text_of(ended)
    with tenant_session("alpha") as session:
        rows = session.scalars(
            select(SupervisionAssignment).where(SupervisionAssignment.person_id == person_id)
        ).all()
    assert len(rows) == 2 and sum(r.valid_to is None for r in rows) == 1


def test_plan_create_and_approve(pages, world, tenant_session, leader):
    pages.login("alpha", "x-staff")
    data = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "year": "2030",
        "title": "Kế hoạch giám sát năm 2030",
        "content": "Nội dung",
    }
    bad = pages.post(f"{PREFIX}/plans/new", data | {"year": "hai nghìn"})
    assert bad.status_code == 422 and field_error(bad, "year")
    created = pages.post(f"{PREFIX}/plans/new", data, follow_redirects=True)
    assert "Đã thêm kế hoạch “Kế hoạch giám sát năm 2030”." in text_of(created)
    plan = _one(tenant_session, select(SupervisionPlan).where(SupervisionPlan.year == 2030))
    plan_page = pages.get(f"{PREFIX}/plans/{plan.id}").get_data(as_text=True)
    assert f"/plans/{plan.id}/approve" not in plan_page and 'id="who-approves"' in plan_page
    twice = pages.post(f"{PREFIX}/plans/new", data)
    assert twice.status_code == 409 and "năm 2030" in field_error(twice, "year")
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    pages.login("alpha", leader)
    approved = pages.post(f"{PREFIX}/plans/{plan.id}/approve", follow_redirects=True)
    assert "Đã duyệt kế hoạch" in text_of(approved)
    plan = _one(tenant_session, select(SupervisionPlan).where(SupervisionPlan.id == plan.id))
    assert plan.status == PlanStatus.approved


def test_activity_with_people_and_a_comment(pages, register, world, tenant_session):
    pages.login("alpha", "x-staff")
    data = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "plan_id": "",
        "kind": "dissemination_conference",
        "title": "Hội nghị quán triệt QĐ 124",
        "starts_on": "2025-09-10",
        "ends_on": "",
        "participants_count": "120",
        "participants": "Cán bộ, đảng viên toàn xã",
        "findings": "",
        "person_ids": [str(register["x"].person)],
    }
    bad = pages.post(f"{PREFIX}/activities/new", data | {"ends_on": "2025-09-01"})
    assert bad.status_code == 422
    assert "Ngày kết thúc không được trước ngày bắt đầu." in field_error(bad, "ends_on")
    created = pages.post(f"{PREFIX}/activities/new", data, follow_redirects=True)
    assert "Đã ghi nhận hoạt động “Hội nghị quán triệt QĐ 124”." in text_of(created)
    activity = _one(
        tenant_session,
        select(SupervisionActivity).where(
            SupervisionActivity.title == "Hội nghị quán triệt QĐ 124"
        ),
    )
    assert activity.participants_count == 120 and activity.ends_on == dt.date(2025, 9, 10)
    url = f"{PREFIX}/activities/{activity.id}/comments/new"
    empty = pages.post(url, {"person_id": "", "content": ""})
    assert empty.status_code == 422 and field_error(empty, "content")
    commented = pages.post(
        url,
        {"person_id": str(register["x"].person), "content": "Giữ mối liên hệ với nơi cư trú"},
        follow_redirects=True,
    )
    assert "Đã ghi ý kiến góp ý." in text_of(commented)
    person_page = text_of(pages.get(f"{PREFIX}/people/{register['x'].person}"))
    assert "Giữ mối liên hệ với nơi cư trú" in person_page
    assert "Hội nghị quán triệt QĐ 124" in person_page


def test_recommendation_due_in_working_days_answer_and_reminder(
    pages, register, world, tenant_session
):
    pages.login("alpha", "x-staff")
    data = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "activity_id": "",
        "person_id": "",
        "addressee_kind": "authority",
        "addressee_name": "UBND xã Đông",
        "content": "Công khai danh sách hộ nghèo",
        "issued_on": "",
        "expected_answer": "accept",
    }
    missing = pages.post(f"{PREFIX}/recommendations/new", data | {"addressee_name": ""})
    assert missing.status_code == 422 and field_error(missing, "addressee_name")
    created = pages.post(f"{PREFIX}/recommendations/new", data, follow_redirects=True)
    assert "Đã ghi kiến nghị gửi UBND xã Đông; hạn trả lời" in text_of(created)
    rec = _one(
        tenant_session,
        select(Recommendation).where(Recommendation.addressee_name == "UBND xã Đông"),
    )
    from giamsat.core.workdays import NATIONAL

    assert rec.due_on == NATIONAL.add_working_days(clock.today(), 20)
    base = f"{PREFIX}/recommendations/{rec.id}"
    reminded = pages.post(
        f"{base}/remind", {"reminded_on": "", "note": "Gọi điện đôn đốc"}, follow_redirects=True
    )
    assert "Đã ghi lần đôn đốc." in text_of(reminded) and "Gọi điện đôn đốc" in text_of(reminded)
    early = pages.post(
        f"{base}/answer",
        {"outcome": "accept", "answer": "Đã công khai", "answered_on": "01/01/2020"},
    )
    assert early.status_code == 422 and field_error(early, "answered_on")
    answered = pages.post(
        f"{base}/answer",
        {"outcome": "accept", "answer": "Đã công khai", "answered_on": ""},
        follow_redirects=True,
    )
    assert "Đã ghi nhận trả lời kiến nghị." in text_of(answered)
    rec = _one(tenant_session, select(Recommendation).where(Recommendation.id == rec.id))
    assert rec.status == RecommendationStatus.answered_accepted
    # Once answered, there is nothing left to answer or chase.
    assert "Ghi trả lời" not in text_of(pages.get(base))


def test_dialogue_issue_commitment_and_follow_up(pages, world, tenant_session):
    pages.login("alpha", "x-staff")
    data = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "title": "Đối thoại với Bí thư Đảng ủy xã",
        "held_on": "2025-10-05",
        "place": "Nhà văn hóa thôn Một",
        "status": "held",
        "chaired_by": "Chủ tịch UBMTTQ xã",
        "heads_present": "Bí thư Đảng ủy, Chủ tịch UBND",
        "participants_count": "-3",
        "participants": "",
        "summary": "",
    }
    bad = pages.post(f"{PREFIX}/dialogues/new", data)
    assert bad.status_code == 422 and field_error(bad, "participants_count")
    assert _one(tenant_session, select(Dialogue)) is None
    created = pages.post(
        f"{PREFIX}/dialogues/new", data | {"participants_count": "85"}, follow_redirects=True
    )
    assert "Đã lên lịch đối thoại" in text_of(created)
    dialogue = _one(tenant_session, select(Dialogue))
    base = f"{PREFIX}/dialogues/{dialogue.id}"
    pages.post(f"{base}/issues/new", {"content": "Đường liên thôn xuống cấp", "answer": ""})
    issue_id = _one(tenant_session, select(Dialogue)).issues[0].id
    early = pages.post(
        f"{base}/commitments/new",
        {
            "issue_id": str(issue_id),
            "content": "Sửa đường",
            "responsible": "UBND xã",
            "due_on": "2025-01-01",
        },
    )
    assert early.status_code == 422 and field_error(early, "due_on")
    pages.post(
        f"{base}/commitments/new",
        {
            "issue_id": str(issue_id),
            "content": "Sửa đường",
            "responsible": "UBND xã",
            "due_on": "2025-12-31",
        },
    )
    commitment = _one(tenant_session, select(Dialogue)).commitments[0]
    page = text_of(pages.get(base))
    assert "Đường liên thôn xuống cấp" in page and "Sửa đường" in page
    reported = pages.post(
        f"{PREFIX}/commitments/{commitment.id}/report",
        {"status": "broken", "report": "Chưa sửa, đã báo cáo Đảng ủy", "reported_on": ""},
        follow_redirects=True,
    )
    assert "Đã ghi kết quả theo dõi cam kết." in text_of(reported)
    assert "Không thực hiện" in text_of(reported)
    commitment = _one(tenant_session, select(Dialogue)).commitments[0]
    assert commitment.status == CommitmentStatus.broken
