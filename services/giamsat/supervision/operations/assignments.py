"""Assignments (phân công giám sát): which organization supervises a person, and where.
A change never edits a row in place: the old one ends, a new one starts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.core.validation import check
from giamsat.supervision import queries
from giamsat.supervision.models import Place, SupervisionAssignment
from giamsat.supervision.operations.common import (
    choice,
    organization_at,
    record_change,
    require_writer,
    today,
    unit_of,
)


def _note(note: str) -> str:
    return check(note, "note", "text", label="Ghi chú", single_line=False)


def _check_open_unique(
    session: Session,
    person_id: int,
    organization_id: int,
    place: Place,
    exclude_id: int | None = None,
) -> None:
    stmt = select(SupervisionAssignment.id).where(
        SupervisionAssignment.person_id == person_id,
        SupervisionAssignment.organization_id == organization_id,
        SupervisionAssignment.place == place,
        SupervisionAssignment.valid_to.is_(None),
    )
    if exclude_id is not None:
        stmt = stmt.where(SupervisionAssignment.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise Conflict(
            "Tổ chức này đang được phân công giám sát người này ở nơi đó rồi.",
            field="organization_id",
        )


def assign_person(
    session: Session,
    principal,
    *,
    person_id: int,
    organization_id: int,
    place: Place | str,
    valid_from: dt.date | None = None,
    note: str = "",
) -> SupervisionAssignment:
    """Assign an organization of the person's unit to supervise them at a place.

    Raises Conflict when the same organization already supervises them at that place."""
    person = queries.get_person(session, person_id, principal)
    unit = unit_of(session, person)
    require_writer(principal, unit)
    if not person.is_active:
        raise ValidationFailed("Người này đã ra khỏi danh sách giám sát.", field="person_id")
    org = organization_at(session, organization_id, unit)
    place = choice(Place, place, "place")
    _check_open_unique(session, person.id, org.id, place)
    assignment = SupervisionAssignment(
        unit_id=unit.id,
        organization_id=org.id,
        person_id=person.id,
        place=place,
        valid_from=valid_from or today(),
        note=_note(note),
    )
    session.add(assignment)
    session.flush()
    record_change(session, principal, "create", assignment, None)
    return assignment


def _close(assignment: SupervisionAssignment, last_day: dt.date) -> None:
    if last_day < assignment.valid_from:
        raise ValidationFailed(
            "Ngày kết thúc không được trước ngày bắt đầu phân công.", field="valid_to"
        )
    assignment.valid_to = last_day


def end_assignment(
    session: Session,
    principal,
    assignment_id: int,
    *,
    valid_to: dt.date | None = None,
    note: str | None = None,
) -> SupervisionAssignment:
    """End an assignment on `valid_to` (its last day, default today); the row stays as history."""
    assignment = queries.get_assignment(session, assignment_id, principal)
    require_writer(principal, unit_of(session, assignment))
    if assignment.valid_to is not None:
        raise Conflict("Phân công này đã kết thúc từ trước.")
    before = audit.snapshot(assignment)
    _close(assignment, valid_to or today())
    if note:
        assignment.note = _note(note)
    session.flush()
    record_change(session, principal, "end", assignment, before)
    return assignment


def change_assignment(
    session: Session,
    principal,
    assignment_id: int,
    *,
    organization_id: int | None = None,
    place: Place | str | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> SupervisionAssignment:
    """Change who supervises or where: the old row ends the day before `on` and a new row
    starts on `on` (default today). Nothing is updated in place."""
    old = queries.get_assignment(session, assignment_id, principal)
    unit = unit_of(session, old)
    require_writer(principal, unit)
    if old.valid_to is not None:
        raise Conflict("Phân công này đã kết thúc; hãy tạo phân công mới.")
    start = on or today()
    if start <= old.valid_from:
        raise ValidationFailed("Ngày thay đổi phải sau ngày bắt đầu phân công cũ.", field="on")
    org = (
        organization_at(session, organization_id, unit)
        if organization_id is not None
        else old.organization
    )
    place = choice(Place, place, "place") if place is not None else old.place
    if org.id == old.organization_id and place == old.place:
        raise ValidationFailed("Không có gì thay đổi: hãy chọn tổ chức hoặc nơi giám sát khác.")
    _check_open_unique(session, old.person_id, org.id, place, exclude_id=old.id)
    before = audit.snapshot(old)
    _close(old, start - dt.timedelta(days=1))
    session.flush()
    record_change(session, principal, "end", old, before)
    new = SupervisionAssignment(
        unit_id=unit.id,
        organization_id=org.id,
        person_id=old.person_id,
        place=place,
        valid_from=start,
        replaces_id=old.id,
        note=_note(note),
    )
    session.add(new)
    session.flush()
    record_change(session, principal, "create", new, None)
    return new
