"""Yearly supervision plans (kế hoạch giám sát): list, add, edit a draft, approve."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.core.admin_docx import CONTENT_TYPE
from giamsat.core.errors import Conflict
from giamsat.http.pages import done, form_page, paginate, private_download, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import documents, operations, queries
from giamsat.supervision import forms as f
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    can_write,
    default_unit,
    form_context,
    organization_choices,
    require_some_writable_unit,
    require_writer_of,
    today,
    unit_arg,
    unit_choices,
    values,
    visible_units,
    writable_units,
)
from giamsat.units.models import Unit


@bp.get("/plans")
@login_required
def plans():
    filters = dict(unit_id=unit_arg(), year=request.args.get("year", type=int))
    page = paginate(queries.list_plans_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "supervision/plans.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
    )


@bp.route("/plans/new", methods=["GET", "POST"])
@login_required
def create_plan():
    units = require_some_writable_unit()
    form = f.PlanForm()
    form.unit_id.choices = unit_choices(units)
    form.organization_id.choices = organization_choices()
    default_unit(form.unit_id, units)
    names = ["unit_id", "organization_id", "year", "title", "content"]

    def prefill():
        if form.year.data is None:
            form.year.data = today().year

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Thêm kế hoạch giám sát năm"),
            fields=names,
            action=url_for("supervision_pages.create_plan"),
            cancel=url_for("supervision_pages.plans"),
        ),
        run=lambda: operations.create_plan(
            tenant_session(), current_principal(), **values(form, names)
        ),
        then=lambda item: done(
            _("Đã thêm kế hoạch “%(title)s”.", title=item.title),
            url_for("supervision_pages.plan", plan_id=item.id),
        ),
    )


@bp.get("/plans/<int:plan_id>")
@login_required
def plan(plan_id: int):
    session, principal = tenant_session(), current_principal()
    item = queries.get_plan(session, plan_id, principal)
    activities = list(
        session.scalars(queries.list_activities_query(session, principal, plan_id=item.id))
    )
    unit = session.get(Unit, item.unit_id)
    return render_template(
        "supervision/plan.html",
        plan=item,
        unit=unit,
        activities=activities,
        can_write=can_write(item.unit_id),
        can_approve=principal.has_role_over(unit.path, operations.APPROVERS),
    )


@bp.get("/plans/<int:plan_id>/ke-hoach.docx")
@login_required
def plan_document(plan_id: int):
    session = tenant_session()
    item = queries.get_plan(session, plan_id, current_principal())
    return private_download(
        documents.plan_docx(session, item), f"ke-hoach-giam-sat-{item.year}.docx", CONTENT_TYPE
    )


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    item = queries.get_plan(tenant_session(), plan_id, current_principal())
    require_writer_of(item)
    form = f.PlanForm(obj=item)
    for name in ("unit_id", "organization_id", "year"):
        delattr(form, name)
    names = ["title", "content"]
    back = url_for("supervision_pages.plan", plan_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Sửa kế hoạch “%(title)s”", title=item.title),
            fields=names,
            cancel=back,
            action=url_for("supervision_pages.edit_plan", plan_id=item.id),
        ),
        run=lambda: operations.update_plan(
            tenant_session(), current_principal(), item.id, **values(form, names)
        ),
        then=lambda _plan: done(_("Đã lưu kế hoạch “%(title)s”.", title=item.title), back),
    )


@bp.post("/plans/<int:plan_id>/approve")
@login_required
def approve_plan(plan_id: int):
    # A button, not a form: a Conflict comes back to the plan page (409) with its message.
    item = queries.get_plan(tenant_session(), plan_id, current_principal())
    back = url_for("supervision_pages.plan", plan_id=item.id)
    try:
        operations.approve_plan(tenant_session(), current_principal(), item.id)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(back), 409
    return done(_("Đã duyệt kế hoạch “%(title)s”.", title=item.title), back)
