"""The boards' pages: add a Ban TTND for a term, its members, its own activity recorded from
its page; plain Vietnamese errors next to the fields; readers see but do not change."""

from __future__ import annotations

from sqlalchemy import select

from giamsat.supervision.board_models import BoardMember, SupervisionBoard
from giamsat.supervision.models import SupervisionActivity
from tests.plugins.pages import field_error, text_of

PREFIX = "/t/alpha/supervision"


def _one(tenant_session, stmt):
    with tenant_session("alpha") as session:
        return session.scalars(stmt).one_or_none()


def test_a_board_its_members_and_its_own_activity(pages, world, tenant_session):
    pages.login("alpha", "x-staff")
    board_form = {
        "unit_id": world.alpha.commune_x,
        "kind": "ttnd",
        "term_start_year": "2024",
        "term_end_year": "2029",
        "decision": "Quyết định số 05/QĐ-MTTQ",
        "note": "",
    }
    bad = pages.post(f"{PREFIX}/boards/new", board_form | {"term_end_year": "2020"})
    assert bad.status_code == 422
    assert (
        field_error(bad, "term_end_year") == "Năm kết thúc nhiệm kỳ không được trước năm bắt đầu."
    )
    created = pages.post(f"{PREFIX}/boards/new", board_form, follow_redirects=True)
    assert "Đã thêm ban, nhiệm kỳ 2024–2029." in text_of(created)
    board = _one(tenant_session, select(SupervisionBoard))
    assert board.unit_id == world.alpha.commune_x

    member = {"full_name": "Nguyễn Văn An", "role": "head", "from_on": "", "to_on": "", "note": ""}
    url = f"{PREFIX}/boards/{board.id}/members/new"
    assert pages.post(url, member | {"full_name": ""}).status_code == 422
    added = pages.post(url, member, follow_redirects=True)
    assert "Đã thêm “Nguyễn Văn An” vào ban." in text_of(added)
    assert "Trưởng ban" in text_of(added) and "Đang tham gia" in text_of(added)
    person = _one(tenant_session, select(BoardMember))
    left = pages.post(
        f"{PREFIX}/boards/members/{person.id}/edit",
        member | {"to_on": "2025-06-30"},
        follow_redirects=True,
    )
    assert "30/06/2025" in text_of(left)

    # From the board's page: the form comes with the board and Ban TTND's kind chosen.
    form = pages.get(f"{PREFIX}/activities/new?board={board.id}").get_data(as_text=True)
    assert f'<option selected value="{board.id}">' in form
    assert '<option selected value="via_peoples_inspection">' in form
    activity = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "plan_id": "",
        "kind": "thematic",
        "title": "Giám sát thu, chi quỹ",
        "starts_on": "2026-03-02",
        "ends_on": "",
        "participants_count": "5",
        "participants": "",
        "findings": "",
        "board_id": str(board.id),
        "department_id": "",
    }
    wrong_kind = pages.post(f"{PREFIX}/activities/new", activity)
    assert wrong_kind.status_code == 422
    assert "Giám sát qua Ban Thanh tra nhân dân" in field_error(wrong_kind, "kind")
    recorded = pages.post(
        f"{PREFIX}/activities/new",
        activity | {"kind": "via_peoples_inspection"},
        follow_redirects=True,
    )
    assert "Đã ghi nhận hoạt động “Giám sát thu, chi quỹ”." in text_of(recorded)
    assert "Việc của ban Ban Thanh tra nhân dân 2024–2029" in text_of(recorded)
    saved = _one(tenant_session, select(SupervisionActivity))
    assert saved.board_id == board.id
    board_page = text_of(pages.get(f"{PREFIX}/boards/{board.id}"))
    assert "Giám sát thu, chi quỹ" in board_page
    listed = text_of(pages.get(f"{PREFIX}/boards"))
    assert "Ban Thanh tra nhân dân" in listed and "2024–2029" in listed


def test_readers_see_the_boards_without_the_buttons(pages, world, as_user):
    board = as_user("alpha", "x-staff").post(
        "supervision/boards",
        json={
            "unit_id": world.alpha.commune_x,
            "kind": "gsdtcd",
            "term_start_year": 2024,
            "term_end_year": 2029,
        },
    )
    board_id = board.get_json()["id"]
    pages.login("alpha", "x-reader")
    page = text_of(pages.get(f"{PREFIX}/boards/{board_id}"))
    assert "Ban Giám sát đầu tư của cộng đồng" in page and "Thêm thành viên" not in page
    assert pages.get(f"{PREFIX}/boards/{board_id}/members/new").status_code == 403
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    pages.login("alpha", "y-admin")
    assert pages.get(f"{PREFIX}/boards/{board_id}").status_code == 404
