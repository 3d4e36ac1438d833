"""Pages of the channels: a voter meeting recorded, an issue answered and opened as a case,
meeting attendance, respected people with their contact masked; read-only and scoped."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from giamsat.supervision.channels import meetings, registers
from tests.plugins.pages import field_error, text_of

PREFIX = "/t/alpha/supervision"


@pytest.fixture()
def records(tenant_session, principal_of, world):
    """One meeting with an issue, one attendance and one respected person at alpha's commune X;
    the same at beta's commune X."""
    built = {}
    for slug in ("alpha", "beta"):
        tenant = getattr(world, slug)
        principal = principal_of(slug, "admin")
        with tenant_session(slug) as session:
            meeting = meetings.create_meeting(
                session,
                principal,
                unit_id=tenant.commune_x,
                kind="voter_meeting",
                held_on=dt.date(2026, 3, 10),
                place=f"Nhà văn hóa {slug}",
            )
            issue = meetings.add_issue(session, principal, meeting.id, content="Đường hỏng")
            attendance = registers.record_attendance(
                session,
                principal,
                unit_id=tenant.commune_x,
                held_on=dt.date(2026, 2, 20),
                body="peoples_council",
                title="Kỳ họp thứ 5 HĐND xã",
                attended_by="Chủ tịch UBMTTQ xã",
            )
            person = registers.add_respected(
                session,
                principal,
                unit_id=tenant.commune_x,
                area_id=tenant.area_x,
                full_name=f"Già làng Đinh Văn Hùng {slug}",
                kind="respected",
                roles=["key_keeper"],
                contact="0912 345 678",
            )
            session.commit()
            built[slug] = dict(
                meeting=meeting.id, issue=issue.id, attendance=attendance.id, person=person.id
            )
    return built


def _urls(rec) -> dict[str, str]:
    return {
        f"{PREFIX}/voter-meetings": "Tiếp xúc cử tri, lấy ý kiến Nhân dân",
        f"{PREFIX}/voter-meetings/{rec['meeting']}": "Ý kiến, kiến nghị của cử tri",
        f"{PREFIX}/meeting-attendance": "Dự họp cấp ủy, HĐND, UBND cùng cấp",
        f"{PREFIX}/respected-people": "Người có uy tín, lực lượng cốt cán",
        f"{PREFIX}/respected-people/{rec['person']}": "Già làng Đinh Văn Hùng alpha",
    }


def _form_urls(rec) -> list[str]:
    return [
        f"{PREFIX}/voter-meetings/new",
        f"{PREFIX}/voter-meetings/{rec['meeting']}/edit",
        f"{PREFIX}/voter-meetings/{rec['meeting']}/issues/new",
        f"{PREFIX}/voter-meetings/issues/{rec['issue']}/edit",
        f"{PREFIX}/voter-meetings/issues/{rec['issue']}/case",
        f"{PREFIX}/voter-meetings/issues/{rec['issue']}/recommendation",
        f"{PREFIX}/meeting-attendance/new",
        f"{PREFIX}/meeting-attendance/{rec['attendance']}/edit",
        f"{PREFIX}/respected-people/new",
        f"{PREFIX}/respected-people/{rec['person']}/edit",
    ]


def test_every_channel_page_renders_for_staff(pages, records):
    pages.login("alpha", "x-staff")
    rec = records["alpha"]
    for url, heading in _urls(rec).items():
        response = pages.get(url)
        assert response.status_code == 200, url
        assert heading in text_of(response), url
    for url in _form_urls(rec):
        response = pages.get(url)
        assert response.status_code == 200, url
        assert 'name="csrf_token"' in response.get_data(as_text=True), url
    assert "Tiếp xúc cử tri, lấy ý kiến" in text_of(pages.get(f"{PREFIX}/dialogues"))


def test_staff_records_a_meeting_answers_an_issue_and_opens_a_case(pages, world):
    pages.login("alpha", "x-staff")
    refused = pages.post(
        f"{PREFIX}/voter-meetings/new",
        {"unit_id": world.alpha.commune_x, "kind": "voter_meeting", "held_on": "10/03/2026"},
    )
    assert refused.status_code == 422
    assert field_error(refused, "place") == "Hãy nhập địa điểm."
    created = pages.post(
        f"{PREFIX}/voter-meetings/new",
        {
            "unit_id": world.alpha.commune_x,
            "kind": "opinion_collection",
            "held_on": "10/03/2026",
            "place": "Hội trường UBND xã",
            "participants_count": "60",
        },
    )
    assert created.status_code == 302
    meeting_url = created.headers["Location"]
    added = pages.post(
        meeting_url + "/issues/new",
        {"content": "Cử tri phản ánh thu phí chợ sai quy định", "forwarded_to": "UBND xã"},
    )
    assert added.status_code == 302
    html = pages.get(meeting_url).get_data(as_text=True)
    issue_id = int(re.search(r'id="issue-(\d+)"', html).group(1))
    answered = pages.post(
        f"{PREFIX}/voter-meetings/issues/{issue_id}/edit",
        {
            "content": "Cử tri phản ánh thu phí chợ sai quy định",
            "forwarded_to": "UBND xã",
            "answer": "Đã chỉ đạo thu đúng mức",
            "answered_on": "20/03/2026",
        },
    )
    assert answered.status_code == 302
    opened = pages.post(
        f"{PREFIX}/voter-meetings/issues/{issue_id}/case", {"kind": "petition", "title": ""}
    )
    assert opened.status_code == 302 and "/cases/" in opened.headers["Location"]
    case_page = text_of(pages.get(opened.headers["Location"]))
    assert "Cử tri phản ánh thu phí chợ sai quy định" in case_page
    assert "Từ ý kiến của cử tri Lấy ý kiến Nhân dân 10/03/2026 · Hội trường UBND xã" in case_page
    text = text_of(pages.get(meeting_url))
    assert "Đã chỉ đạo thu đúng mức" in text and "Hồ sơ vụ việc" in text and "Mở hồ sơ" not in text


def test_attendance_and_respected_people_pages(pages, world, records):
    pages.login("alpha", "x-staff")
    created = pages.post(
        f"{PREFIX}/meeting-attendance/new",
        {
            "unit_id": world.alpha.commune_x,
            "held_on": "05/01/2026",
            "body": "party_committee",
            "title": "Hội nghị Ban Chấp hành Đảng bộ xã",
            "attended_by": "Chủ tịch UBMTTQ xã",
        },
    )
    assert created.status_code == 302
    listed = text_of(pages.get(f"{PREFIX}/meeting-attendance"))
    assert "Hội nghị Ban Chấp hành Đảng bộ xã" in listed and "Cấp ủy cùng cấp" in listed
    deleted = pages.post(f"{PREFIX}/meeting-attendance/{records['alpha']['attendance']}/delete")
    assert deleted.status_code == 302
    assert "Kỳ họp thứ 5 HĐND xã" not in text_of(pages.get(f"{PREFIX}/meeting-attendance"))

    listed = pages.get(f"{PREFIX}/respected-people").get_data(as_text=True)
    assert "Già làng Đinh Văn Hùng alpha" in listed and "•••••••678" in listed
    assert "0912" not in listed  # the contact is personal data: masked in the list
    person = text_of(pages.get(f"{PREFIX}/respected-people/{records['alpha']['person']}"))
    assert "0912 345 678" in person and "Giữ chìa khóa hòm thư" in person
    added = pages.post(
        f"{PREFIX}/respected-people/new",
        {
            "unit_id": world.alpha.commune_x,
            "area_id": world.alpha.area_x,
            "full_name": "Trần Thị Mai",
            "kind": "core_member",
            "role_source": "y",
            "role_box_witness": "y",
        },
    )
    assert added.status_code == 302
    text = text_of(pages.get(added.headers["Location"]))
    assert "Lực lượng cốt cán" in text and "Chứng kiến mở hòm thư; Cung cấp thông tin" in text


def test_channel_pages_are_read_only_for_readers_and_scoped(pages, records):
    rec = records["alpha"]
    pages.login("alpha", "x-reader")
    for url in _urls(rec):
        assert pages.get(url).status_code == 200, url
    for url in _form_urls(rec):
        assert pages.get(url).status_code == 403, url
    assert pages.post(f"{PREFIX}/meeting-attendance/{rec['attendance']}/delete").status_code == 403
    pages.post("/t/alpha/logout")
    pages.login("alpha", "y-admin")
    hidden = [
        f"{PREFIX}/voter-meetings/{rec['meeting']}",
        f"{PREFIX}/respected-people/{rec['person']}",
        *_form_urls(rec)[1:6],
        f"{PREFIX}/meeting-attendance/{rec['attendance']}/edit",
        f"{PREFIX}/respected-people/{rec['person']}/edit",
    ]
    for url in hidden:
        assert pages.get(url).status_code == 404, url
    assert "Già làng" not in text_of(pages.get(f"{PREFIX}/respected-people"))
    assert "Nhà văn hóa" not in text_of(pages.get(f"{PREFIX}/voter-meetings"))
    assert "Kỳ họp thứ 5" not in text_of(pages.get(f"{PREFIX}/meeting-attendance"))
    pages.post("/t/alpha/logout")
    pages.login("beta", "admin")
    listed = text_of(pages.get("/t/beta/supervision/voter-meetings"))
    assert "Nhà văn hóa beta" in listed and "Nhà văn hóa alpha" not in listed
    people = text_of(pages.get("/t/beta/supervision/respected-people"))
    assert "Hùng beta" in people and "Hùng alpha" not in people
