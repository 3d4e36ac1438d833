"""A read letter becomes a useful case: title from its first meaningful line, content from its
OCR text, never over staff's corrections; and letters of one opening are not "related" just
because they share the upload's placeholder words."""

from __future__ import annotations

import pytest
from PIL import Image

from giamsat.cases import operations as case_operations
from giamsat.cases.queries import related_cases
from giamsat.letters import case_text, jobs
from giamsat.letters.models import Letter
from giamsat.letters.ocr import Reading
from giamsat.letters.ocr_reading import PageReading
from tests.plugins import ocr_corpus
from tests.plugins.letters import as_bytes, incoming

ROAD = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nĐƠN PHẢN ÁNH\n"
    "Kính gửi: Ban Thường trực Ủy ban MTTQ xã\n\n"
    "Đường liên thôn Đông Tây bị sụt lún sau mưa lũ, xe máy không đi được.\n"
    "Đề nghị sớm sửa chữa."
)
MARKET = (
    "THƯ GÓP Ý\nV/v: Chợ cóc lấn chiếm lòng đường trước trường tiểu học\n\n"
    "Kính gửi Ban công tác Mặt trận,\nSáng nào chợ cũng họp tràn ra đường, học sinh rất nguy hiểm."
)
LIGHTS = "Hà Nội, ngày 5 tháng 2 năm 2026\n\nĐèn đường ở ngã ba cầu Đông hỏng đã hai tháng."


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (ROAD, "Đường liên thôn Đông Tây bị sụt lún sau mưa lũ, xe máy không đi được"),
        (MARKET, "Chợ cóc lấn chiếm lòng đường trước trường tiểu học"),
        (LIGHTS, "Đèn đường ở ngã ba cầu Đông hỏng đã hai tháng"),
        ("~ | ,.\nĐƠN KIẾN NGHỊ\n", None),  # noise and a bare heading say nothing
        # The writer's name and address are no title (titles go into notifications).
        (
            "Tôi tên là Nguyễn Văn An, sinh năm 1970\nTrú tại thôn Đông, xã Hòa Bình\n"
            "Số CCCD 012345678901\nXin phản ánh việc lấn chiếm đất công ở xóm Bãi",
            "Xin phản ánh việc lấn chiếm đất công ở xóm Bãi",
        ),
    ],
)
def test_the_title_is_the_first_meaningful_line(text, title):
    assert case_text.first_meaningful_line(text) == title


def test_titles_and_excerpts_are_cut_at_a_word():
    assert case_text.title_from("ĐỀ NGHỊ SỬA ĐƯỜNG") == "Đề nghị sửa đường"
    long = " ".join(["đường làng"] * 200)
    title = case_text.title_from(long)
    assert len(title) <= case_text.TITLE_CHARS + 1 and title.endswith("đường…")
    cut = case_text.excerpt(long)
    assert len(cut) <= case_text.EXCERPT_CHARS + 1 and cut.endswith("…")
    assert case_text.excerpt("a\n\n\n\n\nb") == "a\n\nb"


@pytest.fixture()
def letters_of_one_opening(make_opening, in_tenant, principal_of, storage_of, journal_of):
    """`letters_of_one_opening(n)` — n letters uploaded from one opening: (letter id, case id)."""
    from giamsat.letters import operations

    page = as_bytes(Image.new("L", (400, 560), 255), "PNG")

    def upload(count: int) -> list[tuple[int, int]]:
        opening = make_opening()
        with in_tenant("alpha") as scope:
            created = operations.upload_letters(
                scope.session,
                principal_of("alpha", "x-staff"),
                opening.id,
                [[incoming(page, f"thu-{n}.png")] for n in range(count)],
                storage=storage_of("alpha"),
                journal=journal_of("alpha"),
            )
            scope.session.commit()
            return [(letter.id, letter.case_id) for letter in created]

    return upload


@pytest.fixture()
def read_as(monkeypatch, tenant_session, storage_of):
    """`read_as({letter_id: text})` — runs the OCR job, tesseract standing in by those texts."""

    def run(texts: dict[int, str]) -> None:
        current: dict[str, int] = {}

        def fake_read(page):
            return PageReading(Reading(texts[current["id"]]), page.image.copy(), 300, "plain")

        monkeypatch.setattr(jobs.ocr_reading, "read_page", fake_read)
        with tenant_session("alpha") as session:
            for letter_id in texts:
                current["id"] = letter_id
                assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "done"
            session.commit()

    return run


def test_a_read_letter_gives_its_case_a_title_and_its_text(
    letters_of_one_opening, read_as, tenant_session
):
    [(letter_id, case_id)] = letters_of_one_opening(1)
    with tenant_session("alpha") as session:
        placeholder = session.get(Letter, letter_id).case.title
    assert placeholder.startswith("Thư hòm thư")
    read_as({letter_id: ROAD})
    with tenant_session("alpha") as session:
        case = session.get(Letter, letter_id).case
        assert case.title == "Đường liên thôn Đông Tây bị sụt lún sau mưa lũ, xe máy không đi được"
        assert case.content.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập")
        assert "Đề nghị sớm sửa chữa." in case.content


def test_a_case_corrected_by_staff_keeps_its_words(
    letters_of_one_opening, read_as, tenant_session, principal_of
):
    [(letter_id, case_id)] = letters_of_one_opening(1)
    with tenant_session("alpha") as session:
        case_operations.update_case(
            session,
            principal_of("alpha", "x-staff"),
            case_id,
            title="Đường liên thôn hỏng (cán bộ ghi)",
            content="Cán bộ đã đọc thư và ghi lại nội dung.",
        )
        session.commit()
    read_as({letter_id: ROAD})
    with tenant_session("alpha") as session:
        case = session.get(Letter, letter_id).case
        assert case.title == "Đường liên thôn hỏng (cán bộ ghi)"


def _hints(tenant_session, principal_of, case_id) -> set[int]:
    from giamsat.cases.models import Case

    with tenant_session("alpha") as session:
        case = session.get(Case, case_id)
        return {
            h["case"].id for h in related_cases(session, case, principal_of("alpha", "x-staff"))
        }


def test_letters_of_one_opening_are_related_only_by_their_own_words(
    letters_of_one_opening, read_as, tenant_session, principal_of
):
    (road, road_case), (market, market_case), (again, again_case) = letters_of_one_opening(3)
    # Not read yet: the same placeholder title and content, and still no hint.
    for case_id in (road_case, market_case, again_case):
        assert _hints(tenant_session, principal_of, case_id) == set()
    read_as({road: ROAD, market: MARKET})
    assert _hints(tenant_session, principal_of, road_case) == set()
    assert _hints(tenant_session, principal_of, market_case) == set()
    # A second letter about the same road is a hint, by its words.
    read_as({again: ROAD.replace("Đề nghị sớm sửa chữa.", "Mong được sửa sớm.")})
    assert _hints(tenant_session, principal_of, road_case) == {again_case}


def test_a_real_scan_titles_its_case(
    make_opening, in_tenant, principal_of, storage_of, journal_of, tenant_session
):
    from giamsat.letters import operations

    image, lines = ocr_corpus.render_page(
        ["ĐƠN KIẾN NGHỊ", "Kính gửi: Ban công tác Mặt trận khu dân cư", *ocr_corpus.SENTENCES[:2]],
        "serif",
    )
    opening = make_opening()
    with in_tenant("alpha") as scope:
        [letter] = operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(as_bytes(image, "PNG", dpi=(300, 300)), "thu.png")]],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        scope.session.commit()
        letter_id = letter.id
    with tenant_session("alpha") as session:
        assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "done"
        session.commit()
        case = session.get(Letter, letter_id).case
        # The first sentence's line, not the heading or the greeting.
        assert case.title == lines[2].rstrip(".")
        words = " ".join(case.content.split())
        assert words.startswith("ĐƠN KIẾN NGHỊ Kính gửi: Ban công tác Mặt trận khu dân cư Tôi")
