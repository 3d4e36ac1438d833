"""Openings of a box (mở hòm thư): witnesses, seal, letters found, and the minutes DOCX."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.admin_docx import CONTENT_TYPE as DOCX_TYPE
from giamsat.core.storage import new_key
from giamsat.core.validation import Errors, one_line
from giamsat.letters import minutes as minutes_docx
from giamsat.letters.models import BoxOpening, BoxStatus, SealCondition, SuggestionBox
from giamsat.letters.operations.common import LETTER_HANDLERS, record_change, require_role
from giamsat.letters.queries import get_box
from giamsat.letters.scans import put_object
from giamsat.letters.uploads import UploadJournal, guarded_objects
from giamsat.units.models import Unit
from giamsat.units.queries import get_rule

MINUTES_PREFIX = "letters/minutes"
#: More letters than this in one box is a typing mistake.
MAX_LETTERS_FOUND = 10_000


def minimum_witnesses(session: Session) -> int:
    try:
        return max(0, int(get_rule(session, "box_min_witnesses", 2)))
    except (TypeError, ValueError):
        return 2


def minutes_required(session: Session) -> bool:
    return bool(get_rule(session, "box_minutes_required", True))


def _clean_witnesses(raw, errors: Errors) -> list[dict]:
    witnesses = []
    for index, item in enumerate(raw or []):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            errors.add(f"witnesses.{index}", "Người chứng kiến không hợp lệ.")
            continue
        name, role = one_line(item.get("name"))[:200], one_line(item.get("role"))[:200]
        if not name and not role:
            continue  # an empty row of the form
        if not name:
            errors.add(f"witnesses.{index}.name", "Hãy nhập họ tên người chứng kiến.")
            continue
        witnesses.append({"name": name, "role": role})
    return witnesses


def _opened_at(
    errors: Errors, opened_at: dt.datetime | None, box: SuggestionBox
) -> dt.datetime | None:
    """In Vietnam time when no zone is given; not in the future, not before the box was hung."""
    if opened_at is None:
        errors.add("opened_at", "Hãy nhập ngày giờ mở hòm thư.")
        return None
    if opened_at.tzinfo is None:
        opened_at = opened_at.replace(tzinfo=clock.zone())
    if opened_at > clock.now() + dt.timedelta(minutes=5):
        errors.add("opened_at", "Thời điểm mở hòm thư không được ở tương lai.")
    elif opened_at.astimezone(clock.zone()).date() < box.installed_on:
        errors.add("opened_at", "Thời điểm mở hòm thư trước ngày đặt hòm thư.")
    return opened_at


def record_opening(
    session: Session,
    principal,
    box_id: int,
    *,
    opened_at: dt.datetime | None,
    witnesses,
    seal_condition,
    letters_found,
    notes: str = "",
    with_minutes: bool = True,
    storage=None,
    journal: UploadJournal | None = None,
) -> BoxOpening:
    """Record an opening (mở hòm thư). The minutes DOCX is generated now and kept as written;
    the tenant rule `box_minutes_required` refuses an opening without it."""
    box = get_box(session, box_id, principal)
    require_role(
        principal,
        box.unit,
        LETTER_HANDLERS,
        "Bạn không có quyền ghi việc mở hòm thư của khu dân cư này.",
    )
    errors = Errors()
    if box.status != BoxStatus.active:
        errors.add("box_id", "Hòm thư này không còn sử dụng (đã thu hồi hoặc hư hỏng).")
    opened_at = _opened_at(errors, opened_at, box)
    people = _clean_witnesses(witnesses, errors)
    needed = minimum_witnesses(session)
    if len(people) < needed:
        errors.add(
            "witnesses",
            f"Cần ít nhất {needed} người chứng kiến khi mở hòm thư "
            f"(quy định của địa phương); mới có {len(people)}.",
        )
    seal = errors.choice(
        SealCondition,
        seal_condition,
        "seal_condition",
        message="Hãy chọn tình trạng niêm phong: còn nguyên, bị rách/mở, hoặc không niêm phong.",
    )
    found = errors.count(letters_found, "letters_found", label="Số thư thu được", required=True)
    if found is not None and found > MAX_LETTERS_FOUND:
        errors.add("letters_found", f"Số thư thu được không quá {MAX_LETTERS_FOUND}.")
    if not with_minutes and minutes_required(session):
        errors.add("with_minutes", "Địa phương quy định mỗi lần mở hòm thư phải có biên bản.")
    errors.raise_if_any()

    opening = BoxOpening(
        box_id=box.id,
        unit_id=box.unit_id,
        opened_at=opened_at,
        witnesses=people,
        seal_condition=seal,
        letters_found=found,
        notes=one_line(notes),
        created_by_id=principal.user_id,
    )
    session.add(opening)
    session.flush()
    if with_minutes:
        _write_minutes(session, principal, opening, box, storage=storage, journal=journal)
    record_change(session, principal, "create", opening, {})
    return opening


def _write_minutes(
    session, principal, opening: BoxOpening, box: SuggestionBox, *, storage, journal
) -> None:
    area = box.unit
    commune = session.get(Unit, area.parent_id) or area
    local = opening.opened_at.astimezone(clock.zone())
    year_start = dt.datetime(local.year, 1, 1, tzinfo=clock.zone())
    number = (
        session.scalar(
            select(func.count())
            .select_from(BoxOpening)
            .where(
                BoxOpening.box_id == box.id,
                BoxOpening.minutes_key.is_not(None),
                BoxOpening.opened_at >= year_start,
                BoxOpening.opened_at < year_start.replace(year=local.year + 1),
            )
        )
        + 1
    )
    body = minutes_docx.build_minutes(
        minutes_docx.MinutesContext(
            box=box, area=area, commune=commune, opening=opening, number=number, local_time=local
        )
    )
    if storage is None:
        from giamsat.cases.attachments import tenant_storage

        storage = tenant_storage()
    key = new_key(MINUTES_PREFIX)
    with guarded_objects(
        session,
        storage,
        [key],
        journal=journal or UploadJournal.for_current_tenant(),
        purpose="minutes",
        user_id=principal.user_id,
    ):
        put_object(storage, key, io.BytesIO(body), len(body), DOCX_TYPE)
        opening.minutes_key = key
        opening.minutes_sha256 = hashlib.sha256(body).hexdigest()
        session.flush()
