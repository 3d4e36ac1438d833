"""State changes of the unit tree. They flush, never commit; the handler owns the transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core import audit, clock
from giamsat.core.errors import Conflict, Forbidden, ValidationFailed
from giamsat.core.validation import check, one_line
from giamsat.units.area_managers import may_manage_areas, who_may_manage_areas
from giamsat.units.models import Unit
from giamsat.units.queries import get_residential_area, get_unit, residential_level

#: Kinds of residential area (khu dân cư) a commune may create.
RESIDENTIAL_AREA_KINDS = ("thôn", "tổ dân phố", "khu phố", "xóm", "bản", "ấp", "làng", "khu dân cư")


def attach_to_parent(session: Session, unit: Unit, parent: Unit | None) -> Unit:
    """Insert `unit` under `parent` and compute its materialized path (needs its id first)."""
    unit.parent_id = parent.id if parent else None
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def _clean_name(name: str | None) -> str:
    return check(name, "name", "text", label="Tên khu dân cư", required=True, max_length=200)


def _check_kind(kind: str | None) -> str:
    kind = (kind or "").strip()
    if kind not in RESIDENTIAL_AREA_KINDS:
        raise ValidationFailed(
            "Loại khu dân cư phải là một trong: " + ", ".join(RESIDENTIAL_AREA_KINDS) + ".",
            field="kind",
        )
    return kind


def _check_unique_name(session: Session, commune: Unit, name: str, exclude_id: int | None = None):
    stmt = select(Unit.id).where(
        Unit.parent_id == commune.id,
        Unit.valid_to.is_(None),
        func.lower(Unit.name) == name.lower(),
    )
    if exclude_id is not None:
        stmt = stmt.where(Unit.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise Conflict(f"Xã/phường này đã có khu dân cư tên “{name}”.", field="name")


def _require_manager(session: Session, principal, unit: Unit) -> None:
    if not may_manage_areas(session, principal, unit):
        raise Forbidden(who_may_manage_areas(session))


def create_residential_area(
    session: Session,
    principal,
    *,
    commune_id: int,
    name: str,
    kind: str,
    valid_from: dt.date | None = None,
) -> Unit:
    """Create a khu dân cư under a commune.

    Raises NotFound (commune not visible), Forbidden (not an admin there), ValidationFailed
    (name/kind, or the parent cannot hold residential areas), Conflict (name taken).
    """
    commune = get_unit(session, commune_id, principal)
    _require_manager(session, principal, commune)
    if not commune.level.holds_residential_areas or not commune.is_current():
        raise ValidationFailed(
            "Chỉ tạo được khu dân cư trực thuộc một xã/phường đang hoạt động.", field="commune_id"
        )
    name, kind = _clean_name(name), _check_kind(kind)
    _check_unique_name(session, commune, name)
    area = Unit(
        level_code=residential_level(session).code,
        name=name,
        kind=kind,
        valid_from=valid_from or clock.today(),
    )
    attach_to_parent(session, area, commune)
    audit.record(
        session,
        principal,
        action="create",
        object_type="unit",
        object_id=area.id,
        changes=audit.diff({}, audit.snapshot(area)),
    )
    return area


def update_residential_area(
    session: Session, principal, area_id: int, *, name: str | None = None, kind: str | None = None
) -> Unit:
    """Rename (or change the kind of) a current residential area."""
    area = get_residential_area(session, area_id, principal)
    _require_manager(session, principal, area)
    if area.valid_to is not None:
        raise ValidationFailed("Khu dân cư này đã ngừng hoạt động, không sửa được.")
    before = audit.snapshot(area)
    if name is not None:
        name = _clean_name(name)
        _check_unique_name(session, area.parent, name, exclude_id=area.id)
        area.name = name
    if kind is not None:
        area.kind = _check_kind(kind)
    session.flush()
    changes = audit.diff(before, audit.snapshot(area))
    if changes:
        audit.record(
            session,
            principal,
            action="update",
            object_type="unit",
            object_id=area.id,
            changes=changes,
        )
    return area


def retire_residential_area(
    session: Session,
    principal,
    area_id: int,
    *,
    valid_to: dt.date | None = None,
    reason: str = "",
    successor_id: int | None = None,
) -> Unit:
    """Retire a residential area (merged or dissolved); its history stays.

    `successor_id`, when given, must be a current residential area of the same commune."""
    area = get_residential_area(session, area_id, principal)
    _require_manager(session, principal, area)
    if area.valid_to is not None:
        raise Conflict("Khu dân cư này đã ngừng hoạt động từ trước.")
    reason = one_line(reason)
    if not reason:
        raise ValidationFailed("Hãy ghi lý do (ví dụ: sáp nhập vào thôn khác).", field="reason")
    before = audit.snapshot(area)
    valid_to = valid_to or clock.today()
    if valid_to <= area.valid_from:
        raise ValidationFailed("Ngày ngừng hoạt động phải sau ngày bắt đầu.", field="valid_to")
    if successor_id is not None:
        successor = get_residential_area(session, successor_id, principal)
        if (
            successor.id == area.id
            or successor.parent_id != area.parent_id
            or successor.valid_to is not None
        ):
            raise ValidationFailed(
                "Khu dân cư kế thừa phải là một khu dân cư khác đang hoạt động của cùng xã/phường.",
                field="successor_id",
            )
        area.successor_id = successor.id
    area.valid_to = valid_to
    area.retired_reason = reason
    session.flush()
    audit.record(
        session,
        principal,
        action="retire",
        object_type="unit",
        object_id=area.id,
        changes=audit.diff(before, audit.snapshot(area)),
    )
    return area
