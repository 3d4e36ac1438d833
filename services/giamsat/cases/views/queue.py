"""The queue of cases (hồ sơ tiếp nhận) with its filters, and the same list as XLSX."""

from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from giamsat.cases import exports, queries
from giamsat.cases.forms import QueueFilterForm
from giamsat.cases.views import bp
from giamsat.cases.views.common import can_handle, category_list, days_late, home_units
from giamsat.core import clock
from giamsat.http.pages import paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units.departments import list_departments
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, list_organizations


def _filters(form: QueueFilterForm) -> dict:
    return {
        "status": form.status.data or None,
        "kind": form.kind.data or None,
        "channel": form.channel.data or None,
        "tag": form.tag.data or None,
        "organization_id": form.organization.data,
        "department_id": form.department.data,
        "overdue": True if form.overdue.data else None,
        "received_from": form.received_from.data,
        "received_to": form.received_to.data,
        "q": (form.q.data or "").strip() or None,
    }


def _department_choices(unit: Unit | None) -> list[SelectChoice]:
    """The departments of the unit looked at, else of the user's own units."""
    session, principal = tenant_session(), current_principal()
    units = [unit] if unit else [u for u in home_units() if not u.level.is_residential_area]
    choices = [SelectChoice("", _("Tất cả"))]
    for u in units:
        for d in list_departments(session, principal, u.id):
            choices.append(SelectChoice(str(d.id), d.name if unit else f"{d.name} · {u.name}"))
    return choices


def _filter_form(unit: Unit | None = None) -> tuple[QueueFilterForm, list[str]]:
    form = QueueFilterForm(formdata=request.args)
    form.department.choices = _department_choices(unit)
    form.tag.choices = [SelectChoice("", _("Tất cả"))] + [
        SelectChoice(c.code, f"{c.code} · {c.label}") for c in category_list(active_only=False)
    ]
    form.organization.choices = [SelectChoice("", _("Tất cả"))] + [
        SelectChoice(str(o.id), o.short_name or o.name)
        for o in list_organizations(tenant_session())
    ]
    form.validate()
    errors = [
        e
        for name in ("received_from", "received_to", "organization", "department")
        for e in getattr(form, name).errors
    ]
    # An invalid value is dropped, the rest of the filters still apply.
    for name in ("status", "kind", "channel"):
        allowed = {choice.value for choice in getattr(form, name).choices}
        if getattr(form, name).data not in allowed:
            getattr(form, name).data = ""
    return form, errors


def _queue_unit() -> Unit | None:
    chosen = request.args.get("unit", type=int)
    if chosen:
        return get_unit(tenant_session(), chosen, current_principal())
    return None


def _queue_statement(unit: Unit | None, form: QueueFilterForm):
    return queries.case_queue_query(
        current_principal(), unit_id=unit.id if unit else None, **_filters(form)
    )


@bp.get("/")
@login_required
def queue():
    """Hồ sơ tiếp nhận: the cases of the user's units (or one unit) with filters and search."""
    homes = home_units()
    unit = _queue_unit()
    form, errors = _filter_form(unit)
    listed = paginate(_queue_statement(unit, form))
    today = clock.today()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    intake_units = [u for u in homes if can_handle(u) and not u.level.is_residential_area]
    return render_template(
        "cases/queue.html",
        cases=listed.items,
        form=form,
        errors=errors,
        unit=unit,
        homes=homes,
        total=listed.total,
        total_is_exact=listed.total_is_exact,
        page=listed.page,
        pages=listed.pages,
        args=args,
        today=today,
        late={c.id: days_late(c, today) for c in listed.items},
        intake_units=intake_units,
        intake_hint=not any(can_handle(u) for u in homes),
        can_edit_catalogue=current_principal().is_tenant_admin,
    )


@bp.get("/export.xlsx")
@login_required
def export():
    """The queue with the current filters as an Excel file; reporters masked."""
    unit = _queue_unit()
    form, _errors = _filter_form(unit)
    stmt = _queue_statement(unit, form)
    cases = list(tenant_session().scalars(stmt.limit(exports.MAX_ROWS)).unique())
    body = exports.queue_workbook(cases, today=clock.today(), late=days_late)
    response = make_response(body)
    response.mimetype = exports.XLSX_MIMETYPE
    stamp = clock.today().strftime("%Y%m%d")
    response.headers["Content-Disposition"] = f'attachment; filename="ho-so-{stamp}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response
