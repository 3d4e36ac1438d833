"""Reads of the unit tree, always through the one scoping helper."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, String, any_, bindparam, false, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from giamsat.core.errors import NotFound
from giamsat.core.vietnamese import sort_key
from giamsat.core.workdays import WorkCalendar
from giamsat.units.models import Organization, TenantRule, Unit, UnitLevel


def visible_units_clause(principal) -> ColumnElement[bool]:
    """The one visibility rule: a unit is visible when it lies in a subtree the user holds a
    role at. Paths are "/id/id/…/", so a prefix match is a subtree match."""
    roots = principal.root_paths
    if not roots:
        return false()
    return or_(*(Unit.path.startswith(root) for root in roots))


def scoped(stmt: Select, unit_id_column, principal) -> Select:
    """Restrict any statement on unit-owned rows to the units `principal` may see.

    Every domain query on unit-owned data goes through here."""
    visible_ids = select(Unit.id).where(visible_units_clause(principal))
    return stmt.where(unit_id_column.in_(visible_ids))


#: The bound array of `scoped_by_roots`: the principal's root paths as LIKE prefixes.
VISIBLE_ROOTS = "visible_roots"


def scoped_by_roots(stmt: Select, unit_id_column) -> Select:
    """`scoped` with the roots as one bound array instead of one literal per root: a statement
    built once (and its compiled form, cached) serves every principal, the subtree check filled
    in per execution from `visible_roots(principal)`. Executing it without them raises."""
    roots = bindparam(VISIBLE_ROOTS, type_=ARRAY(String))
    units = Unit.__table__
    visible_ids = select(units.c.id).where(units.c.path.like(any_(roots)))
    return stmt.where(unit_id_column.in_(visible_ids))


def visible_roots(principal) -> dict[str, list[str]]:
    """The parameters of a `scoped_by_roots` statement for `principal`: the same prefixes as
    `visible_units_clause` (no roots: an empty array, which matches nothing)."""
    return {VISIBLE_ROOTS: [root + "%" for root in principal.root_paths]}


def get_unit(session: Session, unit_id: int, principal) -> Unit:
    """A unit the principal may see; NotFound otherwise (same answer as a missing id)."""
    unit = session.scalar(select(Unit).where(Unit.id == unit_id, visible_units_clause(principal)))
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    return unit


def get_residential_area(session: Session, area_id: int, principal) -> Unit:
    """A residential area the principal may see; a missing, hidden or non-area id is one 404."""
    unit = get_unit(session, area_id, principal)
    if not unit.level.is_residential_area:
        raise NotFound("Không tìm thấy khu dân cư.")
    return unit


def get_unit_by_code(session: Session, level_code: str, official_code: str) -> Unit | None:
    return session.scalar(
        select(Unit).where(Unit.level_code == level_code, Unit.official_code == official_code)
    )


def list_children(
    session: Session, unit: Unit, *, current_only: bool = True, residential: bool | None = None
) -> list[Unit]:
    stmt = select(Unit).join(Unit.level).where(Unit.parent_id == unit.id)
    if current_only:
        stmt = stmt.where(Unit.valid_to.is_(None))
    if residential is not None:
        stmt = stmt.where(UnitLevel.is_residential_area.is_(residential))
    # Vietnamese dictionary order, spaces tidied: a collation-free database cannot give it.
    return sorted(session.scalars(stmt), key=lambda u: sort_key(u.name))


def subtree_query(
    unit: Unit, principal, *, level_code: str | None = None, current_only: bool = True
) -> Select:
    stmt = select(Unit).where(Unit.path.startswith(unit.path), visible_units_clause(principal))
    if level_code:
        stmt = stmt.where(Unit.level_code == level_code)
    if current_only:
        stmt = stmt.where(Unit.valid_to.is_(None))
    return stmt.order_by(Unit.path)


def list_ancestors(session: Session, unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids
    if not ids:
        return []
    by_id = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def list_levels(session: Session) -> list[UnitLevel]:
    return list(session.scalars(select(UnitLevel).order_by(UnitLevel.rank)))


def residential_level(session: Session) -> UnitLevel:
    level = session.scalar(select(UnitLevel).where(UnitLevel.is_residential_area.is_(True)))
    if level is None:
        raise NotFound("Tỉnh này chưa khai báo cấp khu dân cư.")
    return level


def list_organizations(session: Session, *, enabled_only: bool = True) -> list[Organization]:
    stmt = select(Organization)
    if enabled_only:
        stmt = stmt.where(Organization.is_enabled.is_(True))
    return list(session.scalars(stmt.order_by(Organization.sort_order, Organization.id)))


def get_rule(session: Session, key: str, default=None):
    """A local rule of the province's program (see tenants/README.md for the keys)."""
    rule = session.get(TenantRule, key)
    return default if rule is None else rule.value


def work_calendar(session: Session) -> WorkCalendar:
    """The tenant's working days: the national calendar and the province's own `days_off`."""
    days = get_rule(session, "days_off", None) or []
    return WorkCalendar(dt.date.fromisoformat(day) for day in days if isinstance(day, str))


def is_current_on(unit: Unit, day: dt.date) -> bool:
    return unit.is_current(day)
