"""Departments of a unit's committee (Ban Dân chủ – Pháp luật, the organizations' liaison
departments…): kept by the unit's admin, offered as the owner of the unit's cases, supervision
activities and reports. Every owner must be a department of the record's own unit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.core.validation import Errors
from giamsat.identity import Role
from giamsat.units.models import Department, DepartmentKind, Organization, Unit
from giamsat.units.queries import get_unit, scoped

#: Who keeps the list: the unit's own admins (and the tenant admin above them).
MANAGERS = frozenset({Role.unit_admin, Role.tenant_admin})

KIND_LABELS = {
    DepartmentKind.democracy_law: "Ban Dân chủ – Pháp luật",
    DepartmentKind.liaison: "Ban, bộ phận liên lạc của tổ chức thành viên",
    DepartmentKind.other: "Ban, bộ phận khác",
}


def may_manage_departments(principal, unit: Unit) -> bool:
    return principal.has_role_over(unit.path, MANAGERS)


def _require_manager(principal, unit: Unit) -> None:
    if not may_manage_departments(principal, unit):
        raise Forbidden("Chỉ quản trị viên của đơn vị được sửa danh sách các ban.")


def get_department(session: Session, department_id: int, principal) -> Department:
    department = session.scalar(
        scoped(
            select(Department).where(Department.id == department_id), Department.unit_id, principal
        )
    )
    if department is None:
        raise NotFound("Không tìm thấy ban.")
    return department


def list_departments(
    session: Session, principal, unit_id: int, *, active_only: bool = False
) -> list[Department]:
    """The departments of one visible unit (404 for a unit out of scope), by name."""
    unit = get_unit(session, unit_id, principal)
    stmt = select(Department).where(Department.unit_id == unit.id)
    if active_only:
        stmt = stmt.where(Department.is_active.is_(True))
    return list(session.scalars(stmt.order_by(Department.kind, Department.name)))


def _values(session: Session, department: Department, values: dict[str, Any]) -> None:
    errors = Errors()
    if "kind" in values:
        department.kind = errors.choice(  # type: ignore[assignment]
            DepartmentKind, values["kind"], "kind", labels=KIND_LABELS
        )
    if "name" in values:
        department.name = errors.text(  # type: ignore[assignment]
            values["name"], "name", label="Tên ban", required=True, max_length=200
        )
    if "note" in values:
        department.note = errors.text(  # type: ignore[assignment]
            values["note"], "note", label="Ghi chú", single_line=False
        )
    if "is_active" in values:
        department.is_active = bool(values["is_active"])
    if "organization_id" in values:
        org_id = values["organization_id"]
        org = session.get(Organization, org_id) if isinstance(org_id, int) else None
        if org_id is not None and (org is None or not org.is_enabled):
            errors.add("organization_id", "Tổ chức không có trong danh sách của tỉnh.")
        department.organization_id = org.id if org else None
    errors.raise_if_any()
    taken = session.scalar(
        select(Department.id).where(
            Department.unit_id == department.unit_id,
            func.lower(Department.name) == department.name.lower(),
            Department.id != (department.id or 0),
        )
    )
    if taken is not None:
        raise Conflict(f"Đơn vị đã có ban “{department.name}”.", field="name")


def create_department(
    session: Session, principal, *, unit_id: int, kind: Any, name: Any, **values: Any
) -> Department:
    """Add a department to a unit. Optional: organization_id (a liaison's organization), note."""
    unit = get_unit(session, unit_id, principal)
    _require_manager(principal, unit)
    if unit.level.is_residential_area:
        raise ValidationFailed("Khu dân cư không có các ban của Ủy ban.", field="unit_id")
    department = Department(unit_id=unit.id, is_active=True, note="")
    _values(session, department, {"kind": kind, "name": name, **values})
    session.add(department)
    session.flush()
    _audit(session, principal, "create", department, {})
    return department


def update_department(session: Session, principal, department_id: int, **values: Any) -> Department:
    """Rename, re-describe or deactivate (`is_active=False`) a department; its records keep it."""
    department = get_department(session, department_id, principal)
    _require_manager(principal, session.get(Unit, department.unit_id))
    before = audit.snapshot(department)
    _values(session, department, values)
    session.flush()
    _audit(session, principal, "update", department, before)
    return department


def _audit(session: Session, principal, action: str, department: Department, before) -> None:
    changes = audit.diff(before, audit.snapshot(department))
    if before and not changes:
        return
    audit.record(
        session,
        principal,
        action=action,
        object_type=Department.__tablename__,
        object_id=department.id,
        changes=changes,
    )


def department_of_unit(
    session: Session, department_id: Any, unit_id: int, *, current: int | None = None
) -> int | None:
    """The owner to store on a record of `unit_id`: None, or the id of one of that unit's
    active departments — anything else is a field error (422) on `department_id`. The
    record's `current` owner may stay even once deactivated."""
    if department_id in (None, ""):
        return None
    department = (
        session.get(Department, department_id)
        if isinstance(department_id, int) and not isinstance(department_id, bool)
        else None
    )
    if department is None:
        raise ValidationFailed("Không tìm thấy ban.", field="department_id")
    if department.unit_id != unit_id:
        raise ValidationFailed(
            "Ban phụ trách phải là một ban của chính đơn vị giữ hồ sơ.", field="department_id"
        )
    if not department.is_active and department.id != current:
        raise ValidationFailed(
            f"“{department.name}” đã ngừng hoạt động, không giao việc mới được.",
            field="department_id",
        )
    return department.id
