"""OCR of uploaded letters with Tesseract (vie): text per page, thumbnails, search, statuses."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from PIL import Image
from sqlalchemy import select

from giamsat.cases.models import Case
from giamsat.cases.queries import case_queue_query
from giamsat.letters import jobs, queries
from giamsat.letters.models import Letter, OcrStatus
from tests.plugins.letters import incoming

# CI installs tesseract-ocr-vie (.ci/run): there the OCR tests must run, never skip.
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="tesseract-ocr-vie is installed by .ci/run",
)


@pytest.fixture()
def uploaded(make_opening, in_tenant, principal_of, storage_of, journal_of):
    from giamsat.letters import operations

    def run(*letters):
        opening = make_opening()
        with in_tenant("alpha") as scope:
            created = operations.upload_letters(
                scope.session,
                principal_of("alpha", "x-staff"),
                opening.id,
                list(letters),
                storage=storage_of("alpha"),
                journal=journal_of("alpha"),
            )
            scope.session.commit()
            return [c.id for c in created]

    return run


def _fold(text: str) -> str:
    from giamsat.cases.queries import fold

    return " ".join(fold(text).split())


@needs_tesseract
def test_ocr_recovers_vietnamese_text_of_a_photo_and_a_two_page_pdf(
    uploaded, tenant_session, storage_of, letter_jpeg, two_page_pdf, principal_of
):
    photo, pdf = uploaded([incoming(letter_jpeg, "a.jpg")], [incoming(two_page_pdf, "b.pdf")])
    with tenant_session("alpha") as session:
        for letter_id in (photo, pdf):
            assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "done"
        session.commit()
        letter = session.get(Letter, pdf)
        assert letter.ocr_status == OcrStatus.done and letter.ocr_attempts == 1
        pages = queries.letter_pages(session, letter)
        assert [p.page_number for p in pages] == [1, 2]
        first, second = (_fold(p.text) for p in pages)
        assert "duong lang bi hong" in first and "sua chua con duong" in first
        assert "trang hai" in second and "uy ban mat tran" in second
        assert "đường làng" in pages[0].text  # diacritics recovered, not only letters
        assert pages[0].dpi == 300 and 2400 < pages[0].width < 2600
        with storage_of("alpha").open(pages[0].thumbnail_key) as reader:
            thumb = Image.open(io.BytesIO(reader.read()))
        assert thumb.format == "JPEG" and thumb.width == 300
        photo_text = _fold(queries.letter_text(session, session.get(Letter, photo)))
        assert "phan anh" in photo_text and "mua lu" in photo_text
        # The search the cases queue will use (see the lead's change): accent-insensitive words.
        principal = principal_of("alpha", "x-staff")
        stmt = select(Case.id).where(queries.page_text_search_clause(Case.id, "duong LANG hỏng"))
        assert set(session.scalars(stmt)) == {session.get(Letter, photo).case_id, letter.case_id}
        stmt = select(Case.id).where(queries.page_text_search_clause(Case.id, "Trang hai"))
        assert list(session.scalars(stmt)) == [letter.case_id]
        del principal


@needs_tesseract
def test_cases_search_finds_letters_by_their_ocr_text(
    uploaded, tenant_session, storage_of, two_page_pdf, principal_of
):
    [pdf] = uploaded([incoming(two_page_pdf, "b.pdf")])
    with tenant_session("alpha") as session:
        jobs.process_letter(session, storage_of("alpha"), pdf)
        session.commit()
        found = session.scalars(
            case_queue_query(principal_of("alpha", "x-staff"), q="trang hai")
        ).all()
        assert [c.id for c in found] == [session.get(Letter, pdf).case_id]
        assert (
            session.scalars(case_queue_query(principal_of("alpha", "y-admin"), q="trang hai")).all()
            == []
        )


def test_missing_tesseract_marks_the_letter_unavailable(
    uploaded, tenant_session, storage_of, letter_jpeg, monkeypatch
):
    monkeypatch.setenv("GIAMSAT_TESSERACT", "no-such-tesseract-binary")
    [letter_id] = uploaded([incoming(letter_jpeg, "a.jpg")])
    with tenant_session("alpha") as session:
        assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "unavailable"
        session.commit()
        letter = session.get(Letter, letter_id)
        assert letter.ocr_status == OcrStatus.unavailable and "Tesseract" in letter.ocr_error
        assert letter.files[0].pages[0].thumbnail_key is None  # the letter is still there


def test_failures_are_recorded_retried_and_finally_kept(
    uploaded, tenant_session, storage_of, letter_jpeg, monkeypatch, tmp_path
):
    broken = tmp_path / "tesseract"
    broken.write_text("#!/bin/sh\necho 'Error opening data file vie.traineddata' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("GIAMSAT_TESSERACT", str(broken))
    [letter_id] = uploaded([incoming(letter_jpeg, "a.jpg")])
    with tenant_session("alpha") as session:
        for attempt in range(1, jobs.MAX_ATTEMPTS):
            with pytest.raises(Exception, match="vie.traineddata"):
                jobs.process_letter(session, storage_of("alpha"), letter_id)
            session.expire_all()
            letter = session.get(Letter, letter_id)
            assert (letter.ocr_status, letter.ocr_attempts) == (OcrStatus.failed, attempt)
            assert "vie.traineddata" in letter.ocr_error
        assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "failed"
        session.commit()
        session.expire_all()
        assert session.get(Letter, letter_id).ocr_attempts == jobs.MAX_ATTEMPTS
        # Given up: a late redelivery does nothing.
        assert jobs.process_letter(session, storage_of("alpha"), letter_id) == "skipped"
