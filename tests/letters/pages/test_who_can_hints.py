"""Where a suggestion-box page hides an action from the viewer's role, it says who can do it."""

from __future__ import annotations

from giamsat.identity import Role
from tests.plugins.pages import text_of

HANDLERS = "do người có vai trò quản trị tỉnh, quản trị đơn vị, lãnh đạo, cán bộ làm"
KEEPERS = "“Thêm và sửa hòm thư góp ý của khu dân cư” do người có vai trò quản trị tỉnh"


def test_reader_sees_who_keeps_boxes_and_records_openings(pages, make_box):
    box = make_box()
    pages.login("alpha", "x-reader")
    html = pages.get("/t/alpha/letters/").get_data(as_text=True)
    assert f"/boxes/{box.id}/openings/new" not in html and "/boxes/new" not in html
    assert 'id="who-opens"' in html and HANDLERS in html
    assert KEEPERS in text_of(pages.get("/t/alpha/letters/"))


def test_staff_see_the_links_and_no_hint(pages, make_box):
    box = make_box()
    pages.login("alpha", "x-staff")
    html = pages.get("/t/alpha/letters/").get_data(as_text=True)
    assert f"/boxes/{box.id}/openings/new" in html and "who-can" not in html


def test_a_leader_records_openings_but_is_told_who_keeps_boxes(pages, make_box, add_user, world):
    make_box()
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    pages.login("alpha", "x-leader")
    html = pages.get("/t/alpha/letters/").get_data(as_text=True)
    assert "who-opens" not in html and KEEPERS in html


def test_opening_page_says_who_uploads_scans(pages, make_opening):
    opening = make_opening()
    pages.login("alpha", "x-reader")
    html = pages.get(f"/t/alpha/letters/openings/{opening.id}").get_data(as_text=True)
    assert "/upload" not in html and 'id="who-uploads"' in html
    assert "Ghi mở hòm thư, tải lên và quét lại bản quét thư" in html


def test_staff_upload_on_the_opening_page_without_a_hint(pages, make_opening):
    opening = make_opening()
    pages.login("alpha", "x-staff")
    html = pages.get(f"/t/alpha/letters/openings/{opening.id}").get_data(as_text=True)
    assert "/upload" in html and "who-uploads" not in html


def test_letter_viewer_says_who_rescans(pages, make_opening, make_letters, letter_jpeg):
    [letter_id] = make_letters(make_opening(), [[(letter_jpeg, "a.jpg")]])
    pages.login("alpha", "x-reader")
    html = pages.get(f"/t/alpha/letters/{letter_id}").get_data(as_text=True)
    assert "/rescan" not in html and 'id="who-rescans"' in html


def test_role_matrix_lists_the_letters_actions(pages):
    pages.login("alpha", "x-reader")
    text = text_of(pages.get("/t/alpha/roles"))
    assert "Thêm và sửa hòm thư góp ý của khu dân cư" in text
    assert "Ghi mở hòm thư, tải lên và quét lại bản quét thư" in text
