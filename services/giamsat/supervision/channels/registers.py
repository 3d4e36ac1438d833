"""Meeting attendance (dự họp cấp ủy, HĐND, UBND cùng cấp) and the register of respected
people and core members of each residential area (người có uy tín, lực lượng cốt cán)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.validation import Errors
from giamsat.supervision.channels import queries
from giamsat.supervision.channels.labels import (
    MEETING_BODY_LABELS,
    RESPECTED_KIND_LABELS,
    RESPECTED_ROLE_LABELS,
)
from giamsat.supervision.channels.models import (
    MeetingAttendance,
    MeetingBody,
    RespectedKind,
    RespectedPerson,
    RespectedRole,
)
from giamsat.supervision.labels import vietnamese
from giamsat.supervision.operations.common import (
    record_change,
    require_writer,
    today,
    unit_of,
    writable_unit,
)
from giamsat.supervision.queries.common import fold
from giamsat.units.models import Unit

# --- meeting attendance ---------------------------------------------------------------------


def _attendance_values(row: MeetingAttendance, values: Mapping[str, Any]) -> None:
    errors = Errors()
    clean: dict[str, Any] = {}
    if "held_on" in values:
        clean["held_on"] = errors.date(
            values["held_on"], "held_on", label="Ngày họp", required=True, not_after=today()
        )
    if "body" in values:
        clean["body"] = errors.choice(
            MeetingBody, values["body"], "body", labels=vietnamese(MEETING_BODY_LABELS)
        )
    if "title" in values:
        clean["title"] = errors.text(
            values["title"], "title", label="Cuộc họp", required=True, max_length=300
        )
    if "attended_by" in values:
        clean["attended_by"] = errors.text(
            values["attended_by"], "attended_by", label="Người dự", required=True, max_length=300
        )
    if "notes" in values:
        clean["notes"] = errors.text(values["notes"], "notes", label="Ghi chú", single_line=False)
    errors.raise_if_any()
    for key, value in clean.items():
        setattr(row, key, value)


def record_attendance(
    session: Session,
    principal,
    *,
    unit_id: int,
    held_on: dt.date,
    body: MeetingBody | str,
    title: str,
    attended_by: str,
    notes: str = "",
) -> MeetingAttendance:
    """One meeting of the same-level body the Front attended; reports count these."""
    unit = writable_unit(session, principal, unit_id)
    row = MeetingAttendance(unit_id=unit.id, notes="")
    _attendance_values(
        row,
        {
            "held_on": held_on,
            "body": body,
            "title": title,
            "attended_by": attended_by,
            "notes": notes,
        },
    )
    session.add(row)
    session.flush()
    record_change(session, principal, "create", row, None)
    return row


def update_attendance(
    session: Session, principal, attendance_id: int, **values: Any
) -> MeetingAttendance:
    row = queries.get_attendance(session, attendance_id, principal)
    require_writer(principal, unit_of(session, row))
    before = audit.snapshot(row)
    _attendance_values(row, values)
    session.flush()
    record_change(session, principal, "update", row, before)
    return row


def delete_attendance(session: Session, principal, attendance_id: int) -> None:
    """Remove a mistaken entry (the audit keeps what it was; the figures recount)."""
    row = queries.get_attendance(session, attendance_id, principal)
    require_writer(principal, unit_of(session, row))
    before = audit.snapshot(row)
    session.delete(row)
    session.flush()
    record_change(session, principal, "delete", row, before, after={})


# --- respected people and core members --------------------------------------------------------


def _roles(errors: Errors, value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        errors.add("roles", "Vai trò phải là một danh sách.")
        return None
    labels = vietnamese(RESPECTED_ROLE_LABELS)
    chosen: list[str] = []
    for item in value:
        role = errors.choice(RespectedRole, item, "roles", labels=labels)
        if role is None:
            return None
        if role.value not in chosen:
            chosen.append(role.value)
    return [r.value for r in RespectedRole if r.value in chosen]


def _area(session: Session, unit: Unit, value: Any, errors: Errors) -> int | None:
    area = session.get(Unit, value) if isinstance(value, int) else None
    if (
        area is None
        or not area.level.is_residential_area
        or area.parent_id != unit.id
        or not area.is_current()
    ):
        errors.add("area_id", "Hãy chọn một khu dân cư đang hoạt động của đơn vị này.")
        return None
    return area.id


def _respected_values(
    session: Session, person: RespectedPerson, unit: Unit, values: Mapping[str, Any]
) -> None:
    errors = Errors()
    clean: dict[str, Any] = {}
    if "area_id" in values:
        clean["area_id"] = _area(session, unit, values["area_id"], errors)
    if "full_name" in values:
        clean["full_name"] = errors.text(
            values["full_name"], "full_name", label="Họ và tên", required=True, max_length=200
        )
    if "kind" in values:
        clean["kind"] = errors.choice(
            RespectedKind, values["kind"], "kind", labels=vietnamese(RESPECTED_KIND_LABELS)
        )
    if "roles" in values:
        clean["roles"] = _roles(errors, values["roles"])
    if "contact" in values:
        clean["contact"] = errors.text(
            values["contact"], "contact", label="Liên hệ", max_length=300
        )
    if "notes" in values:
        clean["notes"] = errors.text(values["notes"], "notes", label="Ghi chú", single_line=False)
    if "is_active" in values:
        if not isinstance(values["is_active"], bool):
            errors.add("is_active", "Còn hoạt động phải là có hoặc không.")
        else:
            clean["is_active"] = values["is_active"]
    errors.raise_if_any()
    for key, value in clean.items():
        setattr(person, key, value)
    person.name_key = fold(person.full_name)


def add_respected(
    session: Session,
    principal,
    *,
    unit_id: int,
    area_id: int,
    full_name: str,
    kind: RespectedKind | str,
    **values: Any,
) -> RespectedPerson:
    """Put someone on a commune's register for one of its residential areas. Optional: roles
    (RespectedRole values), contact, notes."""
    unit = writable_unit(session, principal, unit_id)
    person = RespectedPerson(unit_id=unit.id, roles=[], contact="", notes="", is_active=True)
    _respected_values(
        session,
        person,
        unit,
        {"area_id": area_id, "full_name": full_name, "kind": kind, **values},
    )
    session.add(person)
    session.flush()
    record_change(session, principal, "create", person, None)
    return person


def update_respected(session: Session, principal, person_id: int, **values: Any) -> RespectedPerson:
    """Change the entry; `is_active=False` takes the person off the register, history stays."""
    person = queries.get_respected(session, person_id, principal)
    unit = unit_of(session, person)
    require_writer(principal, unit)
    before = audit.snapshot(person)
    _respected_values(session, person, unit, values)
    session.flush()
    record_change(session, principal, "update", person, before)
    return person
