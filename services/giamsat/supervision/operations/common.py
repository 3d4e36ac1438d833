"""What every operation of the register shares: who may write where, the audit-and-event step,
the organization check, and the validation helpers that raise at the first bad field."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from giamsat.core import audit, clock, events
from giamsat.core.errors import Forbidden, ValidationFailed
from giamsat.core.validation import Errors
from giamsat.identity import Role
from giamsat.supervision.events import SupervisionRecordChanged
from giamsat.supervision.labels import vietnamese
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_unit

E = TypeVar("E", bound=enum.Enum)

#: Roles that record supervision work at a unit (and below it); readonly only reads.
WRITERS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})
#: Roles that approve a yearly plan.
APPROVERS = frozenset({Role.leader, Role.unit_admin, Role.tenant_admin})


def require_writer(principal, unit: Unit, roles: frozenset[Role] = WRITERS) -> None:
    if not principal.has_role_over(unit.path, roles):
        raise Forbidden("Bạn chỉ được xem, không được thay đổi sổ giám sát của đơn vị này.")


def writable_unit(session: Session, principal, unit_id: int) -> Unit:
    unit = get_unit(session, unit_id, principal)
    require_writer(principal, unit)
    return unit


def unit_of(session: Session, obj) -> Unit:
    return session.get(Unit, obj.unit_id)


def record_change(
    session: Session, principal, action: str, obj, before: dict | None, after: dict | None = None
) -> None:
    """Audit the change of `obj` (`before`: its snapshot, None if new) and tell the other
    domains; an update that changed nothing leaves no trace. `after` defaults to the
    snapshot of `obj` (activities add their people)."""
    changes = audit.diff(before or {}, audit.snapshot(obj) if after is None else after)
    if before is not None and not changes:
        return
    audit.record(
        session,
        principal,
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        changes=changes,
    )
    events.emit(session, SupervisionRecordChanged(obj=obj, before=before, action=action))


def choice(cls: type[E], value: Any, field: str, labels: Mapping | None = None) -> E:
    """One member of `cls`; the message lists the Vietnamese labels (or the values)."""
    errors = Errors()
    member = errors.choice(cls, value, field, labels=vietnamese(labels) if labels else None)
    errors.raise_if_any()
    return member


def organization_at(session: Session, organization_id: Any, unit: Unit) -> Organization:
    org = session.get(Organization, organization_id) if isinstance(organization_id, int) else None
    if org is None or not org.is_enabled:
        raise ValidationFailed(
            "Tổ chức không có trong danh sách của tỉnh.", field="organization_id"
        )
    if org.level_codes is not None and unit.level_code not in org.level_codes:
        raise ValidationFailed(
            f"{org.short_name} không tổ chức ở cấp của đơn vị này.", field="organization_id"
        )
    return org


def today() -> dt.date:
    return clock.today()
