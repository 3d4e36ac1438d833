"""The yearly review pages: a commune drafts, writes and submits its review; the province
sees the roll-up and downloads it; refusals are plain sentences with 422; a commune never
sees another's review, nor a province another province's."""

from __future__ import annotations

import io
import re

from docx import Document
from sqlalchemy import select

from giamsat.reports.yearly_review.models import ReviewSection, ReviewStatus, YearlyReview
from tests.plugins.cases import IDENTITY
from tests.plugins.docx import docx_texts
from tests.plugins.pages import text_of

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.I)
YEAR = 2026


def _switch(pages, who: str, slug: str = "alpha") -> None:
    pages.post(f"/t/{slug}/logout")
    pages.login(slug, who)


def _open(pages, unit_id, year=YEAR):
    return pages.post(f"/t/alpha/reviews/units/{unit_id}/years/{year}/open")


def _review_id(response) -> int:
    match = re.search(r"/reviews/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def _sections(tenant_session) -> list[int]:
    with tenant_session("alpha") as session:
        return list(
            session.scalars(
                select(ReviewSection.id)
                .where(ReviewSection.is_active.is_(True))
                .order_by(ReviewSection.sort_order)
            )
        )


def _write(pages, review_id, section_ids, text):
    data = {f"section-{sid}": text for sid in section_ids}
    return pages.post(f"/t/alpha/reviews/{review_id}/edit", data)


def _figure(html: str, code: str) -> str:
    row = re.search(rf'<tr id="figure-{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert row, code
    return re.search(r"<strong>(\d+)</strong>", row.group(1)).group(1)


def test_every_review_page_renders_without_external_urls(pages, world, seeded, tenant_session):
    a = world.alpha
    pages.login("alpha", "admin")
    review_id = _review_id(_open(pages, a.province))
    section_id = _sections(tenant_session)[0]
    for url in (
        "/t/alpha/reviews/",
        f"/t/alpha/reviews/?unit={a.commune_x}&year={YEAR}",
        f"/t/alpha/reviews/{review_id}",
        f"/t/alpha/reviews/{review_id}/edit",
        "/t/alpha/reviews/sections",
        f"/t/alpha/reviews/sections/{section_id}/edit",
    ):
        response = pages.get(url)
        assert response.status_code == 200, url
        assert not EXTERNAL.search(response.get_data(as_text=True)), url
    assert 'href="/t/alpha/reviews/"' in pages.get("/t/alpha/").get_data(as_text=True)


def test_commune_drafts_writes_submits_and_the_province_rolls_up(
    pages, world, seeded, tenant_session
):
    a = world.alpha
    sections = _sections(tenant_session)
    pages.login("alpha", "x-staff")
    x_id = _review_id(_open(pages, a.commune_x))
    html = pages.get(f"/t/alpha/reviews/{x_id}").get_data(as_text=True)
    assert _figure(html, "activities.held") == "3"  # the seeded sessions at commune X
    assert _figure(html, "intake.received") == "2"  # the cases at its residential area
    # Submitting with sections unwritten: refused, said in a sentence, nothing changed.
    _write(pages, x_id, sections[:1], "Đã quán triệt tới các chi bộ.")
    refused = pages.post(f"/t/alpha/reviews/{x_id}/submit", {"checked": "y"})
    assert refused.status_code == 422
    assert "còn mục chưa viết" in text_of(refused)
    saved = _write(pages, x_id, sections, "Xã Đông đã làm theo kế hoạch.")
    assert saved.status_code == 302
    sent = pages.post(f"/t/alpha/reviews/{x_id}/submit", {"checked": "y"})
    assert sent.status_code == 302
    assert "Đã gửi cấp trên" in text_of(pages.get(f"/t/alpha/reviews/{x_id}"))
    late_edit = pages.get(f"/t/alpha/reviews/{x_id}/edit")
    assert late_edit.status_code == 302 and late_edit.headers["Location"].endswith(f"/{x_id}")
    refused_edit = _write(pages, x_id, sections, "Sửa sau khi gửi")
    assert refused_edit.status_code == 409 and "không sửa được nữa" in text_of(refused_edit)
    # The Word file opens and holds the figures and the text.
    file = pages.get(f"/t/alpha/reviews/{x_id}/file.docx")
    assert file.status_code == 200 and file.headers["Cache-Control"] == "private, no-store"
    texts = docx_texts(file.data)
    assert "Xã Đông đã làm theo kế hoạch." in texts and "3" in texts
    Document(io.BytesIO(file.data))
    # Commune Y too, then the province's roll-up sums both.
    _switch(pages, "y-admin")
    y_id = _review_id(_open(pages, a.commune_y))
    _write(pages, y_id, sections, "Phường Tây cần cố gắng.")
    assert pages.post(f"/t/alpha/reviews/{y_id}/submit", {"checked": "y"}).status_code == 302
    _switch(pages, "admin")
    page = pages.get(f"/t/alpha/reviews/?unit={a.province}&year={YEAR}")
    assert _figure(page.get_data(as_text=True), "activities.held") == "4"
    page_text = text_of(page)
    assert "Xã Đông đã làm theo kế hoạch." in page_text and "Phường Tây cần cố gắng." in page_text
    rollup = pages.get(f"/t/alpha/reviews/rollup.docx?unit={a.province}&year={YEAR}")
    texts = docx_texts(rollup.data)
    assert "4" in texts and "Phường Tây cần cố gắng." in texts
    with tenant_session("alpha") as session:
        statuses = {r.unit_id: r.status for r in session.scalars(select(YearlyReview))}
    assert statuses == {a.commune_x: ReviewStatus.submitted, a.commune_y: ReviewStatus.submitted}


def test_bad_input_gets_422_and_a_plain_sentence(pages, world, seeded, tenant_session):
    a = world.alpha
    pages.login("alpha", "x-staff")
    future = _open(pages, a.commune_x, year=2099)
    assert future.status_code == 422
    assert "Năm đánh giá phải từ 2000" in text_of(future)
    review_id = _review_id(_open(pages, a.commune_x))
    too_long = _write(pages, review_id, _sections(tenant_session)[:1], "x" * 50_001)
    assert too_long.status_code == 422
    assert "dài quá 50000 ký tự" in text_of(too_long)
    _switch(pages, "admin")
    empty = pages.post("/t/alpha/reviews/sections", {"title": " ", "sort_order": ""})
    assert empty.status_code == 422 and "Hãy nhập tên mục" in text_of(empty)
    added = pages.post("/t/alpha/reviews/sections", {"title": "Công tác bảo vệ người phát giác"})
    assert added.status_code == 302
    assert "Công tác bảo vệ người phát giác" in text_of(pages.get("/t/alpha/reviews/sections"))
    _switch(pages, "x-admin")
    assert pages.post("/t/alpha/reviews/sections", {"title": "Mục khác"}).status_code == 403


def test_a_commune_never_sees_another_and_a_province_never_sees_another(pages, world, seeded):
    a = world.alpha
    pages.login("alpha", "y-admin")
    y_id = _review_id(_open(pages, a.commune_y))
    _switch(pages, "x-staff")
    assert pages.get(f"/t/alpha/reviews/{y_id}").status_code == 404
    assert pages.get(f"/t/alpha/reviews/{y_id}/file.docx").status_code == 404
    assert _open(pages, a.commune_y).status_code == 404
    assert pages.get(f"/t/alpha/reviews/?unit={a.province}").status_code == 404
    _switch(pages, "admin", "beta")
    assert pages.get(f"/t/beta/reviews/{y_id}").status_code == 404
    assert pages.get(f"/t/alpha/reviews/{y_id}").status_code in (302, 403, 404)


def test_no_reporter_identity_in_the_review_its_roll_up_or_their_files(
    pages, world, seeded, catalogue, reporter_keys, tenant_session
):
    a = world.alpha
    pages.login("alpha", "x-staff")
    intake = pages.post(
        "/t/alpha/cases/new",
        {
            "received_on": "2026-03-03",
            "channel": "in_person",
            "kind": "petition",
            "title": "Phản ánh đường làng",
            "content": "Đường làng bị lấn chiếm.",
            "reporter_mode": "open",
            "reporter_name": IDENTITY["name"],
            "reporter_contact": IDENTITY["contact"],
            "reporter_address": IDENTITY["address"],
        },
    )
    assert intake.status_code == 302, text_of(intake)
    review_id = _review_id(_open(pages, a.commune_x))
    html = pages.get(f"/t/alpha/reviews/{review_id}").get_data(as_text=True)
    assert _figure(html, "intake.received") == "3"  # the new case is counted, not named
    _write(pages, review_id, _sections(tenant_session), "Nội dung")
    pages.post(f"/t/alpha/reviews/{review_id}/submit", {"checked": "y"})
    _switch(pages, "admin")
    surfaces = [
        pages.get(f"/t/alpha/reviews/{review_id}").get_data(as_text=True),
        pages.get(f"/t/alpha/reviews/?unit={a.province}&year={YEAR}").get_data(as_text=True),
        "\n".join(docx_texts(pages.get(f"/t/alpha/reviews/{review_id}/file.docx").data)),
        "\n".join(docx_texts(pages.get(f"/t/alpha/reviews/rollup.docx?unit={a.province}").data)),
    ]
    with tenant_session("alpha") as session:
        surfaces.append(str(session.get(YearlyReview, review_id).figures))
    for surface in surfaces:
        for value in IDENTITY.values():
            assert value not in surface
