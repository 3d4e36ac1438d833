"""Following a case with its receipt code: status in plain words, the public answer, additions."""

from __future__ import annotations

import re

from sqlalchemy import select

from giamsat.cases import operations
from giamsat.cases.models import Case, CaseEvent, CaseStatus, RecipientKind
from tests.plugins.cases import receipt_code
from tests.plugins.pages import text_of


def _submit(browser, world, slug="alpha"):
    response = browser.submit(slug, getattr(world, slug).commune_x)
    assert response.status_code == 200, text_of(response)
    return receipt_code(response)


def _case(session) -> Case:
    return session.scalars(select(Case).order_by(Case.id.desc())).first()


def test_lookup_page_needs_no_login(browser):
    response = browser.get("/t/alpha/tra-cuu")
    assert response.status_code == 200
    assert "Nhập mã tra cứu bạn nhận được" in text_of(response)
    html = response.get_data(as_text=True)
    assert "<script" not in html.split("<main")[1] and not re.search(
        r'(src|href|action)="(https?:)?//', html
    )


def test_right_code_shows_status_and_public_answer_only(
    browser, world, tenant_session, principal_of
):
    code = _submit(browser, world)
    session = tenant_session("alpha")
    case = _case(session)
    page = text_of(browser.lookup("alpha", code))
    assert f"Tình hình xử lý ý kiến số {case.number}" in page
    assert "Đã tiếp nhận, đang chờ xem xét." in page
    assert "Chưa có trả lời." in page

    staff = principal_of("alpha", "x-staff")
    operations.start_verification(session, staff, case.id, note="Ghi chú nội bộ XYZ")
    operations.forward_case(
        session,
        staff,
        case.id,
        recipient_kind=RecipientKind.authority,
        recipient_name="Phòng Kinh tế bí danh QWE",
    )
    operations.set_public_answer(session, staff, case.id, "Ủy ban đã chuyển kiến nghị của bạn.")
    session.commit()

    # Typed with dashes instead of spaces: still the same code.
    response = browser.lookup("alpha", code.replace(" ", "-"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Đã chuyển đến cơ quan có thẩm quyền giải quyết, đang chờ trả lời." in page
    assert "Ủy ban đã chuyển kiến nghị của bạn." in page
    assert "XYZ" not in page and "QWE" not in page  # internal notes, recipient details


def test_the_code_never_appears_in_a_url(browser, world):
    code = _submit(browser, world)
    response = browser.lookup("alpha", code)
    html = response.get_data(as_text=True)
    assert 'action="/t/alpha/tra-cuu/bo-sung"' in html
    for href in re.findall(r'(?:href|action)="([^"]*)"', html):
        assert code.replace(" ", "") not in href.replace(" ", "")
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_code_and_another_tenants_code_are_not_found(browser, world):
    code = _submit(browser, world)
    wrong = ("1" if code[0] != "1" else "2") + code[1:]
    for slug, typed in (
        ("alpha", wrong),
        ("alpha", "12345"),
        ("alpha", "abcd " * 5),
        ("beta", code),
    ):
        response = browser.lookup(slug, typed)
        assert response.status_code == 404, (slug, typed)
        assert "Không tìm thấy việc nào với mã này." in text_of(response)


def test_adding_information_appends_to_the_history(browser, world, tenant_session):
    code = _submit(browser, world)
    session = tenant_session("alpha")
    case = _case(session)
    response = browser.post(
        "/t/alpha/tra-cuu/bo-sung",
        {"code": code, "text": "Hôm qua đường lại sụt thêm."},
        token_from="/t/alpha/tra-cuu",
    )
    assert response.status_code == 200
    assert "Đã gửi thông tin bổ sung." in text_of(response)
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.reason.is_not(None))
    ).all()
    assert [(e.reason, e.actor_id) for e in events] == [("Hôm qua đường lại sụt thêm.", None)]
    session.refresh(case)
    assert "sụt thêm" not in case.content  # what was received first stays as received


def test_adding_information_needs_the_right_code_and_some_text(browser, world, tenant_session):
    code = _submit(browser, world)
    session = tenant_session("alpha")
    case = _case(session)
    wrong = browser.post(
        "/t/alpha/tra-cuu/bo-sung",
        {"code": "0" * 20, "text": "Thêm"},
        token_from="/t/alpha/tra-cuu",
    )
    assert wrong.status_code == 404
    empty = browser.post(
        "/t/alpha/tra-cuu/bo-sung", {"code": code, "text": "  "}, token_from="/t/alpha/tra-cuu"
    )
    assert empty.status_code == 422
    assert "Hãy nhập nội dung bổ sung." in text_of(empty)
    too_long = browser.post(
        "/t/alpha/tra-cuu/bo-sung",
        {"code": code, "text": "a" * 5001},
        token_from="/t/alpha/tra-cuu",
    )
    assert too_long.status_code == 422
    assert "dài tối đa 5000 ký tự" in text_of(too_long)
    public = (
        tenant_session("alpha")
        .scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id,
                CaseEvent.actor_id.is_(None),
                CaseEvent.action != "receive",
            )
        )
        .all()
    )
    assert public == []


def test_an_escalated_case_is_followed_at_its_new_unit(
    browser, world, tenant_session, principal_of
):
    code = _submit(browser, world)
    session = tenant_session("alpha")
    case = _case(session)
    upper = operations.escalate_case(
        session, principal_of("alpha", "x-staff"), case.id, reason="Vượt thẩm quyền cấp xã."
    )
    session.commit()
    page = text_of(browser.lookup("alpha", code))
    assert "Tỉnh Alpha" in page and "Đã tiếp nhận, đang chờ xem xét." in page
    browser.post(
        "/t/alpha/tra-cuu/bo-sung",
        {"code": code, "text": "Thông tin thêm cho tỉnh."},
        token_from="/t/alpha/tra-cuu",
    )
    reasons = session.scalars(select(CaseEvent.reason).where(CaseEvent.case_id == upper.id)).all()
    assert "Thông tin thêm cho tỉnh." in reasons
    assert upper.status == CaseStatus.received
