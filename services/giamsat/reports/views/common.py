"""What the report pages share: the units the user works with, the page's query arguments,
and the user's roles over a unit."""

from __future__ import annotations

from flask import abort, request
from sqlalchemy import select

from giamsat.core import clock
from giamsat.core.vietnamese import sort_key
from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal
from giamsat.units.models import Organization, Unit, UnitLevel
from giamsat.units.queries import get_unit, visible_units_clause


def reporting_units() -> list[Unit]:
    """Current units the user sees that report (every level but residential areas)."""
    units = tenant_session().scalars(
        select(Unit)
        .join(Unit.level)
        .where(
            visible_units_clause(current_principal()),
            Unit.valid_to.is_(None),
            UnitLevel.is_residential_area.is_(False),
        )
    )
    # Top level first (the default unit), then each level in Vietnamese order.
    return sorted(units, key=lambda u: (u.path.count("/"), sort_key(u.name)))


def chosen_unit(units: list[Unit]) -> Unit:
    """The unit of `?unit=` (404 if the user doesn't see it), else the user's highest unit."""
    unit_id = request.args.get("unit", type=int)
    if unit_id is not None:
        return get_unit(tenant_session(), unit_id, current_principal())
    if not units:
        abort(404)
    return units[0]


def year_arg() -> int:
    """The year of `?year=` when plausible, else this year."""
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.today().year


def organization_arg() -> int | None:
    """The organization of `?org=` (404 if it does not exist), else None (the whole unit)."""
    org_id = request.args.get("org", type=int)
    if org_id is None:
        return None
    if tenant_session().get(Organization, org_id) is None:
        abort(404)
    return org_id


def organization_field() -> int | None:
    """The organization posted by a button's form (`organization_id`), else the whole unit."""
    raw = request.form.get("organization_id", "")
    return int(raw) if raw.isdigit() else None


def can(unit: Unit, roles) -> bool:
    return current_principal().has_role_over(unit.path, roles)


def version_of(form) -> int | None:
    """The report version the user saw (the form's hidden field), None when absent."""
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() else None
