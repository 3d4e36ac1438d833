"""Pages of the unit tree: the user's home unit, any visible unit, residential areas."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from giamsat.core.errors import Forbidden, NotFound
from giamsat.core.vietnamese import matches, normalise_spaces, sort_key
from giamsat.http.pages import done, form_page, paginate_items, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units import operations
from giamsat.units.area_managers import may_manage_areas, who_may_manage_areas
from giamsat.units.forms import CreateAreaForm, EditAreaForm, RetireAreaForm
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, list_ancestors, list_children

bp = Blueprint("units_pages", __name__, url_prefix="/t/<tenant>", template_folder="templates")
#: `{{ unit.name|tidy }}`: a name with a double space in the data shows with one.
bp.add_app_template_filter(normalise_spaces, "tidy")


#: Sub-units per page of a unit's page: a phone screen or two of a compact table.
SUB_UNITS_PAGE = 30


def _can_manage(unit: Unit) -> bool:
    return may_manage_areas(tenant_session(), current_principal(), unit)


def _require_manager(unit: Unit) -> None:
    # The operations check this again on POST; here it keeps the form itself from showing.
    if not _can_manage(unit):
        raise Forbidden(who_may_manage_areas(tenant_session()))


def _get_area(unit_id: int) -> Unit:
    area = get_unit(tenant_session(), unit_id, current_principal())
    if not area.level.is_residential_area:
        raise NotFound(_("Không tìm thấy khu dân cư."))
    return area


def _home_units() -> list[Unit]:
    """Units the user holds a role at, topmost first."""
    ids = {grant.unit_id for grant in current_principal().grants}
    if not ids:
        return []
    units = tenant_session().scalars(select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda u: (u.path.count("/"), u.name))


def _breadcrumb(unit: Unit) -> list[tuple[str, str | None]]:
    principal = current_principal()
    items = [
        (a.name, url_for("units_pages.show", unit_id=a.id) if principal.sees_path(a.path) else None)
        for a in list_ancestors(tenant_session(), unit)
    ]
    return items + [(unit.name, None)]


def _render_unit(unit: Unit, *, homes: list[Unit] | None = None):
    session = tenant_session()
    areas = sub_units = retired_areas = []
    if unit.level.holds_residential_areas:
        all_areas = list_children(session, unit, current_only=False, residential=True)
        areas = [a for a in all_areas if a.valid_to is None]
        retired_areas = [a for a in all_areas if a.valid_to is not None]
    if not unit.level.is_residential_area:
        sub_units = list_children(session, unit, residential=False)
    # 129 communes and more under a province: searched (accents ignored), in Vietnamese order,
    # a page at a time; the GET arguments stay in the pager's links.
    query = request.args.get("q", "")[:100].strip()
    shown_units = sorted(
        (u for u in sub_units if matches(query, u.name)), key=lambda u: sort_key(u.name)
    )
    successor = session.get(Unit, unit.successor_id) if unit.successor_id else None
    grants = [g_ for g_ in current_principal().grants if g_.unit_id == unit.id]
    return render_template(
        "units/unit.html",
        unit=unit,
        breadcrumb=_breadcrumb(unit),
        sub_units=sub_units,
        sub_page=paginate_items(shown_units, page_size=SUB_UNITS_PAGE),
        query=query,
        areas=areas,
        retired_areas=retired_areas,
        successor=successor,
        can_manage=_can_manage(unit),
        who_manages_areas=who_may_manage_areas(session),
        homes=homes,
        grants=grants,
    )


@bp.get("/")
@login_required
def home():
    """Trang chủ: the user's topmost unit; `?unit=` switches to another unit they hold a role at."""
    homes = _home_units()
    if not homes:
        return render_template("units/no_unit.html")
    chosen = request.args.get("unit", type=int)
    unit = next((u for u in homes if u.id == chosen), homes[0])
    return _render_unit(unit, homes=homes)


@bp.get("/units/<int:unit_id>")
@login_required
def show(unit_id: int):
    return _render_unit(get_unit(tenant_session(), unit_id, current_principal()))


@bp.route("/units/<int:unit_id>/areas/new", methods=["GET", "POST"])
@login_required
def create_area(unit_id: int):
    commune = get_unit(tenant_session(), unit_id, current_principal())
    if not commune.level.holds_residential_areas:
        raise NotFound(_("Đơn vị này không có khu dân cư trực thuộc."))
    _require_manager(commune)
    form = CreateAreaForm()
    return form_page(
        form,
        "units/area_form.html",
        context={"commune": commune, "area": None},
        run=lambda: operations.create_residential_area(
            tenant_session(),
            current_principal(),
            commune_id=commune.id,
            name=form.name.data,
            kind=form.kind.data,
        ),
        then=lambda area: done(
            _("Đã thêm khu dân cư “%(name)s”.", name=area.name),
            url_for("units_pages.show", unit_id=commune.id),
        ),
    )


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit_area(unit_id: int):
    area = _get_area(unit_id)
    _require_manager(area)
    old_name = area.name
    form = EditAreaForm(obj=area)

    def saved(area: Unit):
        if area.name != old_name:
            message = _(
                "Đã đổi tên khu dân cư “%(old)s” thành “%(new)s”.", old=old_name, new=area.name
            )
        else:
            message = _("Đã lưu khu dân cư “%(name)s”.", name=area.name)
        return done(message, url_for("units_pages.show", unit_id=area.id))

    return form_page(
        form,
        "units/area_form.html",
        context={"commune": area.parent, "area": area, "old_name": old_name},
        run=lambda: operations.update_residential_area(
            tenant_session(), current_principal(), area.id, name=form.name.data, kind=form.kind.data
        ),
        then=saved,
    )


def _successor_choices(area: Unit) -> list[SelectChoice]:
    siblings = list_children(tenant_session(), area.parent, residential=True)
    others = [a for a in siblings if a.id != area.id]
    return [SelectChoice("", _("Không có (giải thể)"))] + [
        SelectChoice(str(a.id), a.name) for a in others
    ]


@bp.route("/units/<int:unit_id>/retire", methods=["GET", "POST"])
@login_required
def retire_area(unit_id: int):
    area = _get_area(unit_id)
    _require_manager(area)
    form = RetireAreaForm()
    form.successor_id.choices = _successor_choices(area) if area.parent else []
    return form_page(
        form,
        "units/area_retire.html",
        context={"area": area},
        run=lambda: operations.retire_residential_area(
            tenant_session(),
            current_principal(),
            area.id,
            valid_to=form.valid_to.data,
            reason=form.reason.data,
            successor_id=form.successor_id.data,
        ),
        then=lambda _result: done(
            _("Đã ghi nhận khu dân cư “%(name)s” ngừng hoạt động.", name=area.name),
            url_for("units_pages.show", unit_id=area.parent_id),
        ),
    )
