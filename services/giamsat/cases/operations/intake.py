"""Intake (tiếp nhận thông tin): a new case with its gap-free running number per unit and year."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.cases.catalogue import categories_by_code
from giamsat.cases.models import Case, CaseCounter, CaseKind, CaseStatus, Channel, ReporterMode
from giamsat.cases.operations.common import (
    add_failure,
    audit_case,
    check_day,
    is_public,
    record_event,
    require_handler,
)
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.core.validation import Errors
from giamsat.units.departments import department_of_unit
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_unit

MAX_TITLE = 200


def next_number(session: Session, unit_id: int, year: int) -> int:
    """The next running number of (unit, year), gap-free: the counter row stays locked until the
    handler's transaction ends, so a concurrent intake waits; a rollback gives the number back."""
    stmt = insert(CaseCounter).values(unit_id=unit_id, year=year, last_seq=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[CaseCounter.unit_id, CaseCounter.year],
        set_={"last_seq": CaseCounter.last_seq + 1},
    ).returning(CaseCounter.last_seq)
    return session.execute(stmt).scalar_one()


def _intake_unit(
    session: Session, principal, unit_id, errors: Errors, received_on: dt.date | None = None
) -> Unit | None:
    if unit_id is None:
        errors.add("unit_id", "Hãy chọn đơn vị tiếp nhận.")
        return None
    if is_public(principal):
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
    else:
        unit = get_unit(session, unit_id, principal)
        require_handler(principal, unit)
    # Staff may record what a unit received while it existed (a commune merged on 1 July
    # 2025, for a day before): the record then rolls up through the tree of that time.
    existed = received_on is not None and not is_public(principal) and unit.is_current(received_on)
    if unit.level.is_residential_area or not (unit.is_current() or existed):
        errors.add(
            "unit_id",
            "Đơn vị tiếp nhận phải là một Ủy ban MTTQ đang hoạt động (không phải khu dân cư).",
        )
    return unit


def _check_area(session: Session, unit: Unit | None, area_id, errors: Errors) -> int | None:
    if area_id is None or unit is None:
        return None
    area = session.get(Unit, area_id)
    if area is None or not area.level.is_residential_area or not area.path.startswith(unit.path):
        errors.add("area_id", "Khu dân cư phải thuộc đơn vị tiếp nhận.")
        return None
    return area.id


def _check_organization(session: Session, organization_id, errors: Errors) -> int | None:
    if organization_id is None:
        return None
    org = session.get(Organization, organization_id)
    if org is None or not org.is_enabled:
        errors.add("organization_id", "Tổ chức tiếp nhận không có trong danh sách của tỉnh.")
        return None
    return org.id


def check_words(errors: Errors, title, content) -> tuple[str | None, str | None]:
    """The title (one line, required, at most MAX_TITLE) and the content (required)."""
    title = errors.text(title, "title", label="Tiêu đề", max_length=MAX_TITLE)
    if title == "":
        errors.add("title", "Hãy nhập tiêu đề ngắn của thông tin.")
    content = errors.text(content, "content", label="Nội dung", single_line=False)
    if content == "":
        errors.add("content", "Hãy nhập nội dung thông tin.")
    return title, content


def _identity_given(reporter: dict | None) -> bool:
    return bool(reporter) and any(str(v or "").strip() for v in reporter.values())


def receive_case(
    session: Session,
    principal,
    *,
    unit_id: int,
    received_on: dt.date | None,
    channel,
    kind,
    title: str,
    content: str,
    concerned: str = "",
    organization_id: int | None = None,
    area_id: int | None = None,
    department_id: int | None = None,
    tag_codes=(),
    is_complex: bool = False,
    reporter_mode=ReporterMode.anonymous,
    reporter: dict | None = None,
) -> Case:
    """Record information received (tiếp nhận thông tin) with its running number per unit/year.

    The reporter's identity, if any, goes to the protected record (`cases.protection`), never
    onto the case. All field problems are reported together (422); nothing is written then."""
    errors = Errors()
    received_on = check_day(errors, received_on, "received_on")
    unit = _intake_unit(session, principal, unit_id, errors, received_on)
    channel = errors.choice(Channel, channel, "channel", message="Kênh tiếp nhận không hợp lệ.")
    if is_public(principal):
        channel = Channel.online
    kind = errors.choice(CaseKind, kind, "kind", message="Loại thông tin không hợp lệ.")
    mode = errors.choice(
        ReporterMode,
        reporter_mode,
        "reporter_mode",
        message="Chế độ danh tính người gửi không hợp lệ.",
    )
    title, content = check_words(errors, title, content)
    concerned = errors.text(concerned, "concerned", label="Người bị phản ánh", single_line=False)
    organization_id = _check_organization(session, organization_id, errors)
    area_id = _check_area(session, unit, area_id, errors)
    try:
        department_id = department_of_unit(session, department_id, unit.id) if unit else None
    except ValidationFailed as exc:
        department_id = None
        add_failure(errors, exc)
    if mode == ReporterMode.anonymous and _identity_given(reporter):
        errors.add(
            "reporter", "Thông tin nặc danh không được kèm họ tên, liên hệ hay địa chỉ người gửi."
        )
    if (
        mode in (ReporterMode.confidential, ReporterMode.open)
        and not str((reporter or {}).get("name") or "").strip()
    ):
        errors.add("reporter.name", "Hãy nhập họ tên người gửi (hoặc chọn “Nặc danh”).")
    try:
        tags = categories_by_code(session, tag_codes)
    except ValidationFailed as exc:
        tags = []
        add_failure(errors, exc)
    errors.raise_if_any()

    case = Case(
        unit_id=unit.id,
        organization_id=organization_id,
        department_id=department_id,
        year=received_on.year,
        seq=next_number(session, unit.id, received_on.year),
        received_on=received_on,
        channel=channel,
        kind=kind,
        title=title,
        content=content,
        concerned=concerned,
        status=CaseStatus.received,
        is_complex=bool(is_complex),
        reporter_mode=mode,
        area_id=area_id,
        created_by_id=principal.user_id,
    )
    case.tags = tags
    session.add(case)
    session.flush()
    if mode != ReporterMode.anonymous:
        from giamsat.cases import protection  # the protected record, kept apart from the case

        protection.store_identity(session, case, dict(reporter), actor=principal)
    record_event(
        session,
        case,
        principal,
        "receive",
        to_status=CaseStatus.received,
        details={"channel": channel.value, "number": case.number},
    )
    audit_case(session, principal, "create", case, {}, {"tags": [None, [t.code for t in tags]]})
    return case
