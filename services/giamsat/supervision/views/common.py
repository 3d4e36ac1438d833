"""What the register's pages share: who may write where, the choices of the forms, list
filters, and the one form template every create/edit page draws."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from giamsat.cases.views.common import category_groups, category_list
from giamsat.core import clock
from giamsat.core.errors import Forbidden
from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal
from giamsat.supervision import operations
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.pickers import picker_label, picker_order
from giamsat.units.queries import list_organizations, visible_units_clause

#: The create/edit pages all draw this template (heading, the listed fields, intro).
FORM_TEMPLATE = "supervision/form.html"


def today() -> dt.date:
    return clock.today()


def form_context(
    *,
    heading: str,
    fields: list[str],
    action: str,
    cancel: str,
    submit: str | None = None,
    intro: str | None = None,
    multipart: bool = False,
    tags: bool = False,
) -> dict:
    """The values FORM_TEMPLATE draws besides the form and its errors; `tags`: the form has
    a TagsField, drawn with the groups of the cases' catalogue."""
    return dict(
        tag_groups=category_groups(category_list()) if tags else [],
        heading=heading,
        fields=fields,
        action=action,
        cancel=cancel,
        submit=submit or _("Lưu"),
        intro=intro,
        multipart=multipart,
    )


def values(form, names: list[str]) -> dict:
    return {name: form[name].data for name in names}


# --- who may write, and where -----------------------------------------------------------------


def can_write(unit_id: int) -> bool:
    unit = tenant_session().get(Unit, unit_id)
    return unit is not None and current_principal().has_role_over(unit.path, operations.WRITERS)


def _front_units_query():
    """Current units that keep a register (not residential areas) the user may see."""
    return (
        select(Unit)
        .join(Unit.level)
        .where(
            visible_units_clause(current_principal()),
            Unit.valid_to.is_(None),
            UnitLevel.is_residential_area.is_(False),
        )
        .order_by(Unit.path)
    )


def visible_units() -> list[Unit]:
    return picker_order(tenant_session().scalars(_front_units_query()))


def writable_units() -> list[Unit]:
    """Units where the user may record supervision work; readonly users have none."""
    principal = current_principal()
    return [u for u in visible_units() if principal.has_role_over(u.path, operations.WRITERS)]


def _read_only() -> Forbidden:
    return Forbidden(_("Tài khoản của bạn chỉ được xem sổ giám sát, không được thêm hay sửa."))


def require_some_writable_unit() -> list[Unit]:
    units = writable_units()
    if not units:
        raise _read_only()
    return units


def require_writer_of(obj) -> None:
    # The operations check again on POST; this keeps the form itself from showing.
    if not can_write(obj.unit_id):
        raise _read_only()


# --- choices of the forms ---------------------------------------------------------------------


def choice(value, label) -> SelectChoice:
    return SelectChoice("" if value is None else str(value), label)


def unit_choices(units: list[Unit]) -> list[SelectChoice]:
    return [choice(u.id, picker_label(u)) for u in picker_order(units)]


def organization_choices() -> list[SelectChoice]:
    return [choice(o.id, o.name) for o in list_organizations(tenant_session())]


def area_choices() -> list[SelectChoice]:
    areas = tenant_session().scalars(
        select(Unit)
        .join(Unit.level)
        .where(
            visible_units_clause(current_principal()),
            Unit.valid_to.is_(None),
            UnitLevel.is_residential_area.is_(True),
        )
        .order_by(Unit.name)
    )
    return [choice(None, _("Không chọn"))] + [
        choice(a.id, picker_label(a)) for a in picker_order(areas)
    ]


def default_unit(form_field, units: list[Unit]) -> None:
    if form_field.data is None and units:
        form_field.data = request.args.get("unit", type=int) or units[0].id


# --- list filters -----------------------------------------------------------------------------


def enum_arg(cls, name: str):
    value = request.args.get(name, "")
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def unit_arg() -> int | None:
    """The unit filter of a list, only if the user sees that unit (otherwise: all they see)."""
    unit_id = request.args.get("unit", type=int)
    if unit_id is None:
        return None
    return tenant_session().scalar(
        select(Unit.id).where(Unit.id == unit_id, visible_units_clause(current_principal()))
    )
