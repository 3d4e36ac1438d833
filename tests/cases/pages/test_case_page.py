"""The case page: each workflow action through its form, refusals with their reason, roles."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from giamsat.cases.models import Case, CaseEvent, CaseStatus
from giamsat.identity import Role
from tests.plugins.hostile import clean_pdf
from tests.plugins.pages import field_error, text_of


def _status(tenant_session, case_id) -> CaseStatus:
    session = tenant_session("alpha")
    session.expire_all()
    return session.get(Case, case_id).status


def _act(pages, case, action, data=None, **kwargs):
    fields = {f"{action}-{k}": v for k, v in (data or {}).items()}
    if action in ("close", "forward"):  # the "Tôi đã kiểm tra" box of a step with no way back
        fields.setdefault(f"{action}-checked", "y")
    return pages.post(f"/t/alpha/cases/{case.id}/{action}", fields, **kwargs)


def _flash_after(pages, response) -> str:
    assert response.status_code == 302, text_of(response)
    return text_of(pages.get(response.headers["Location"]))


def test_walk_verify_forward_respond_close_reopen(pages, make_case, tenant_session):
    case = make_case(received_on=dt.date(2026, 2, 2))
    pages.login("alpha", "x-staff")
    text = _flash_after(pages, _act(pages, case, "verify", {"note": "Đã gặp người liên quan"}))
    assert "Đã chuyển hồ sơ sang bước xác minh, phân loại." in text
    # Tết 2026: 17/02 is the first day of the lunar year; the working days skip the holiday.
    text = _flash_after(
        pages,
        _act(
            pages,
            case,
            "forward",
            {
                "recipient_kind": "party_committee",
                "recipient_name": "Đảng ủy xã Đông Alpha",
                "forwarded_on": "2026-02-10",
            },
        ),
    )
    session = tenant_session("alpha")
    session.expire_all()
    due = session.get(Case, case.id).due_on
    assert due is not None and (due - dt.date(2026, 2, 10)).days > 28  # 20 working days + Tết
    assert f"Hạn trả lời: {due.strftime('%d/%m/%Y')}" in text
    text = _flash_after(
        pages,
        _act(
            pages,
            case,
            "respond",
            {
                "outcome": "explained",
                "text": "Cấp ủy đã giải trình bằng văn bản số 12.",
                "responded_on": "2026-03-20",
                "documents": (io.BytesIO(clean_pdf()), "tl.pdf"),
            },
            content_type="multipart/form-data",
        ),
    )
    assert "Đã ghi nhận trả lời" in text and "Giải trình" in text and "tl.pdf" in text
    text = _flash_after(pages, _act(pages, case, "close", {"note": ""}))
    assert "Đã kết thúc hồ sơ." in text
    assert _status(tenant_session, case.id) == CaseStatus.closed
    text = _flash_after(pages, _act(pages, case, "reopen", {"reason": "Người dân phản ánh lại"}))
    assert "Đã mở lại hồ sơ" in text
    assert _status(tenant_session, case.id) == CaseStatus.verifying
    actions = list(
        tenant_session("alpha").scalars(
            select(CaseEvent.action).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    )
    assert [a for a in actions if a != "attach"] == [
        "receive",
        "verify",
        "forward",
        "respond",
        "close",
        "reopen",
    ]
    history = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert "Người dân phản ánh lại" in history and "Đã kết thúc → Đang xác minh" in history
    # The history shows the deadline as people write it, never as the stored ISO date.
    assert f"hạn {due:%d/%m/%Y}" in history and due.isoformat() not in history


def test_handle_and_archive_with_the_suggested_reason(pages, make_case, tenant_session):
    handled = make_case(status="verifying")
    archived = make_case(status="verifying")
    pages.login("alpha", "x-staff")
    page = text_of(pages.get(f"/t/alpha/cases/{archived.id}"))
    assert "Điều 25 Luật Tố cáo 2018" in page
    text = _flash_after(pages, _act(pages, handled, "handle", {"note": "Đã hòa giải tại thôn."}))
    assert "tự giải quyết" in text
    text = _flash_after(
        pages,
        _act(
            pages,
            archived,
            "archive",
            {"reason": "Thông tin nặc danh, không có chứng cứ (Điều 25 Luật Tố cáo 2018)."},
        ),
    )
    assert "Đã lưu hồ sơ kèm lý do." in text
    assert _status(tenant_session, handled.id) == CaseStatus.handled
    assert _status(tenant_session, archived.id) == CaseStatus.archived


def test_only_allowed_actions_are_offered(pages, make_case):
    case = make_case(status="awaiting_response")
    pages.login("alpha", "x-staff")
    html = pages.get(f"/t/alpha/cases/{case.id}").get_data(as_text=True)
    assert f'/cases/{case.id}/respond"' in html
    for action in ("verify", "forward", "close", "reopen", "archive"):
        assert f'/cases/{case.id}/{action}"' not in html, action


def test_refused_transition_shows_the_reason_nothing_changes(pages, make_case, tenant_session):
    case = make_case()  # received: cannot be closed
    pages.login("alpha", "x-staff")
    response = _act(pages, case, "close", {"note": ""})
    assert response.status_code == 409
    assert "Không thể kết thúc khi hồ sơ đang ở trạng thái" in text_of(response)
    assert _status(tenant_session, case.id) == CaseStatus.received


def test_missing_reason_shows_next_to_field(pages, make_case, tenant_session):
    case = make_case(status="verifying")
    pages.login("alpha", "x-staff")
    response = _act(pages, case, "forward", {"recipient_kind": "authority", "recipient_name": ""})
    assert response.status_code == 422
    assert field_error(response, "forward-recipient_name") == "Hãy ghi tên cơ quan nhận."
    assert _status(tenant_session, case.id) == CaseStatus.verifying
    response = _act(pages, case, "archive", {"reason": ""})
    assert response.status_code == 422 and field_error(response, "archive-reason")


def test_escalate_to_parent_and_province_assigns_down(pages, world, make_case, tenant_session):
    case = make_case()
    pages.login("alpha", "x-staff")
    text = _flash_after(pages, _act(pages, case, "escalate", {"reason": "Vượt thẩm quyền xã."}))
    assert "Đã chuyển hồ sơ lên đơn vị cấp trên." in text
    assert "Hồ sơ đã chuyển sang đơn vị khác" in text and "Tỉnh Alpha" in text
    assert _status(tenant_session, case.id) == CaseStatus.transferred
    session = tenant_session("alpha")
    session.expire_all()
    upper = session.get(Case, session.get(Case, case.id).next_case_id)
    # The province gives it to commune Y.
    pages.post("/t/alpha/logout", {})
    pages.login("alpha", "admin")
    html = pages.get(f"/t/alpha/cases/{upper.id}").get_data(as_text=True)
    assert f'value="{world.alpha.commune_y}"' in html  # a direct Front child in the select
    assert f'value="{world.alpha.area_x}"' not in html  # never a residential area
    response = pages.post(
        f"/t/alpha/cases/{upper.id}/assign",
        {"assign-unit_id": str(world.alpha.commune_y), "assign-reason": "Thuộc địa bàn phường"},
    )
    assert "Đã giao hồ sơ cho đơn vị cấp dưới." in _flash_after(pages, response)
    pages.post("/t/alpha/logout", {})
    pages.login("alpha", "y-admin")
    assert "Phản ánh về cán bộ xã" in text_of(pages.get("/t/alpha/cases/"))


def test_reader_sees_no_action_forms_and_gets_403_on_post(pages, make_case, tenant_session):
    case = make_case(status="verifying")
    pages.login("alpha", "x-reader")
    response = pages.get(f"/t/alpha/cases/{case.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="act-' not in html and f"/cases/{case.id}/handle" not in html
    assert 'id="who-handles"' in html  # instead, who can handle cases
    response = _act(pages, case, "handle", {"note": "Tự giải quyết"})
    assert response.status_code == 403
    assert _status(tenant_session, case.id) == CaseStatus.verifying


def test_sibling_commune_gets_404_on_every_case_url(pages, world, make_case):
    case = make_case(who="y-admin", unit="commune_y", status="verifying")
    pages.login("alpha", "x-admin")
    for url in (
        f"/t/alpha/cases/{case.id}",
        f"/t/alpha/cases/{case.id}/reveal",
        f"/t/alpha/cases/{case.id}/attachments/1",
    ):
        assert pages.get(url).status_code == 404, url
    assert _act(pages, case, "handle", {"note": "x"}).status_code == 404


def test_action_forms_need_csrf(pages, make_case, tenant_session):
    case = make_case()
    pages.login("alpha", "x-staff")
    response = _act(pages, case, "verify", {"note": ""}, csrf=False)
    assert response.status_code == 400
    assert _status(tenant_session, case.id) == CaseStatus.received


def test_tags_and_public_answer(pages, make_case, tenant_session):
    case = make_case(status="verifying")
    pages.login("alpha", "x-staff")
    response = pages.post(f"/t/alpha/cases/{case.id}/tags", {"tags-tags": ["NG", "CT-6"]})
    assert "Đã lưu phân loại" in _flash_after(pages, response)
    response = _act(pages, case, "public_answer", {"public_answer": "Đã chuyển Đảng ủy xã."})
    assert "Đã lưu trả lời công khai" in _flash_after(pages, response)
    session = tenant_session("alpha")
    session.expire_all()
    stored = session.get(Case, case.id)
    assert {t.code for t in stored.tags} == {"NG", "CT-6"}
    assert stored.public_answer == "Đã chuyển Đảng ủy xã."


def test_edit_corrects_the_words_and_keeps_the_trace(pages, make_case, tenant_session):
    case = make_case(status="verifying")
    pages.login("alpha", "x-staff")
    page = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert "Sửa nội dung" in page
    response = _act(
        pages,
        case,
        "edit",
        {
            "kind": "petition",
            "title": "Tiêu đề đã sửa",
            "content": "Nội dung đã sửa lại cho đúng.",
            "concerned": "Ông Trần Văn B",
        },
    )
    assert "Đã sửa nội dung hồ sơ." in _flash_after(pages, response)
    session = tenant_session("alpha")
    session.expire_all()
    stored = session.get(Case, case.id)
    assert (stored.title, stored.concerned) == ("Tiêu đề đã sửa", "Ông Trần Văn B")
    actions = session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)).all()
    assert "edit" in actions
    # An empty title is refused next to the field and nothing changes.
    response = _act(
        pages, case, "edit", {"kind": "petition", "title": "", "content": "Khác", "concerned": ""}
    )
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Case, case.id).content == "Nội dung đã sửa lại cho đúng."


@pytest.mark.parametrize("role", [Role.staff, Role.unit_admin])
def test_reveal_is_for_leaders_only(pages, world, make_case, add_user, role):
    add_user("alpha", "x-other", role, world.alpha.commune_x)
    case = make_case(reporter_mode="confidential", reporter={"name": "Người Kín"})
    pages.login("alpha", "x-other")
    page = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert "Xem danh tính (phải ghi lý do)" not in page and "vai trò lãnh đạo làm" in page
    assert pages.get(f"/t/alpha/cases/{case.id}/reveal").status_code == 403
    response = pages.post(f"/t/alpha/cases/{case.id}/reveal", {"reason": "Cần để xác minh"})
    assert response.status_code == 403 and "Người Kín" not in text_of(response)


def test_forward_and_close_wait_for_the_confirmation_box(pages, make_case, tenant_session):
    """Without JavaScript, "Tôi đã kiểm tra …" is the confirmation of a step with no way back:
    left unticked, the case stays as it was and the box says why, what was typed kept."""
    case = make_case(status="verifying")
    pages.login("alpha", "x-staff")
    page = pages.get(f"/t/alpha/cases/{case.id}").get_data(as_text=True)
    assert 'name="forward-checked"' in page and "data-confirm=" in page
    unticked = _act(
        pages,
        case,
        "forward",
        {"recipient_kind": "authority", "recipient_name": "UBND xã Đông", "checked": ""},
    )
    assert unticked.status_code == 422
    assert (
        field_error(unticked, "forward-checked") == "Hãy đánh dấu ô xác nhận trước khi thực hiện."
    )
    assert 'value="UBND xã Đông"' in unticked.get_data(as_text=True)
    assert _status(tenant_session, case.id) == CaseStatus.verifying

    responded = make_case(status="responded")
    unticked = _act(pages, responded, "close", {"note": "Đã xong", "checked": ""})
    assert unticked.status_code == 422
    assert field_error(unticked, "close-checked")
    assert _status(tenant_session, responded.id) == CaseStatus.responded
    assert _act(pages, responded, "close", {"note": "Đã xong"}).status_code == 302
    assert _status(tenant_session, responded.id) == CaseStatus.closed
