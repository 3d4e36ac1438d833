"""A letter's case page shows the scan's pages and links to the letter viewer; while OCR runs it
says so and polls `/letters/<id>/ocr-status`, then puts the case's new title and text in place
(a real browser checks that). The status is behind the same access check as the letter."""

from __future__ import annotations

import os

import pytest

from giamsat.letters import jobs
from giamsat.letters.models import Letter
from giamsat.letters.ocr import Reading
from giamsat.letters.ocr_reading import PageReading
from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, SERVING
from tests.plugins.letters import as_bytes, letter_page
from tests.plugins.pages import text_of

TEXT = "ĐƠN PHẢN ÁNH\nKính gửi: Ban công tác Mặt trận\n\nCống thoát nước xóm Bãi bị tắc, nước tràn vào nhà."
TITLE = "Cống thoát nước xóm Bãi bị tắc, nước tràn vào nhà"


@pytest.fixture()
def scan():
    return as_bytes(letter_page(dpi=100), "PNG", dpi=(100, 100))


@pytest.fixture()
def read_now(monkeypatch, tenant_session, storage_of):
    """Run the OCR job of a letter now, tesseract standing in by TEXT."""

    def run(letter_id: int, slug: str = "alpha") -> None:
        monkeypatch.setattr(
            jobs.ocr_reading,
            "read_page",
            lambda page: PageReading(Reading(TEXT), page.image.copy(), 300, "plain"),
        )
        with tenant_session(slug) as session:
            assert jobs.process_letter(session, storage_of(slug), letter_id) == "done"
            session.commit()

    return run


def test_the_case_page_shows_the_scan_and_links_to_the_viewer(
    pages, make_opening, make_letters, tenant_session, scan
):
    [letter_id] = make_letters(make_opening(), [[(scan, "thu.png"), (scan, "trang-2.png")]])
    letter = tenant_session("alpha").get(Letter, letter_id)
    page_ids = [p.id for f in letter.files for p in f.pages]
    pages.login("alpha", "x-staff")
    response = pages.get(f"/t/alpha/cases/{letter.case_id}")
    html, text = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200 and "Bản quét thư" in text
    assert "Đang chờ nhận dạng chữ" in text and "sẽ tự cập nhật" in text
    for page_id in page_ids:
        assert f"/t/alpha/letters/{letter_id}/pages/{page_id}/thumb.jpg" in html
        assert f"/t/alpha/letters/{letter_id}?page={page_id}#page" in html
    assert f'href="/t/alpha/letters/{letter_id}"' in html
    assert f'data-ocr-status-url="/t/alpha/letters/{letter_id}/ocr-status"' in html
    assert "/static/case_ocr.js" in html and "<script>" not in html


def test_a_case_that_is_no_letter_has_no_scan_panel(pages, world, tenant_session, principal_of):
    from giamsat.cases.operations import receive_case
    from giamsat.core import clock

    with tenant_session("alpha") as session:
        case = receive_case(
            session,
            principal_of("alpha", "x-staff"),
            unit_id=world.alpha.commune_x,
            received_on=clock.today(),
            channel="in_person",
            kind="petition",
            title="Phản ánh tại trụ sở",
            content="Nội dung phản ánh.",
        )
        session.commit()
        case_id = case.id
    pages.login("alpha", "x-staff")
    response = pages.get(f"/t/alpha/cases/{case_id}")
    assert response.status_code == 200 and "Bản quét thư" not in text_of(response)


def test_the_ocr_status_says_when_the_letter_is_read_and_gives_the_new_text(
    pages, make_opening, make_letters, read_now, scan
):
    [letter_id] = make_letters(make_opening(), [[(scan, "thu.png")]])
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/{letter_id}/ocr-status"
    before = pages.get(url).get_json()
    assert before == {
        "status": "queued",
        "label": "Đang chờ nhận dạng chữ",
        "finished": False,
        "case": None,
    }
    read_now(letter_id)
    after = pages.get(url).get_json()
    assert after["status"] == "done" and after["finished"] is True
    assert after["case"]["title"] == TITLE and after["case"]["content"].startswith("ĐƠN PHẢN ÁNH")


def test_the_ocr_status_of_another_commune_or_tenant_is_not_found(
    pages, make_opening, make_box, make_letters, scan
):
    opening_y = make_opening(who="y-admin", box=make_box(who="y-admin", area="area_y"))
    [theirs] = make_letters(opening_y, [[(scan, "y.png")]], who="y-admin")
    [beta] = make_letters(make_opening(slug="beta"), [[(scan, "b.png")]], slug="beta")
    pages.login("alpha", "x-staff")
    assert pages.get(f"/t/alpha/letters/{theirs}/ocr-status").status_code == 404
    assert pages.get(f"/t/alpha/letters/{beta}/ocr-status").status_code in (404, 302)
    response = pages.get(f"/t/beta/letters/{beta}/ocr-status")
    assert response.status_code == 302 and "/t/beta/login" in response.headers["Location"]


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"), reason="needs /usr/bin/chromium"
)
def test_the_open_case_page_refreshes_its_text_when_ocr_finishes(
    live_server, world, make_opening, make_letters, tenant_session, read_now, scan
):
    from playwright.sync_api import expect, sync_playwright

    [letter_id] = make_letters(make_opening(), [[(scan, "thu.png")]])
    case_id = tenant_session("alpha").get(Letter, letter_id).case_id
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.goto(f"{live_server}/t/alpha/login")
            page.get_by_label("Tên đăng nhập").fill("alpha-x-staff")
            page.get_by_label("Mật khẩu").fill(world.password)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server}/t/alpha/")
            page.goto(f"{live_server}/t/alpha/cases/{case_id}")
            expect(page.locator("#ocr-state")).to_contain_text("Đang chờ nhận dạng chữ")
            assert page.locator("#case-title").inner_text().startswith("Thư hòm thư")
            with SERVING:  # the page polls while the job writes
                read_now(letter_id)
            expect(page.locator("#ocr-state")).to_contain_text(
                "Đã nhận dạng xong chữ của thư", timeout=15_000
            )
            expect(page.locator("#case-title")).to_have_text(TITLE)
            expect(page.locator("#case-content")).to_contain_text("Cống thoát nước xóm Bãi")
            page.screenshot(path=str(SCREENSHOTS / "giamsat-letter-case-page.png"), full_page=True)
        finally:
            browser.close()
