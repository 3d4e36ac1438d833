"""The case page's "people concerned" panel and the person page's cases: proposals wait for a
click, staff confirm, search, add a new person, unlink; readers and other communes cannot; a
letter's OCR text proposes too; a person's page never shows a reporter, even to a leader."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.cases.operations import receive_case
from giamsat.identity import Role
from giamsat.supervision import operations
from giamsat.supervision.models import CasePerson
from tests.plugins.pages import field_error, text_of

SECRET = {"name": "Hoàng Thị Kín Tiếng", "contact": "0912 345 678", "address": "Xóm Bí Mật"}


@pytest.fixture()
def person_and_case(tenant_session, principal_of, world, catalogue, reporter_keys):
    """Commune X: "Nguyễn Văn A" on the register, and a case naming him without accents,
    sent by a reporter who gave a name and a phone number."""
    principal = principal_of("alpha", "admin")
    with tenant_session("alpha") as session:
        person = operations.create_person(
            session,
            principal,
            unit_id=world.alpha.commune_x,
            full_name="Nguyễn Văn A",
            position="Chủ tịch UBND xã",
            tier="head",
            management_level="commune_standing_committee",
        )
        case = receive_case(
            session,
            principal,
            unit_id=world.alpha.commune_x,
            received_on=None,
            channel="in_person",
            kind="denunciation",
            title="Tố cáo nhận tiền khi cấp phép",
            content="Người dân phản ánh việc cấp phép xây dựng.",
            concerned="ông Nguyen Van A, chu tich xa",
            reporter_mode="open",
            reporter=SECRET,
        )
        session.commit()
        return person.id, case.id


@pytest.fixture()
def links(tenant_session):
    def count() -> int:
        with tenant_session("alpha") as session:
            return session.scalar(select(func.count()).select_from(CasePerson))

    return count


def _case_url(case_id: int) -> str:
    return f"/t/alpha/cases/{case_id}"


def test_staff_confirm_a_proposal_and_the_person_page_lists_the_case(
    pages, person_and_case, links, add_user, world
):
    person_id, case_id = person_and_case
    pages.login("alpha", "x-staff")
    page = text_of(pages.get(_case_url(case_id)))
    assert "Người bị phản ánh trong sổ giám sát" in page
    assert "Hồ sơ chưa gắn với người nào trong sổ giám sát." in page
    assert "Có thể là những người này" in page and "Nguyễn Văn A" in page
    assert "Trùng họ tên ở phần người bị phản ánh" in page
    assert links() == 0  # showing a proposal links nobody
    response = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/link",
        {"person_id": person_id},
        follow_redirects=True,
    )
    page = text_of(response)
    assert "Đã gắn “Nguyễn Văn A” với hồ sơ." in page
    assert "alpha-x-staff xác nhận" in page and "Gắn người trong sổ giám sát" in page
    assert "Có thể là những người này" not in page and links() == 1
    person_page = text_of(pages.get(f"/t/alpha/supervision/people/{person_id}"))
    assert "Tố cáo nhận tiền khi cấp phép" in person_page
    assert "Đã tiếp nhận" in person_page
    assert all(value not in person_page for value in SECRET.values())
    # A second click on a stale page: a plain sentence, nothing doubled.
    again = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/link",
        {"person_id": person_id},
        follow_redirects=True,
    )
    assert "“Nguyễn Văn A” đã được gắn với hồ sơ này." in text_of(again) and links() == 1
    # Unlink.
    response = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/{person_id}/unlink", follow_redirects=True
    )
    assert "Đã bỏ gắn “Nguyễn Văn A” khỏi hồ sơ." in text_of(response) and links() == 0


def test_a_leader_who_may_unmask_still_sees_no_reporter_on_the_person_page(
    pages, person_and_case, add_user, world
):
    person_id, case_id = person_and_case
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    pages.login("alpha", "x-leader")
    pages.post(f"/t/alpha/supervision/cases/{case_id}/people/link", {"person_id": person_id})
    html = pages.get(f"/t/alpha/supervision/people/{person_id}").get_data(as_text=True)
    assert "Tố cáo nhận tiền khi cấp phép" in html
    assert all(value not in html for value in SECRET.values())


def test_search_and_add_a_new_person_from_the_text(pages, person_and_case, links, people_count):
    _person_id, case_id = person_and_case
    pages.login("alpha", "x-staff")
    found = text_of(pages.get(_case_url(case_id) + "?tim_nguoi=nguyen van"))
    assert "Nguyễn Văn A" in found and "Gắn người này" in found
    page = pages.get(_case_url(case_id)).get_data(as_text=True)
    assert "people/new?name=Nguyen+Van+A" in page or "people/new?name=Nguyen%20Van%20A" in page
    form = text_of(pages.get(f"/t/alpha/supervision/cases/{case_id}/people/new?name=Lê Thị Mai"))
    assert "Thêm người vào sổ giám sát và gắn với hồ sơ" in form
    before = people_count()
    # A missing tier: the page says so in Vietnamese and keeps what was typed.
    bad = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/new",
        {"unit_id": pages.world.alpha.commune_x, "full_name": "Lê Thị Mai", "tier": ""},
    )
    assert bad.status_code == 422 and field_error(bad, "tier")
    assert 'value="Lê Thị Mai"' in bad.get_data(as_text=True)
    assert people_count() == before and links() == 0
    response = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/new",
        {
            "unit_id": pages.world.alpha.commune_x,
            "full_name": "Lê Thị Mai",
            "position": "Kế toán",
            "tier": "cadre",
            "management_level": "other",
        },
        follow_redirects=True,
    )
    assert "Đã thêm “Lê Thị Mai” vào sổ và gắn với hồ sơ." in text_of(response)
    assert people_count() == before + 1 and links() == 1


def test_readers_and_other_communes_cannot_link(pages, person_and_case, links, add_user, world):
    person_id, case_id = person_and_case
    pages.login("alpha", "x-reader")
    page = text_of(pages.get(_case_url(case_id)))
    assert "Người bị phản ánh trong sổ giám sát" in page and "Đúng người này" not in page
    refused = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/link", {"person_id": person_id}
    )
    assert refused.status_code == 403 and links() == 0
    pages.post("/t/alpha/logout")
    pages.login("alpha", "y-admin")
    hidden = pages.post(
        f"/t/alpha/supervision/cases/{case_id}/people/link", {"person_id": person_id}
    )
    assert hidden.status_code == 404 and links() == 0
    assert pages.get(f"/t/alpha/supervision/cases/{case_id}/people/new").status_code == 404


def test_a_letters_ocr_text_proposes_the_person(
    pages, tenant_session, principal_of, world, catalogue, reporter_keys
):
    from giamsat.letters.case_text import fill_case

    principal = principal_of("alpha", "admin")
    with tenant_session("alpha") as session:
        operations.create_person(
            session,
            principal,
            unit_id=world.alpha.commune_x,
            full_name="Trần Văn Bảo",
            position="Trưởng thôn Một",
            tier="key_cadre",
        )
        case = receive_case(
            session,
            principal,
            unit_id=world.alpha.commune_x,
            received_on=None,
            channel="suggestion_box",
            kind="petition",
            title="Thư trong hòm thư",
            content="(đang chờ nhận dạng chữ)",
        )
        assert fill_case(session, case, "V/v phản ánh trưởng thôn\nÔng TRAN VAN BAO thu tiền.")
        session.commit()
        case_id = case.id
    pages.login("alpha", "x-staff")
    page = text_of(pages.get(_case_url(case_id)))
    assert "Trần Văn Bảo" in page and "Trùng họ tên trong nội dung" in page
