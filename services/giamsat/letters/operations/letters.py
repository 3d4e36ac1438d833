"""Scanned letters: a batch upload makes each letter a case; a rescan is a new version; OCR is
queued after the commit (outbox)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.cases.models import CaseKind, Channel
from giamsat.cases.operations import receive_case
from giamsat.core import audit, clock, uploads
from giamsat.core.storage import new_key
from giamsat.letters.models import Letter, LetterFile, LetterPage, OcrStatus
from giamsat.letters.operations.common import LETTER_HANDLERS, record_change, require_role
from giamsat.letters.queries import get_letter, get_opening
from giamsat.letters.scans import KEY_PREFIX, IncomingFile, ScanBatch, refuse
from giamsat.letters.uploads import UploadJournal, guarded_objects
from giamsat.units.models import Unit

MAX_LETTERS_PER_BATCH = 100
MAX_FILES_PER_LETTER = 20
OCR_JOB = "giamsat.letters.jobs.ocr_letter"


def _tenant_storage():
    # Looked up at call time: tests stand a failing storage in for it.
    from giamsat.cases.attachments import tenant_storage

    return tenant_storage()


def _key_for(incoming: IncomingFile) -> str:
    # A big scan may already be on its way to storage under a key of its own (completed only
    # after its checks); any other key would abort that and put the file again.
    return uploads.reserved_key(incoming.stream) or new_key(KEY_PREFIX)


def _check_batch(letters: Sequence[Sequence[IncomingFile]]) -> None:
    letters = [files for files in letters if files]
    if not letters:
        raise refuse("Hãy chọn ít nhất một tệp bản quét thư.")
    if len(letters) > MAX_LETTERS_PER_BATCH:
        raise refuse(f"Mỗi lần tải lên tối đa {MAX_LETTERS_PER_BATCH} thư.")
    if any(len(files) > MAX_FILES_PER_LETTER for files in letters):
        raise refuse(f"Mỗi thư tối đa {MAX_FILES_PER_LETTER} tệp.")


def _store_files(
    session: Session, letter: Letter, files: Sequence[IncomingFile], keys, batch, on_file
) -> None:
    for position, (incoming, key) in enumerate(zip(files, keys, strict=True), start=1):
        scan = batch.store(key, incoming)
        stored = LetterFile(
            letter_id=letter.id,
            position=position,
            object_key=scan.key,
            original_name=scan.original_name,
            content_type=scan.content_type,
            size=scan.size,
            sha256=scan.sha256,
            page_count=scan.page_count,
        )
        session.add(stored)
        session.flush()
        for number in range(1, scan.page_count + 1):
            session.add(
                LetterPage(
                    letter_id=letter.id,
                    case_id=letter.case_id,
                    file_id=stored.id,
                    page_number=number,
                )
            )
        session.flush()
        on_file()


def upload_letters(
    session: Session,
    principal,
    opening_id: int,
    letters: Sequence[Sequence[IncomingFile]],
    *,
    kind=CaseKind.petition,
    storage=None,
    journal: UploadJournal | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Letter]:
    """Many letters of one opening in one batch; each letter is one or more files.

    Each letter becomes a case "received" (channel suggestion_box) at the box's commune, with
    the area set. All or nothing: a bad file or a storage failure leaves no row and no object.
    OCR is queued (outbox) to run after the commit."""
    opening = get_opening(session, opening_id, principal)
    box = opening.box
    area = box.unit
    commune = session.get(Unit, area.parent_id)
    require_role(
        principal,
        commune,
        LETTER_HANDLERS,
        "Bạn không có quyền nhập thư của hòm thư này (cần quyền xử lý hồ sơ của xã).",
    )
    _check_batch(letters)
    letters = [list(files) for files in letters if files]
    storage = storage or _tenant_storage()
    journal = journal or UploadJournal.for_current_tenant()
    keys = [[_key_for(incoming) for incoming in files] for files in letters]
    total, done = sum(len(files) for files in letters), 0

    def on_file():
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    created: list[Letter] = []
    received_on = opening.opened_at.astimezone(clock.zone()).date()
    with (
        guarded_objects(
            session,
            storage,
            [k for ks in keys for k in ks],
            journal=journal,
            purpose="letters",
            user_id=principal.user_id,
        ),
        ScanBatch(storage) as batch,
    ):
        for index, files in enumerate(letters, start=1):
            case = receive_case(
                session,
                principal,
                unit_id=commune.id,
                received_on=received_on,
                channel=Channel.suggestion_box,
                kind=kind,
                title=f"Thư hòm thư {box.label_code} mở ngày {received_on:%d/%m/%Y} (thư {index})",
                content=(
                    f"Thư bỏ vào hòm thư góp ý {box.label_code} đặt tại {box.location} "
                    f"({area.name}), thu được khi mở hòm ngày {received_on:%d/%m/%Y}. "
                    "Nội dung xem ở bản quét kèm theo."
                ),
                area_id=area.id,
            )
            letter = Letter(
                opening_id=opening.id,
                box_id=box.id,
                unit_id=commune.id,
                case_id=case.id,
                version=1,
                ocr_status=OcrStatus.queued,
                uploaded_by_id=principal.user_id,
            )
            session.add(letter)
            session.flush()
            _store_files(session, letter, files, keys[index - 1], batch, on_file)
            _after_letter(session, principal, letter)
            created.append(letter)
        # The rows are written while the big scans' last parts go up; completed now, after
        # the journal and before the commit.
        batch.complete()
    return created


def rescan_letter(
    session: Session,
    principal,
    letter_id: int,
    files: Sequence[IncomingFile],
    *,
    storage=None,
    journal: UploadJournal | None = None,
) -> Letter:
    """A new version of a letter (the original files stay as they are)."""
    previous = get_letter(session, letter_id, principal)
    commune = session.get(Unit, previous.unit_id)
    require_role(principal, commune, LETTER_HANDLERS, "Bạn không có quyền quét lại thư này.")
    _check_batch([files])
    files = list(files)
    latest = session.scalar(
        select(func.max(Letter.version)).where(Letter.case_id == previous.case_id)
    )
    storage = storage or _tenant_storage()
    keys = [_key_for(incoming) for incoming in files]
    with (
        guarded_objects(
            session,
            storage,
            keys,
            journal=journal or UploadJournal.for_current_tenant(),
            purpose="letters",
            user_id=principal.user_id,
        ),
        ScanBatch(storage) as batch,
    ):
        letter = Letter(
            opening_id=previous.opening_id,
            box_id=previous.box_id,
            unit_id=previous.unit_id,
            case_id=previous.case_id,
            version=latest + 1,
            replaces_id=previous.id,
            ocr_status=OcrStatus.queued,
            uploaded_by_id=principal.user_id,
        )
        session.add(letter)
        session.flush()
        _store_files(session, letter, files, keys, batch, lambda: None)
        _after_letter(session, principal, letter)
        batch.complete()
    return letter


def _after_letter(session, principal, letter: Letter) -> None:
    from giamsat.jobs.outbox import record_job

    record_change(
        session,
        principal,
        "create",
        letter,
        {},
        {"files": [None, [f.sha256 for f in letter.files]]},
    )
    record_job(session, OCR_JOB, letter_id=letter.id)


def retry_ocr(session: Session, principal, letter_id: int) -> Letter:
    """Queue OCR again (after a failure, or once tesseract is installed)."""
    letter = get_letter(session, letter_id, principal)
    require_role(
        principal,
        session.get(Unit, letter.unit_id),
        LETTER_HANDLERS,
        "Bạn không có quyền xử lý thư này.",
    )
    from giamsat.jobs.outbox import record_job

    before = audit.snapshot(letter)
    letter.ocr_status, letter.ocr_error, letter.ocr_attempts = OcrStatus.queued, None, 0
    session.flush()
    record_change(session, principal, "ocr_retry", letter, before)
    record_job(session, OCR_JOB, letter_id=letter.id)
    return letter
