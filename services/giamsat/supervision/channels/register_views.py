"""Pages of the registers: meeting attendance and the respected people and core members of
each residential area. Thin handlers over `channels.registers` and `channels.queries`."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision.channels import forms as f
from giamsat.supervision.channels import queries, registers
from giamsat.supervision.channels.blueprint import bp, page_url
from giamsat.supervision.channels.models import MeetingBody, RespectedKind
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    area_choices,
    can_write,
    default_unit,
    enum_arg,
    form_context,
    require_some_writable_unit,
    require_writer_of,
    unit_arg,
    unit_choices,
    values,
    visible_units,
    writable_units,
)
from giamsat.units.models import Unit

# --- meeting attendance -----------------------------------------------------------------------

ATTENDANCE_FIELDS = ["held_on", "body", "title", "attended_by", "notes"]


@bp.get("/meeting-attendance")
@login_required
def attendance_list():
    filters = dict(unit_id=unit_arg(), body=enum_arg(MeetingBody, "body"))
    page = paginate(
        queries.list_attendances_query(tenant_session(), current_principal(), **filters)
    )
    return render_template(
        "channels/attendance.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
        writable={u.id for u in writable_units()},
    )


@bp.route("/meeting-attendance/new", methods=["GET", "POST"])
@login_required
def create_attendance():
    units = require_some_writable_unit()
    form = f.AttendanceForm()
    form.unit_id.choices = unit_choices(units)
    default_unit(form.unit_id, units)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi một lượt dự họp"),
            intro=_("Cuộc họp của cấp ủy, HĐND, UBND cùng cấp mà Ủy ban MTTQ đã dự."),
            fields=["unit_id"] + ATTENDANCE_FIELDS,
            action=page_url("create_attendance"),
            cancel=page_url("attendance_list"),
        ),
        run=lambda: registers.record_attendance(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **values(form, ATTENDANCE_FIELDS),
        ),
        then=lambda _row: done(_("Đã ghi lượt dự họp."), page_url("attendance_list")),
    )


@bp.route("/meeting-attendance/<int:attendance_id>/edit", methods=["GET", "POST"])
@login_required
def edit_attendance(attendance_id: int):
    row = queries.get_attendance(tenant_session(), attendance_id, current_principal())
    require_writer_of(row)
    form = f.AttendanceForm(obj=row)
    del form.unit_id

    def prefill():
        form.body.data = row.body.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa lượt dự họp"),
            fields=ATTENDANCE_FIELDS,
            action=page_url("edit_attendance", attendance_id=row.id),
            cancel=page_url("attendance_list"),
        ),
        run=lambda: registers.update_attendance(
            tenant_session(), current_principal(), row.id, **values(form, ATTENDANCE_FIELDS)
        ),
        then=lambda _row: done(_("Đã lưu lượt dự họp."), page_url("attendance_list")),
    )


@bp.post("/meeting-attendance/<int:attendance_id>/delete")
@login_required
def delete_attendance(attendance_id: int):
    registers.delete_attendance(tenant_session(), current_principal(), attendance_id)
    return done(_("Đã xóa lượt dự họp ghi nhầm."), page_url("attendance_list"))


# --- respected people and core members ---------------------------------------------------------

RESPECTED_FIELDS = ["area_id", "full_name", "kind", *f.ROLE_FIELDS, "contact", "notes"]


@bp.get("/respected-people")
@login_required
def respected_list():
    filters = dict(
        unit_id=unit_arg(),
        kind=enum_arg(RespectedKind, "kind"),
        q=request.args.get("q", "").strip() or None,
    )
    page = paginate(queries.list_respected_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "channels/respected.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
    )


def _respected_values(form) -> dict:
    found = values(form, ["area_id", "full_name", "kind", "contact", "notes"])
    found["roles"] = [role.value for name, role in f.ROLE_FIELDS.items() if form[name].data]
    return found


@bp.route("/respected-people/new", methods=["GET", "POST"])
@login_required
def create_respected():
    units = require_some_writable_unit()
    form = f.RespectedForm()
    del form.is_active
    form.unit_id.choices = unit_choices(units)
    form.area_id.choices = area_choices()
    default_unit(form.unit_id, units)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Thêm người có uy tín, cốt cán"),
            fields=["unit_id"] + RESPECTED_FIELDS,
            action=page_url("create_respected"),
            cancel=page_url("respected_list"),
        ),
        run=lambda: registers.add_respected(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **_respected_values(form),
        ),
        then=lambda person: done(
            _("Đã thêm “%(name)s”.", name=person.full_name),
            page_url("respected_person", person_id=person.id),
        ),
    )


@bp.get("/respected-people/<int:person_id>")
@login_required
def respected_person(person_id: int):
    person = queries.get_respected(tenant_session(), person_id, current_principal())
    return render_template(
        "channels/respected_person.html",
        person=person,
        unit=tenant_session().get(Unit, person.unit_id),
        can_write=can_write(person.unit_id),
    )


@bp.route("/respected-people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_respected(person_id: int):
    person = queries.get_respected(tenant_session(), person_id, current_principal())
    require_writer_of(person)
    form = f.RespectedForm(obj=person)
    del form.unit_id
    form.area_id.choices = area_choices()
    back = page_url("respected_person", person_id=person.id)

    def prefill():
        form.kind.data = person.kind.value
        for name, role in f.ROLE_FIELDS.items():
            form[name].data = role.value in (person.roles or [])

    def run():
        found = _respected_values(form)
        found["is_active"] = bool(form.is_active.data)
        return registers.update_respected(tenant_session(), current_principal(), person.id, **found)

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa “%(name)s”", name=person.full_name),
            fields=RESPECTED_FIELDS + ["is_active"],
            action=page_url("edit_respected", person_id=person.id),
            cancel=back,
        ),
        run=run,
        then=lambda _person: done(_("Đã lưu “%(name)s”.", name=person.full_name), back),
    )
