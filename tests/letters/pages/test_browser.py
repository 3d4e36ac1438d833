"""A real browser uploads a two-page letter with the progress bar, reads its OCR text in the
viewer, zooms and rotates a page, on a desk and on a phone."""

from __future__ import annotations

import os

import pytest

from giamsat.letters.jobs import process_letter
from giamsat.letters.models import Letter
from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, SERVING, wait_for_image
from tests.plugins.letters import as_bytes, letter_page

pytestmark = [
    pytest.mark.browser,
    # CI installs Chromium (.ci/run): there the test must run, never skip.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="needs /usr/bin/chromium"
    ),
]

PAGE_ONE = [
    "Kính gửi Ban công tác Mặt trận",
    "Đường làng thôn Một bị hỏng nặng",
    "sau mùa mưa lũ năm nay.",
]
PAGE_TWO = ["Đề nghị Ủy ban sớm sửa chữa", "Xin trân trọng cảm ơn"]


def _png(lines, seed):
    return as_bytes(letter_page(lines, dpi=200, seed=seed), "PNG", dpi=(200, 200))


def test_upload_a_two_page_letter_and_read_its_ocr_text(
    live_server, world, make_opening, tenant_session, storage_of
):
    from playwright.sync_api import expect, sync_playwright

    opening = make_opening(letters_found=2)
    requested, kinds = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on(
                "request",
                lambda r: (requested.append(r.url), kinds.append((r.method, r.resource_type))),
            )
            page.goto(f"{live_server}/t/alpha/login")
            page.get_by_label("Tên đăng nhập").fill("alpha-x-staff")
            page.get_by_label("Mật khẩu").fill(world.password)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server}/t/alpha/")

            page.get_by_role("link", name="Hòm thư góp ý").click()
            page.get_by_role("link", name="Các lần mở hòm thư").click()
            page.get_by_role("link", name="08:30 10/02/2026").click()
            page.get_by_role("link", name="Tải lên bản quét thư").click()
            # With the script: a button adds a slot in place, the no-JS link is hidden.
            assert page.locator("#letter_4").count() == 0
            page.get_by_role("button", name="Thêm ô cho một thư nữa").click()
            expect(page.locator("#letter_4")).to_be_attached()
            assert not page.get_by_role("link", name="Thêm ô cho thư").is_visible()
            page.set_input_files(
                "#letter_1",
                files=[
                    {
                        "name": "thu-trang-1.png",
                        "mimeType": "image/png",
                        "buffer": _png(PAGE_ONE, 1),
                    },
                    {
                        "name": "thu-trang-2.png",
                        "mimeType": "image/png",
                        "buffer": _png(PAGE_TWO, 2),
                    },
                ],
            )
            page.screenshot(
                path=str(SCREENSHOTS / "giamsat-letters-upload-desktop.png"), full_page=True
            )
            page.get_by_role("button", name="Tải lên", exact=True).click()
            page.wait_for_url(f"{live_server}/t/alpha/letters/openings/{opening.id}#letters")
            expect(page.get_by_text("Đã nhập 1 thư")).to_be_visible()
            # The batch went up by XMLHttpRequest (the progress bar's events), not a form post.
            assert ("POST", "xhr") in kinds

            page.get_by_role("link", name="Xem thư 1").click()
            expect(page.get_by_text("Đang chờ nhận dạng chữ").first).to_be_visible()
            letter_id = int(page.url.rsplit("/", 1)[1].split("?")[0])

            # The OCR job, run here as the worker would. The server shares the test's database
            # connection: the page's images and its OCR status polls wait for the job.
            page.wait_for_load_state("networkidle")
            with SERVING, tenant_session("alpha") as session:
                assert session.get(Letter, letter_id).ocr_status.value == "queued"
                assert process_letter(session, storage_of("alpha"), letter_id) == "done"
                session.commit()

            page.reload()
            expect(page.get_by_text("Đã nhận dạng chữ")).to_be_visible()
            ocr_text = page.locator(".ocr-text").inner_text()
            assert "Đường làng" in ocr_text and "mưa lũ" in ocr_text
            thumbs = page.locator(".thumbs img")
            assert thumbs.count() == 2
            wait_for_image(thumbs.first)  # measured before it loaded, it is 0 wide
            assert thumbs.first.evaluate("img => img.naturalWidth") == 300

            image = page.locator(".page-image img")
            wait_for_image(image)
            assert image.evaluate("img => img.naturalWidth") > 1000
            page.get_by_role("button", name="Phóng to").click()
            page.get_by_role("button", name="↻ Xoay phải").click()
            assert image.evaluate("img => img.style.transform") == "rotate(90deg) scale(1.25)"
            expect(page.locator(".zoom-level")).to_have_text("125%")

            page.get_by_role("link", name="Trang 2").click()
            expect(page.get_by_text("Trang 2 / 2")).to_be_visible()
            assert "sửa chữa" in page.locator(".ocr-text").inner_text()
            page.wait_for_load_state("networkidle")
            page.screenshot(
                path=str(SCREENSHOTS / "giamsat-letter-viewer-desktop.png"), full_page=True
            )

            page.set_viewport_size({"width": 375, "height": 740})
            page.reload()
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.wait_for_load_state("networkidle")
            page.screenshot(
                path=str(SCREENSHOTS / "giamsat-letter-viewer-phone.png"), full_page=True
            )
            page.goto(f"{live_server}/t/alpha/letters/openings/{opening.id}/upload")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(
                path=str(SCREENSHOTS / "giamsat-letters-upload-phone.png"), full_page=True
            )
            page.goto(f"{live_server}/t/alpha/letters/")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(
                path=str(SCREENSHOTS / "giamsat-letters-register-phone.png"), full_page=True
            )
            page.goto(f"{live_server}/t/alpha/letters/boxes/{opening.box_id}/openings/new")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(
                path=str(SCREENSHOTS / "giamsat-letters-opening-phone.png"), full_page=True
            )
        finally:
            browser.close()
    assert requested and all(url.startswith(live_server) for url in requested), requested
