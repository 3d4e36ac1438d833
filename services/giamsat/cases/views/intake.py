"""Tiếp nhận thông tin: the intake form of a unit."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from giamsat.cases import operations
from giamsat.cases.forms import IntakeForm
from giamsat.cases.labels import REPORTER_MODE_HELP, REPORTER_MODE_LABELS
from giamsat.cases.models import ReporterMode
from giamsat.cases.views import bp
from giamsat.cases.views.common import (
    can_handle,
    category_groups,
    category_list,
    home_units,
    require_handler,
    with_form_names,
)
from giamsat.cases.views.files import store_uploads, uploads
from giamsat.core import clock
from giamsat.core.errors import Forbidden, NotFound, ValidationFailed
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units.department_pages import department_choices
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, list_children, list_organizations


def _intake_unit() -> Unit:
    chosen = request.args.get("unit", type=int)
    if chosen:
        unit = get_unit(tenant_session(), chosen, current_principal())
    else:
        units = [u for u in home_units() if can_handle(u)]
        if not units:
            raise Forbidden(_("Tài khoản của bạn chỉ được xem hồ sơ, không được thay đổi."))
        unit = units[0]
    if unit.level.is_residential_area:
        raise NotFound(_("Khu dân cư không có sổ tiếp nhận riêng; hãy tiếp nhận ở xã, phường."))
    require_handler(unit)
    return unit


def _fill_intake_choices(form: IntakeForm, unit: Unit) -> None:
    form.organization_id.choices = [SelectChoice("", _("Ủy ban MTTQ"))] + [
        SelectChoice(str(o.id), o.name) for o in list_organizations(tenant_session())
    ]
    areas = (
        list_children(tenant_session(), unit, residential=True)
        if unit.level.holds_residential_areas
        else []
    )
    form.area_id.choices = [SelectChoice("", _("Không rõ hoặc không thuộc khu dân cư nào"))] + [
        SelectChoice(str(a.id), a.name) for a in areas
    ]
    form.department_id.choices = department_choices(tenant_session(), current_principal(), unit.id)


def _render_intake(form, status=200, errors=(), *, unit):
    return render_template(
        "cases/intake.html",
        form=form,
        unit=unit,
        errors=list(errors),
        groups=category_groups(category_list()),
        chosen_tags=set(form.tags.data or []),
        mode_labels=REPORTER_MODE_LABELS,
        mode_help=REPORTER_MODE_HELP,
    ), status


def _receive(form: IntakeForm, unit: Unit):
    try:
        mode = ReporterMode(form.reporter_mode.data or ReporterMode.anonymous.value)
    except ValueError:
        raise ValidationFailed(
            _("Hãy chọn một cách ghi danh tính trong danh sách."), field="reporter_mode"
        ) from None
    values = {
        "name": (form.reporter_name.data or "").strip(),
        "contact": (form.reporter_contact.data or "").strip(),
        "address": (form.reporter_address.data or "").strip(),
    }
    case = operations.receive_case(
        tenant_session(),
        current_principal(),
        unit_id=unit.id,
        received_on=form.received_on.data or clock.today(),
        channel=form.channel.data,
        kind=form.kind.data,
        title=form.title.data or "",
        content=form.content.data or "",
        concerned=form.concerned.data or "",
        organization_id=form.organization_id.data,
        area_id=form.area_id.data,
        department_id=form.department_id.data,
        tag_codes=tuple(form.tags.data or ()),
        is_complex=bool(form.is_complex.data),
        reporter_mode=mode,
        reporter=values if any(values.values()) else None,
    )
    store_uploads(case, uploads(form.attachments), "intake")
    return case


@bp.route("/new", methods=["GET", "POST"])
@login_required
def intake():
    """Tiếp nhận thông tin: record one piece of information received by the unit."""
    unit = _intake_unit()
    form = IntakeForm()
    _fill_intake_choices(form, unit)
    return form_page(
        form,
        "cases/intake.html",
        context={"unit": unit},
        render=_render_intake,
        run=with_form_names(form, lambda: _receive(form, unit)),
        then=lambda case: done(
            _("Đã tiếp nhận hồ sơ số %(number)s.", number=case.number),
            url_for("cases_pages.show", case_id=case.id),
        ),
    )
