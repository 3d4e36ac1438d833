"""The whole path of issue 18 on a 390 × 844 phone, in Vietnamese, by a commune's staff and the
province's leader: box → opening → upload → OCR → case → forward → answer → close → activity →
recommendation → quarterly report → the province accepts → exports → the public form.

At every step the test asserts what the person sees, that the page does not scroll sideways,
and that axe-core (bundled by axe-playwright-python, offline) finds nothing serious or
critical; a screenshot of each step goes to `artifacts/journey/` (the CI artifact)."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from sqlalchemy import select

from giamsat.core import clock
from giamsat.letters.jobs import process_letter
from giamsat.letters.models import Letter
from giamsat.reports import export_jobs
from giamsat.reports.models import ReportExport
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant
from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS
from tests.plugins.letters import as_bytes, letter_page

pytestmark = [
    pytest.mark.browser,
    # CI installs Chromium (.ci/run): there the test must run, never skip.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"), reason="needs /usr/bin/chromium"
    ),
]

PHONE = {"width": 390, "height": 844}
#: axe-core impacts that fail the journey.
BLOCKING = {"serious", "critical"}
LETTER = ["Kính gửi Ban công tác Mặt trận", "Đèn đường thôn Một hỏng", "đã ba tháng chưa sửa."]


class Journey:
    """The phone, and what every step checks: no sideways scroll, no serious or critical
    accessibility violation, a numbered screenshot."""

    def __init__(self, page, base: str, folder):
        from axe_playwright_python.sync_playwright import Axe

        self.page, self.base, self.folder = page, base, folder
        self.axe = Axe()
        self.steps: list[str] = []

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def step(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: the page is {width} px wide"
        results = (
            self.axe.run(page)
            if not os.environ.get("NOAXE")
            else type("R", (), {"response": {"violations": []}})()
        )
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in BLOCKING
        ]
        assert not bad, f"{name} ({page.url}): {bad}"
        self.steps.append(name)
        os.environ.get("NOSHOT") or page.screenshot(
            path=str(self.folder / f"{len(self.steps):02d}-{name}.png"), full_page=True
        )
        # A full-page screenshot resizes the page for a moment: let it settle before the next
        # click, or the click lands where the button was.
        page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"] + 1})
        page.set_viewport_size(PHONE)
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )

    def login(self, who: str, password: str) -> None:
        page = self.page
        self.go("/t/alpha/login")
        page.get_by_label("Tên đăng nhập").fill(f"alpha-{who}")
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{self.base}/t/alpha/")

    def logout(self) -> None:
        self.page.get_by_role("button", name="Đăng xuất").click()

    def flash(self, text: str) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator(".flashes")).to_contain_text(text)


def _opened_at() -> str:
    """08:30 today, or, run before half past eight Vietnam time, a moment ago (never before
    midnight): an opening may not be in the future, and the form proposes today."""
    now = clock.local_now()
    if now.time() >= dt.time(8, 32):
        return "08:30"
    earlier = now - dt.timedelta(minutes=2)
    return "00:00" if earlier.date() != now.date() else earlier.strftime("%H:%M")


def _hold(page, pattern: str) -> None:
    """Hold the page's requests to `pattern` while the test does the worker's part: the
    single-threaded test server shares the test's database connection, never at the same
    time. Playwright runs the handler only when the test calls it again, after the job."""
    page.wait_for_load_state("networkidle")
    page.route(pattern, lambda route: route.continue_())


def test_the_whole_journey_on_a_phone(
    live_server, journey_world, tenant_session, alpha_storage, artifacts, db
):
    from playwright.sync_api import expect, sync_playwright

    world = journey_world
    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport=PHONE, locale="vi-VN")
            page = context.new_page()
            page.on("request", lambda r: requested.append(r.url))
            j = Journey(page, live_server, artifacts)

            # --- commune staff: box, opening, upload -------------------------------------
            j.login("x-staff", world.password)
            expect(page.get_by_role("heading", level=1)).to_have_text("Xã Đông Alpha")
            j.step("trang-chu-xa")

            j.go(f"/t/alpha/letters/areas/{world.alpha.area_x}/boxes/new")
            page.get_by_label("Nơi đặt hòm thư").fill("Nhà văn hóa thôn Một")
            page.get_by_label("Người giữ hòm thư và chìa khóa").fill("Ông Hà Văn Sơn")
            page.get_by_label("Ngày đặt hòm thư").fill("2026-01-05")
            j.step("dat-hom-thu")
            page.get_by_role("button", name="Lưu").click()
            expect(page.locator(".flashes")).to_be_visible()
            j.step("so-hom-thu")

            page.get_by_role("link", name="Ghi mở hòm thư").first.click()
            page.get_by_label("Giờ mở").fill(_opened_at())
            page.locator("#witnesses-0-name").fill("Nguyễn Văn An")
            page.locator("#witnesses-0-role").fill("Trưởng thôn")
            page.locator("#witnesses-1-name").fill("Trần Thị Bình")
            page.locator("#witnesses-1-role").fill("Chi hội trưởng phụ nữ")
            page.get_by_label("Tình trạng niêm phong").select_option("intact")
            page.get_by_label("Số thư thu được").fill("1")
            j.step("mo-hom-thu")
            page.get_by_role("button", name=re.compile("^Lưu")).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(
                "Mở hòm thư HT-", timeout=20_000
            )
            j.step("lan-mo-hom-thu")

            page.get_by_role("link", name="Tải lên bản quét thư").click()
            page.set_input_files(
                "#letter_1",
                files=[
                    {
                        "name": "thu.png",
                        "mimeType": "image/png",
                        "buffer": as_bytes(letter_page(LETTER, dpi=200), "PNG", dpi=(200, 200)),
                    }
                ],
            )
            j.step("tai-len-thu")
            page.get_by_role("button", name="Tải lên", exact=True).click()
            j.flash("Đã nhập 1 thư")
            expect(page.locator(".ocr-progress")).to_be_visible()
            j.step("thu-cho-nhan-dang")

            # --- OCR, as the worker runs it; the page updates without a reload --------------
            _hold(page, "**/ocr-status")
            letter_link = page.get_by_role("link", name="Xem thư 1")
            letter_id = int(letter_link.get_attribute("href").rstrip("/").rsplit("/", 1)[1])
            with tenant_session("alpha") as session:
                assert process_letter(session, alpha_storage, letter_id) == "done"
                session.commit()
            expect(page.locator(".badge.ocr-done")).to_be_visible(timeout=20_000)
            j.step("thu-da-nhan-dang")

            letter_link.click()
            expect(page.locator(".ocr-text")).to_contain_text("Đèn đường")
            j.step("xem-thu")

            # --- the letter's case: verify, forward, answer, close -------------------------
            with tenant_session("alpha") as session:
                case_id = session.get(Letter, letter_id).case_id
            j.go(f"/t/alpha/cases/{case_id}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            j.step("ho-so")
            page.locator("#act-verify summary").click()
            page.locator("#act-verify button").click()
            j.flash("Đã chuyển hồ sơ sang bước xác minh, phân loại.")
            page.locator("#act-forward summary").click()
            page.get_by_label("Chuyển tới").select_option("authority")
            page.get_by_label("Tên cơ quan nhận").fill("UBND xã Đông Alpha")
            j.step("chuyen-ho-so")
            page.locator("#act-forward button[type=submit]").click()
            dialog = page.locator("dialog.confirm-dialog[open]")
            expect(dialog).to_contain_text("Chuyển hồ sơ tới cơ quan đã ghi?")
            dialog.get_by_role("button", name="Đồng ý").click()
            j.flash("Đã chuyển hồ sơ tới UBND xã Đông Alpha.")
            page.locator("#act-respond summary").click()
            page.get_by_label("Kết quả trả lời").select_option("accepted")
            page.get_by_label("Nội dung trả lời").fill("UBND xã đã thay đèn.")
            page.locator("#act-respond button[type=submit]").click()
            j.flash("Đã ghi nhận trả lời")
            page.locator("#act-close summary").click()
            page.locator("#act-close button[type=submit]").click()
            page.locator("dialog.confirm-dialog[open]").get_by_role("button", name="Đồng ý").click()
            j.flash("Đã kết thúc hồ sơ.")
            j.step("ket-thuc-ho-so")

            # --- supervision: an activity, then a recommendation from it -------------------
            j.go("/t/alpha/supervision/activities/new")
            page.get_by_label("Hình thức").select_option("thematic")
            page.get_by_label("Tên hoạt động").fill("Giám sát việc sửa đèn đường thôn Một")
            page.get_by_label("Từ ngày").fill("2026-12-01")
            page.get_by_label("Số người tham gia").fill("12")
            j.step("hoat-dong-giam-sat")
            page.get_by_role("button", name="Lưu", exact=True).click()
            j.flash("Đã ghi nhận hoạt động")
            j.step("hoat-dong-da-ghi")
            activity_url = page.url

            j.go("/t/alpha/supervision/recommendations/new")
            page.get_by_label("Từ hoạt động giám sát").select_option(
                label="01/12/2026 · Giám sát việc sửa đèn đường thôn Một"
            )
            page.get_by_label("Tên nơi nhận").fill("UBND xã Đông Alpha")
            page.get_by_label("Nội dung kiến nghị").fill("Kiểm tra đèn đường định kỳ hằng quý.")
            j.step("kien-nghi")
            page.get_by_role("button", name="Lưu", exact=True).click()
            j.flash("kiến nghị")
            j.step("kien-nghi-da-ghi")
            assert activity_url

            # --- the quarterly report, sent with the confirmation dialog --------------------
            j.go("/t/alpha/reports/")
            row = page.locator("tr", has_text="Quý III năm 2026")
            row.get_by_role("button", name="Lập báo cáo").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Quý III năm 2026")
            page.get_by_role("link", name="Sửa báo cáo").click()
            page.locator("#results").fill("Đã giám sát việc sửa đèn đường; 1 kiến nghị.")
            page.get_by_role("button", name="Lưu báo cáo").click()
            j.flash("Đã lưu báo cáo.")
            j.step("bao-cao-quy")
            # With JavaScript the "Tôi đã kiểm tra" box gives way to a native dialog.
            expect(page.locator("[data-confirm-box]").first).to_be_hidden()
            page.get_by_role("button", name="Gửi báo cáo").click()
            dialog = page.locator("dialog.confirm-dialog[open]")
            expect(dialog).to_contain_text("Gửi báo cáo lên cấp trên?")
            j.step("xac-nhan-gui-bao-cao")
            dialog.get_by_role("button", name="Đồng ý").click()
            j.flash("Đã gửi báo cáo lên cấp trên.")
            report_url = page.url
            j.step("bao-cao-da-gui")
            j.logout()

            # --- province leader: accept, exports ---------------------------------------
            j.login("p-leader", world.password)
            expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Alpha")
            j.step("trang-chu-tinh")
            page.goto(report_url)
            expect(page.get_by_text("Tiếp nhận hoặc trả lại")).to_be_visible()
            page.get_by_role("button", name="Tiếp nhận báo cáo").click()
            dialog = page.locator("dialog.confirm-dialog[open]")
            expect(dialog).to_contain_text("Tiếp nhận báo cáo này?")
            j.step("xac-nhan-tiep-nhan")
            dialog.get_by_role("button", name="Đồng ý").click()
            j.flash("Đã tiếp nhận báo cáo.")
            expect(page.locator(".frozen")).to_be_visible()
            j.step("bao-cao-da-tiep-nhan")

            page.get_by_role("link", name="Xem số liệu tổng hợp").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng hợp")
            j.step("tong-hop")
            page.get_by_role("button", name="Tạo tệp Excel tổng hợp").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Tệp tổng hợp")
            j.step("tep-dang-tao")
            export_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
            _hold(page, "**/reports/exports/**")
            with db.session() as shared:
                tenant = shared.scalar(select(Tenant).where(Tenant.slug == "alpha"))
            with tenant_context(db, tenant) as scope:
                built = export_jobs.build_export.__wrapped__(
                    scope.session, scope, export_id=export_id
                )
                assert built == "done"
                scope.session.commit()
                assert scope.session.get(ReportExport, export_id).status.value == "done"
            expect(page.get_by_role("link", name="Tải tệp về")).to_be_visible(timeout=20_000)
            j.step("tep-da-xong")
            j.logout()

            # --- anyone: the public form of the residential area -------------------------
            j.go(f"/t/alpha/gop-y/{world.alpha.area_x}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            j.step("gop-y-cong-khai")
            page.check("input[name=kind][value=petition]")
            page.locator("#title").fill("Đường thôn bị hỏng")
            page.locator("#content").fill("Đường liên thôn hỏng nặng từ tháng trước.")
            page.check("input[name=reporter_mode][value=anonymous]")
            page.locator("#consent").check()
            page.get_by_role("button", name=re.compile("Gửi")).click()
            expect(page.get_by_text(re.compile("mã tra cứu", re.I)).first).to_be_visible()
            j.step("gop-y-da-gui")
        except Exception:
            # Where it stopped, for whoever reads the CI artifact.
            page.screenshot(path=str(artifacts / "zz-failed.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert len(j.steps) >= 25
    # Nothing left the app: no CDN, no external script, font or image.
    assert requested and all(url.startswith(live_server) for url in requested), {
        u for u in requested if not u.startswith(live_server)
    }
