"""Where a case page hides an action from the viewer's role, it says who can do it."""

from __future__ import annotations

from tests.plugins.cases import IDENTITY
from tests.plugins.pages import text_of


def test_reader_sees_who_handles_cases_instead_of_the_buttons(pages, make_case):
    case = make_case()
    pages.login("alpha", "x-reader")
    queue = pages.get("/t/alpha/cases/").get_data(as_text=True)
    assert 'id="who-handles"' in queue and "/cases/new" not in queue
    assert "do người có vai trò quản trị tỉnh, quản trị đơn vị, lãnh đạo, cán bộ làm" in queue
    page = pages.get(f"/t/alpha/cases/{case.id}").get_data(as_text=True)
    assert 'id="who-handles"' in page and 'id="act-' not in page
    assert "Tiếp nhận thông tin, sửa, chuyển, ghi nhận trả lời" in page


def test_staff_sees_the_buttons_and_no_hint(pages, make_case):
    case = make_case()
    pages.login("alpha", "x-staff")
    queue = pages.get("/t/alpha/cases/").get_data(as_text=True)
    assert "/cases/new" in queue and 'id="who-handles"' not in queue
    page = pages.get(f"/t/alpha/cases/{case.id}").get_data(as_text=True)
    assert 'id="act-' in page and "who-can" not in page


def test_staff_are_told_who_reveals_an_identity(pages, make_case):
    case = make_case(reporter_mode="confidential", reporter=dict(IDENTITY))
    pages.login("alpha", "x-staff")
    staff_page = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert "Xem danh tính (phải ghi lý do)" not in staff_page
    assert "Việc “Xem danh tính thật của người gửi” do người có vai trò lãnh đạo làm." in staff_page


def test_a_leader_sees_the_reveal_link_and_no_hint(pages, make_case, leader):
    case = make_case(reporter_mode="confidential", reporter=dict(IDENTITY))
    pages.login("alpha", leader)
    leader_page = pages.get(f"/t/alpha/cases/{case.id}").get_data(as_text=True)
    assert "Xem danh tính (phải ghi lý do)" in leader_page and "who-reveals" not in leader_page


def test_role_matrix_lists_the_case_actions(pages):
    pages.login("alpha", "x-reader")
    text = text_of(pages.get("/t/alpha/roles"))
    assert "Xem danh tính thật của người gửi" in text
    assert "Sửa danh mục phân loại và thời hạn trả lời" in text
