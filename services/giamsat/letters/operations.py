"""State changes of suggestion boxes, openings and letters. Flush only, never commit; audit
every write; Vietnamese errors (422 with field errors, 403, 404)."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core import events
from giamsat.letters.events import LetterRecordChanged
from giamsat.identity import Role
from giamsat.cases.models import CaseKind, Channel
from giamsat.cases.operations import receive_case
from giamsat.core import audit
from giamsat.core.errors import Forbidden, ValidationFailed
from giamsat.core.storage import new_key
from giamsat.jobs.schedules import LOCAL_TZ
from giamsat.letters import minutes as minutes_docx
from giamsat.letters.models import (
    BoxOpening,
    BoxStatus,
    Letter,
    LetterFile,
    LetterPage,
    OcrStatus,
    SealCondition,
    SuggestionBox,
)
from giamsat.letters.queries import get_box, get_letter, get_opening
from giamsat.letters.scans import (
    KEY_PREFIX,
    IncomingFile,
    put_object,
    refuse,
    store_scan,
)
from giamsat.letters.uploads import UploadJournal, guarded_objects
from giamsat.units.models import Unit
from giamsat.units.queries import get_residential_area, get_rule

#: Who may keep the box register (hòm thư) of an area.
BOX_KEEPERS = frozenset({Role.staff, Role.unit_admin, Role.tenant_admin})
#: Who may record openings and upload letters (they become cases): the case handlers.
LETTER_HANDLERS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})
DEFAULT_KEY_HOLDER = "Trưởng ban Công tác Mặt trận khu dân cư"
MAX_LETTERS_PER_BATCH = 100
MAX_FILES_PER_LETTER = 20
OCR_JOB = "giamsat.letters.jobs.ocr_letter"
MINUTES_PREFIX = "letters/minutes"


_OBJECT_TYPES = {SuggestionBox: "suggestion_box", BoxOpening: "box_opening", Letter: "letter"}


class _Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise ValidationFailed(first if len(self.errors) == 1 else
                                   "Thông tin chưa hợp lệ; hãy sửa các ô được đánh dấu.",
                                   errors=self.errors)


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _require(principal, unit: Unit, roles, message: str) -> None:
    if not principal.has_role_over(unit.path, roles):
        raise Forbidden(message)


def _audit(session, principal, action: str, obj, before: dict, request_id, extra=None) -> None:
    changes = audit.diff(before, audit.snapshot(obj)) | (extra or {})
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action=action, object_type=_OBJECT_TYPES[type(obj)], object_id=obj.id,
                 changes=changes, request_id=request_id)
    events.emit(session, LetterRecordChanged(obj=obj, before=before, action=action))


# -- boxes ------------------------------------------------------------------------------------
def next_label_code(session: Session) -> str:
    highest = session.scalar(select(func.max(SuggestionBox.id))) or 0
    code = f"HT-{highest + 1:05d}"
    while session.scalar(select(SuggestionBox.id).where(SuggestionBox.label_code == code)):
        highest += 1
        code = f"HT-{highest + 1:05d}"
    return code


def create_box(session: Session, principal, *, area_id: int, location: str,
               installed_on: dt.date | None, keeper: str | None = None,
               label_code: str | None = None, notes: str = "",
               request_id: str | None = None) -> SuggestionBox:
    """Register a box in a residential area; the keeper defaults to the rule `box_key_holder`."""
    area = get_residential_area(session, area_id, principal)
    _require(principal, area, BOX_KEEPERS, "Bạn không có quyền quản lý hòm thư của khu dân cư này.")
    errors = _Errors()
    location = _text(location)
    if not location:
        errors.add("location", "Hãy nhập nơi đặt hòm thư (ví dụ: nhà văn hóa thôn).")
    elif len(location) > 300:
        errors.add("location", "Nơi đặt dài quá 300 ký tự.")
    keeper = _text(keeper) or str(get_rule(session, "box_key_holder", DEFAULT_KEY_HOLDER))
    if len(keeper) > 200:
        errors.add("keeper", "Tên người giữ hòm thư dài quá 200 ký tự.")
    if installed_on is None:
        errors.add("installed_on", "Hãy nhập ngày đặt hòm thư.")
    elif installed_on > dt.date.today():
        errors.add("installed_on", "Ngày đặt hòm thư không được ở tương lai.")
    label_code = _text(label_code).upper() or next_label_code(session)
    if len(label_code) > 40:
        errors.add("label_code", "Mã hòm thư dài quá 40 ký tự.")
    elif session.scalar(select(SuggestionBox.id).where(SuggestionBox.label_code == label_code)):
        errors.add("label_code", "Mã hòm thư này đã được dùng cho hòm thư khác.")
    errors.raise_if_any()
    box = SuggestionBox(unit_id=area.id, label_code=label_code, location=location, keeper=keeper,
                        installed_on=installed_on, status=BoxStatus.active, notes=_text(notes))
    session.add(box)
    session.flush()
    _audit(session, principal, "create", box, {}, request_id)
    return box


def update_box(session: Session, principal, box_id: int, *, location: str | None = None,
               keeper: str | None = None, installed_on: dt.date | None = None,
               status=None, notes: str | None = None,
               request_id: str | None = None) -> SuggestionBox:
    """Change a box's details or status (active / removed / damaged); None leaves a field."""
    box = get_box(session, box_id, principal)
    _require(principal, box.unit, BOX_KEEPERS, "Bạn không có quyền quản lý hòm thư này.")
    before = audit.snapshot(box)
    errors = _Errors()
    if location is not None:
        if not _text(location):
            errors.add("location", "Hãy nhập nơi đặt hòm thư.")
        box.location = _text(location)[:300]
    if keeper is not None:
        if not _text(keeper):
            errors.add("keeper", "Hãy nhập người giữ hòm thư.")
        box.keeper = _text(keeper)[:200]
    if installed_on is not None:
        if installed_on > dt.date.today():
            errors.add("installed_on", "Ngày đặt hòm thư không được ở tương lai.")
        box.installed_on = installed_on
    if status is not None:
        try:
            box.status = BoxStatus(status)
        except ValueError:
            errors.add("status", "Tình trạng hòm thư phải là: đang dùng, đã thu hồi hoặc hư hỏng.")
    if notes is not None:
        box.notes = _text(notes)
    errors.raise_if_any()
    session.flush()
    _audit(session, principal, "update", box, before, request_id)
    return box


def qr_target(box: SuggestionBox) -> tuple[str, dict]:
    """The endpoint and values of the public intake form a box's QR label points at."""
    return "cases_public.submit", {"unit_id": box.unit_id}


# -- openings ---------------------------------------------------------------------------------
def _clean_witnesses(raw, errors: _Errors) -> list[dict]:
    witnesses = []
    for index, item in enumerate(raw or []):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            errors.add(f"witnesses.{index}", "Người chứng kiến không hợp lệ.")
            continue
        name, role = _text(item.get("name"))[:200], _text(item.get("role"))[:200]
        if not name and not role:
            continue  # an empty row of the form
        if not name:
            errors.add(f"witnesses.{index}.name", "Hãy nhập họ tên người chứng kiến.")
            continue
        witnesses.append({"name": name, "role": role})
    return witnesses


def minimum_witnesses(session: Session) -> int:
    try:
        return max(0, int(get_rule(session, "box_min_witnesses", 2)))
    except (TypeError, ValueError):
        return 2


def minutes_required(session: Session) -> bool:
    return bool(get_rule(session, "box_minutes_required", True))


def record_opening(session: Session, principal, box_id: int, *, opened_at: dt.datetime | None,
                   witnesses, seal_condition, letters_found, notes: str = "",
                   with_minutes: bool = True, storage=None,
                   journal: UploadJournal | None = None,
                   request_id: str | None = None) -> BoxOpening:
    """Record an opening (mở hòm thư). The minutes DOCX is generated now and kept as written;
    the tenant rule `box_minutes_required` refuses an opening without it."""
    box = get_box(session, box_id, principal)
    _require(principal, box.unit, LETTER_HANDLERS,
             "Bạn không có quyền ghi việc mở hòm thư của khu dân cư này.")
    errors = _Errors()
    if box.status != BoxStatus.active:
        errors.add("box_id", "Hòm thư này không còn sử dụng (đã thu hồi hoặc hư hỏng).")
    if opened_at is None:
        errors.add("opened_at", "Hãy nhập ngày giờ mở hòm thư.")
    else:
        if opened_at.tzinfo is None:
            opened_at = opened_at.replace(tzinfo=LOCAL_TZ)
        if opened_at > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
            errors.add("opened_at", "Thời điểm mở hòm thư không được ở tương lai.")
        elif opened_at.astimezone(LOCAL_TZ).date() < box.installed_on:
            errors.add("opened_at", "Thời điểm mở hòm thư trước ngày đặt hòm thư.")
    people = _clean_witnesses(witnesses, errors)
    needed = minimum_witnesses(session)
    if len(people) < needed:
        errors.add("witnesses", f"Cần ít nhất {needed} người chứng kiến khi mở hòm thư "
                                f"(quy định của địa phương); mới có {len(people)}.")
    try:
        seal = SealCondition(seal_condition)
    except ValueError:
        seal = None
        errors.add("seal_condition", "Hãy chọn tình trạng niêm phong: còn nguyên, bị rách/mở, "
                                     "hoặc không niêm phong.")
    try:
        found = int(letters_found)
        if found < 0 or found > 10_000:
            raise ValueError
    except (TypeError, ValueError):
        found = 0
        errors.add("letters_found", "Số thư thu được phải là số nguyên từ 0 trở lên.")
    if not with_minutes and minutes_required(session):
        errors.add("with_minutes", "Địa phương quy định mỗi lần mở hòm thư phải có biên bản.")
    errors.raise_if_any()

    opening = BoxOpening(box_id=box.id, unit_id=box.unit_id, opened_at=opened_at,
                         witnesses=people, seal_condition=seal, letters_found=found,
                         notes=_text(notes), created_by_id=principal.user_id)
    session.add(opening)
    session.flush()
    if with_minutes:
        _write_minutes(session, principal, opening, box, storage=storage, journal=journal)
    _audit(session, principal, "create", opening, {}, request_id)
    return opening


def _write_minutes(session, principal, opening: BoxOpening, box: SuggestionBox, *, storage,
                   journal) -> None:
    area = box.unit
    commune = session.get(Unit, area.parent_id) or area
    local = opening.opened_at.astimezone(LOCAL_TZ)
    year_start = dt.datetime(local.year, 1, 1, tzinfo=LOCAL_TZ)
    number = session.scalar(select(func.count()).select_from(BoxOpening).where(
        BoxOpening.box_id == box.id, BoxOpening.minutes_key.is_not(None),
        BoxOpening.opened_at >= year_start,
        BoxOpening.opened_at < year_start.replace(year=local.year + 1))) + 1
    body = minutes_docx.build_minutes(minutes_docx.MinutesContext(
        box=box, area=area, commune=commune, opening=opening, number=number, local_time=local))
    storage = storage or _tenant_storage()
    key = new_key(MINUTES_PREFIX)
    with guarded_objects(session, storage, [key], journal=journal or UploadJournal.for_current_tenant(),
                         purpose="minutes", user_id=principal.user_id):
        put_object(storage, key, io.BytesIO(body), len(body), minutes_docx.CONTENT_TYPE)
        opening.minutes_key = key
        opening.minutes_sha256 = hashlib.sha256(body).hexdigest()
        session.flush()


# -- letters ----------------------------------------------------------------------------------
def _check_batch(letters: Sequence[Sequence[IncomingFile]]) -> None:
    letters = [files for files in letters if files]
    if not letters:
        raise refuse("Hãy chọn ít nhất một tệp bản quét thư.")
    if len(letters) > MAX_LETTERS_PER_BATCH:
        raise refuse(f"Mỗi lần tải lên tối đa {MAX_LETTERS_PER_BATCH} thư.")
    if any(len(files) > MAX_FILES_PER_LETTER for files in letters):
        raise refuse(f"Mỗi thư tối đa {MAX_FILES_PER_LETTER} tệp.")


def _store_files(session: Session, letter: Letter, files: Sequence[IncomingFile], keys,
                 storage, on_file) -> None:
    for position, (incoming, key) in enumerate(zip(files, keys, strict=True), start=1):
        scan = store_scan(storage, key, incoming)
        stored = LetterFile(letter_id=letter.id, position=position, object_key=scan.key,
                            original_name=scan.original_name, content_type=scan.content_type,
                            size=scan.size, sha256=scan.sha256, page_count=scan.page_count)
        session.add(stored)
        session.flush()
        for number in range(1, scan.page_count + 1):
            session.add(LetterPage(letter_id=letter.id, case_id=letter.case_id,
                                   file_id=stored.id, page_number=number))
        session.flush()
        on_file()


def upload_letters(session: Session, principal, opening_id: int,
                   letters: Sequence[Sequence[IncomingFile]], *, kind=CaseKind.petition,
                   storage=None, journal: UploadJournal | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   request_id: str | None = None) -> list[Letter]:
    """Many letters of one opening in one batch; each letter is one or more files.

    Each letter becomes a case "received" (channel suggestion_box) at the box's commune, with
    the area set. All or nothing: a bad file or a storage failure leaves no row and no object.
    OCR is queued (outbox) to run after the commit."""
    opening = get_opening(session, opening_id, principal)
    box = opening.box
    area = box.unit
    commune = session.get(Unit, area.parent_id)
    _require(principal, commune, LETTER_HANDLERS,
             "Bạn không có quyền nhập thư của hòm thư này (cần quyền xử lý hồ sơ của xã).")
    _check_batch(letters)
    letters = [list(files) for files in letters if files]
    storage = storage or _tenant_storage()
    journal = journal or UploadJournal.for_current_tenant()
    keys = [[new_key(KEY_PREFIX) for _ in files] for files in letters]
    total, done = sum(len(files) for files in letters), 0

    def on_file():
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    created: list[Letter] = []
    received_on = opening.opened_at.astimezone(LOCAL_TZ).date()
    with guarded_objects(session, storage, [k for ks in keys for k in ks], journal=journal,
                         purpose="letters", user_id=principal.user_id):
        for index, files in enumerate(letters, start=1):
            case = receive_case(
                session, principal, unit_id=commune.id, received_on=received_on,
                channel=Channel.suggestion_box, kind=kind,
                title=f"Thư hòm thư {box.label_code} mở ngày {received_on:%d/%m/%Y} (thư {index})",
                content=(f"Thư bỏ vào hòm thư góp ý {box.label_code} đặt tại {box.location} "
                         f"({area.name}), thu được khi mở hòm ngày {received_on:%d/%m/%Y}. "
                         "Nội dung xem ở bản quét kèm theo."),
                area_id=area.id)
            letter = Letter(opening_id=opening.id, box_id=box.id, unit_id=commune.id,
                            case_id=case.id, version=1, ocr_status=OcrStatus.queued,
                            uploaded_by_id=principal.user_id)
            session.add(letter)
            session.flush()
            _store_files(session, letter, files, keys[index - 1], storage, on_file)
            _after_letter(session, principal, letter, request_id)
            created.append(letter)
    return created


def rescan_letter(session: Session, principal, letter_id: int, files: Sequence[IncomingFile],
                  *, storage=None, journal: UploadJournal | None = None,
                  request_id: str | None = None) -> Letter:
    """A new version of a letter (the original files stay as they are)."""
    previous = get_letter(session, letter_id, principal)
    commune = session.get(Unit, previous.unit_id)
    _require(principal, commune, LETTER_HANDLERS, "Bạn không có quyền quét lại thư này.")
    _check_batch([files])
    files = list(files)
    latest = session.scalar(select(func.max(Letter.version)).where(
        Letter.case_id == previous.case_id))
    storage = storage or _tenant_storage()
    keys = [new_key(KEY_PREFIX) for _ in files]
    with guarded_objects(session, storage, keys, journal=journal or
                         UploadJournal.for_current_tenant(), purpose="letters",
                         user_id=principal.user_id):
        letter = Letter(opening_id=previous.opening_id, box_id=previous.box_id,
                        unit_id=previous.unit_id, case_id=previous.case_id,
                        version=latest + 1, replaces_id=previous.id,
                        ocr_status=OcrStatus.queued, uploaded_by_id=principal.user_id)
        session.add(letter)
        session.flush()
        _store_files(session, letter, files, keys, storage, lambda: None)
        _after_letter(session, principal, letter, request_id)
    return letter


def _after_letter(session, principal, letter: Letter, request_id) -> None:
    from giamsat.jobs.outbox import record_job

    _audit(session, principal, "create", letter, {}, request_id,
           {"files": [None, [f.sha256 for f in letter.files]]})
    record_job(session, OCR_JOB, letter_id=letter.id)


def retry_ocr(session: Session, principal, letter_id: int,
              request_id: str | None = None) -> Letter:
    """Queue OCR again (after a failure, or once tesseract is installed)."""
    letter = get_letter(session, letter_id, principal)
    _require(principal, session.get(Unit, letter.unit_id), LETTER_HANDLERS,
             "Bạn không có quyền xử lý thư này.")
    from giamsat.jobs.outbox import record_job

    before = audit.snapshot(letter)
    letter.ocr_status, letter.ocr_error, letter.ocr_attempts = OcrStatus.queued, None, 0
    session.flush()
    _audit(session, principal, "ocr_retry", letter, before, request_id)
    record_job(session, OCR_JOB, letter_id=letter.id)
    return letter


def _tenant_storage():
    from giamsat.cases.attachments import tenant_storage

    return tenant_storage()
