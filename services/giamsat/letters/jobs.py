"""Background work of letters: OCR of a letter (queue `ocr`) and the orphan cleanup."""

from __future__ import annotations

import io
import logging

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from giamsat.core import events
from giamsat.core.db import utcnow
from giamsat.jobs.decorators import tenant_job
from giamsat.letters import case_text, ocr, ocr_reading, queries, thumbnails
from giamsat.letters.events import LetterOcrDone, LetterOcrFailed
from giamsat.letters.models import Letter, LetterFile, LetterPage, OcrStatus
from giamsat.letters.scans import downloaded
from giamsat.letters.uploads import ORPHAN_AGE, clean_orphans

log = logging.getLogger(__name__)
#: Attempts before a failure is final (RQ retries the job with backoff in between).
MAX_ATTEMPTS = 3


def _storage(tenant):
    from giamsat.cases.attachments import settings_for_storage
    from giamsat.core.storage import storage_for

    return storage_for(tenant, settings_for_storage())


def read_letter(session: Session, storage, letter: Letter) -> None:
    """OCR every page of every file, store thumbnails and text (flush only). Raises
    OcrUnavailable, OcrFailed, or StorageError."""
    ocr.tesseract_command()  # unavailable before touching anything
    for stored in session.scalars(
        select(LetterFile).where(LetterFile.letter_id == letter.id).order_by(LetterFile.position)
    ):
        pages = {p.page_number: p for p in stored.pages}
        with downloaded(storage, stored.object_key) as path:
            for page in ocr.iter_pages(path, stored.content_type):
                row = pages.get(page.number)
                if row is None:  # defensive: the page count came from the same file
                    row = LetterPage(
                        letter_id=letter.id,
                        case_id=letter.case_id,
                        file_id=stored.id,
                        page_number=page.number,
                    )
                    session.add(row)
                read = ocr_reading.read_page(page)
                thumb = thumbnails.thumbnail_jpeg(read.image)  # upright, as read
                key = thumbnails.thumbnail_key(stored.object_key, page.number)
                storage.put(
                    key, io.BytesIO(thumb), length=len(thumb), content_type=thumbnails.CONTENT_TYPE
                )
                row.thumbnail_key, row.text = key, read.reading.text
                row.width, row.height, row.dpi = read.image.width, read.image.height, read.dpi
                page.image.close()
                read.image.close()
                session.flush()
    session.execute(
        update(LetterPage)
        .where(LetterPage.letter_id == letter.id)
        .values(search_text=func.shared.fold(func.coalesce(LetterPage.text, "")))
    )
    case_text.refresh_search_extra(session, letter.case_id)
    letter.ocr_status, letter.ocr_error, letter.ocr_finished_at = OcrStatus.done, None, utcnow()
    session.flush()
    case_text.fill_case(session, letter.case, queries.letter_text(session, letter))


def process_letter(session: Session, storage, letter_id: int) -> str:
    """The job's body: the letter's OCR status afterwards. Failures are recorded on the letter
    (committed on their own, since the job's transaction is rolled back) and re-raised for RQ's
    retry until MAX_ATTEMPTS; the last failure is kept as `failed` with its reason."""
    letter = session.get(Letter, letter_id)
    if (
        letter is None
        or letter.ocr_status == OcrStatus.done
        or (letter.ocr_status == OcrStatus.failed and letter.ocr_attempts >= MAX_ATTEMPTS)
    ):
        return "skipped"  # done, or given up (retry_ocr starts over)
    letter.ocr_attempts += 1
    try:
        read_letter(session, storage, letter)
    except ocr.OcrUnavailable as exc:
        letter.ocr_status, letter.ocr_error = OcrStatus.unavailable, str(exc)
        session.flush()
        return letter.ocr_status.value
    except Exception as exc:
        reason = (
            str(exc)
            if isinstance(exc, ocr.OcrFailed)
            else f"lỗi khi nhận dạng: {exc.__class__.__name__}: {exc}"[:500]
        )
        attempts = letter.ocr_attempts
        session.rollback()  # drops the partial pages (thumbnails are overwritten next time)
        session.execute(
            update(Letter)
            .where(Letter.id == letter_id)
            .values(ocr_status=OcrStatus.failed, ocr_error=reason, ocr_attempts=attempts)
        )
        if attempts >= MAX_ATTEMPTS:
            log.warning("OCR of letter %s failed for good: %s", letter_id, reason)
            # Committed with the final status by the job: the unit's staff are told.
            events.emit(session, LetterOcrFailed(letter=session.get(Letter, letter_id)))
            return OcrStatus.failed.value
        session.commit()
        raise
    if letter.ocr_status == OcrStatus.done:
        # Committed with the text by the job: whoever uploaded it need not keep looking.
        events.emit(session, LetterOcrDone(letter=letter))
    return letter.ocr_status.value


@tenant_job(queue="ocr")
def ocr_letter(session: Session, tenant, *, letter_id: int) -> str:
    return process_letter(session, _storage(tenant), letter_id)


@tenant_job(queue="default")
def clean_orphan_uploads(session: Session, tenant) -> int:
    """Objects of uploads that crashed between writing them and committing their rows, and
    multipart uploads a killed web worker left unfinished (never objects, but they take space)."""
    storage = _storage(tenant)
    storage.abort_stale_multipart(ORPHAN_AGE)
    return clean_orphans(session, storage)
