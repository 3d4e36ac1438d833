"""The box register of a commune: its residential areas' boxes, adding and editing a box."""

from __future__ import annotations

import datetime as dt

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from giamsat.core import clock
from giamsat.core.vietnamese import sort_key
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.letters import operations, queries
from giamsat.letters.forms import BoxForm, EditBoxForm
from giamsat.letters.models import BoxOpening
from giamsat.letters.views import bp
from giamsat.letters.views.common import (
    chosen_commune,
    local_rules,
    may,
    require,
    switch_to,
)
from giamsat.units.area_people import KEY_KEEPER, area_people
from giamsat.units.queries import get_residential_area, list_children


@bp.get("/")
@login_required
def register():
    """Sổ hòm thư góp ý: the boxes of a commune's residential areas, by area."""
    unit, instead = chosen_commune("letters_pages.register")
    if unit is None:
        return instead
    session = tenant_session()
    boxes = list(session.scalars(queries.boxes_query(current_principal(), unit_id=unit.id)))
    areas = list_children(session, unit, residential=True)
    known = {a.id for a in areas}
    areas += sorted(
        {b.unit for b in boxes if b.unit_id not in known}, key=lambda a: sort_key(a.name)
    )
    by_area: dict[int, list] = {}
    for box in boxes:
        by_area.setdefault(box.unit_id, []).append(box)
    return render_template(
        "letters/register.html",
        unit=unit,
        switch_to=switch_to(unit),
        areas=areas,
        by_area=by_area,
        last=_last_openings([b.id for b in boxes]),
        rules=local_rules(),
        keeper_roles=operations.BOX_KEEPERS,
        handler_roles=operations.LETTER_HANDLERS,
        may=may,
        overdue={
            o.box.id: o
            for o in queries.overdue_openings(session, current_principal(), unit_id=unit.id).get(
                unit.id, []
            )
        },
    )


def _last_openings(box_ids: list[int]) -> dict[int, dt.datetime]:
    if not box_ids:
        return {}
    rows = tenant_session().execute(
        select(BoxOpening.box_id, func.max(BoxOpening.opened_at))
        .where(BoxOpening.box_id.in_(box_ids))
        .group_by(BoxOpening.box_id)
    )
    return dict(rows.all())


def _on_register(box) -> str:
    return url_for("letters_pages.register", unit=box.unit.parent_id) + f"#box-{box.id}"


@bp.route("/areas/<int:area_id>/boxes/new", methods=["GET", "POST"])
@login_required
def create_box(area_id: int):
    area = get_residential_area(tenant_session(), area_id, current_principal())
    require(
        area,
        operations.BOX_KEEPERS,
        _("Tài khoản của bạn không được quản lý hòm thư của khu dân cư này."),
    )
    form = BoxForm()

    def prefill():
        form.installed_on.data = clock.today()

    return form_page(
        form,
        "letters/box_form.html",
        context={
            "area": area,
            "box": None,
            "keeper_names": area_people(tenant_session(), area.id, KEY_KEEPER),
        },
        prefill=prefill,
        run=lambda: operations.create_box(
            tenant_session(), current_principal(), area_id=area.id, **form.values()
        ),
        then=lambda box: done(
            _("Đã thêm hòm thư %(code)s tại %(place)s.", code=box.label_code, place=box.location),
            _on_register(box),
        ),
    )


@bp.route("/boxes/<int:box_id>/edit", methods=["GET", "POST"])
@login_required
def edit_box(box_id: int):
    box = queries.get_box(tenant_session(), box_id, current_principal())
    require(
        box.unit,
        operations.BOX_KEEPERS,
        _("Tài khoản của bạn không được quản lý hòm thư của khu dân cư này."),
    )
    form = EditBoxForm(obj=box)

    def prefill():
        form.status.data = box.status.value

    return form_page(
        form,
        "letters/box_form.html",
        context={
            "area": box.unit,
            "box": box,
            "keeper_names": area_people(tenant_session(), box.unit_id, KEY_KEEPER),
        },
        prefill=prefill,
        run=lambda: operations.update_box(
            tenant_session(), current_principal(), box.id, **form.values()
        ),
        then=lambda saved: done(
            _("Đã lưu hòm thư %(code)s.", code=saved.label_code), _on_register(saved)
        ),
    )
