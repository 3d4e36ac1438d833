"""Pages of the channels: voter meetings and opinion collection (with their issues, and the
case or recommendation opened from one), meeting attendance, respected people. Thin handlers
over `channels.meetings`, `channels.registers` and `channels.queries`."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.accounts.permissions import who_can
from giamsat.core import clock
from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision.channels import forms as f
from giamsat.supervision.channels import labels, meetings, queries, registers
from giamsat.supervision.channels.masking import masked_contact
from giamsat.supervision.channels.models import MeetingBody, RespectedKind
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    area_choices,
    can_write,
    default_unit,
    enum_arg,
    form_context,
    organization_choices,
    require_some_writable_unit,
    require_writer_of,
    unit_arg,
    unit_choices,
    values,
    visible_units,
    writable_units,
)
from giamsat.units.models import Unit

# Named after the package, so "templates" is the channels' own folder.
bp = Blueprint(
    "supervision_channels",
    "giamsat.supervision.channels",
    url_prefix="/t/<tenant>/supervision",
    template_folder="templates",
)


@bp.context_processor
def _channel_labels():
    from giamsat.supervision import labels as sv

    return {
        "ch": labels,
        "sv": sv,
        "who_can": who_can,
        "masked_contact": masked_contact,
        "sv_today": clock.today,
    }


def _page(endpoint: str, **kwargs) -> str:
    return url_for(f"supervision_channels.{endpoint}", **kwargs)


# --- voter meetings and opinion collection ------------------------------------------------------

MEETING_FIELDS = ["kind", "held_on", "place", "title", "participants_count", "participants"]


@bp.get("/voter-meetings")
@login_required
def meetings_list():
    filters = dict(unit_id=unit_arg())
    page = paginate(queries.list_meetings_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "channels/meetings.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
    )


def _meeting_values(form) -> dict:
    found = values(form, MEETING_FIELDS)
    found["participants_count"] = found["participants_count"] or 0
    return found


@bp.route("/voter-meetings/new", methods=["GET", "POST"])
@login_required
def create_meeting():
    units = require_some_writable_unit()
    form = f.MeetingForm()
    form.unit_id.choices = unit_choices(units)
    default_unit(form.unit_id, units)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi buổi tiếp xúc cử tri, lấy ý kiến"),
            fields=["unit_id"] + MEETING_FIELDS,
            action=_page("create_meeting"),
            cancel=_page("meetings_list"),
        ),
        run=lambda: meetings.create_meeting(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **_meeting_values(form),
        ),
        then=lambda item: done(
            _("Đã ghi buổi tại “%(place)s”.", place=item.place),
            _page("meeting", meeting_id=item.id),
        ),
    )


@bp.get("/voter-meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    session = tenant_session()
    item = queries.get_meeting(session, meeting_id, current_principal())
    return render_template(
        "channels/meeting.html",
        meeting=item,
        unit=session.get(Unit, item.unit_id),
        can_write=can_write(item.unit_id),
    )


@bp.route("/voter-meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    item = queries.get_meeting(tenant_session(), meeting_id, current_principal())
    require_writer_of(item)
    form = f.MeetingForm(obj=item)
    del form.unit_id
    back = _page("meeting", meeting_id=item.id)

    def prefill():
        form.kind.data = item.kind.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa buổi tiếp xúc cử tri, lấy ý kiến"),
            fields=MEETING_FIELDS,
            action=_page("edit_meeting", meeting_id=item.id),
            cancel=back,
        ),
        run=lambda: meetings.update_meeting(
            tenant_session(), current_principal(), item.id, **_meeting_values(form)
        ),
        then=lambda _item: done(_("Đã lưu buổi tiếp xúc cử tri, lấy ý kiến."), back),
    )


ISSUE_FIELDS = ["content", "forwarded_to", "answer", "answered_on"]


@bp.route("/voter-meetings/<int:meeting_id>/issues/new", methods=["GET", "POST"])
@login_required
def add_issue(meeting_id: int):
    item = queries.get_meeting(tenant_session(), meeting_id, current_principal())
    require_writer_of(item)
    form = f.CitizenIssueForm()
    back = _page("meeting", meeting_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi ý kiến, kiến nghị của cử tri"),
            fields=ISSUE_FIELDS,
            action=_page("add_issue", meeting_id=item.id),
            cancel=back,
        ),
        run=lambda: meetings.add_issue(
            tenant_session(), current_principal(), item.id, **values(form, ISSUE_FIELDS)
        ),
        then=lambda _issue: done(_("Đã ghi ý kiến."), back),
    )


@bp.route("/voter-meetings/issues/<int:issue_id>/edit", methods=["GET", "POST"])
@login_required
def edit_issue(issue_id: int):
    issue = queries.get_issue(tenant_session(), issue_id, current_principal())
    require_writer_of(issue)
    form = f.CitizenIssueForm(obj=issue)
    back = _page("meeting", meeting_id=issue.meeting_id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Chuyển đến và trả lời ý kiến"),
            fields=ISSUE_FIELDS,
            action=_page("edit_issue", issue_id=issue.id),
            cancel=back,
        ),
        run=lambda: meetings.update_issue(
            tenant_session(), current_principal(), issue.id, **values(form, ISSUE_FIELDS)
        ),
        then=lambda _issue: done(_("Đã lưu ý kiến."), back),
    )


@bp.route("/voter-meetings/issues/<int:issue_id>/case", methods=["GET", "POST"])
@login_required
def issue_case(issue_id: int):
    issue = queries.get_issue(tenant_session(), issue_id, current_principal())
    require_writer_of(issue)
    form = f.IssueCaseForm()
    form.area_id.choices = area_choices()
    names = ["kind", "title", "area_id"]
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Mở hồ sơ vụ việc từ ý kiến"),
            intro=issue.content,
            fields=names,
            submit=_("Mở hồ sơ"),
            action=_page("issue_case", issue_id=issue.id),
            cancel=_page("meeting", meeting_id=issue.meeting_id),
        ),
        run=lambda: meetings.open_case(
            tenant_session(), current_principal(), issue.id, **values(form, names)
        ),
        then=lambda case: done(
            _("Đã mở hồ sơ %(number)s từ ý kiến.", number=case.number),
            url_for("cases_pages.show", case_id=case.id),
        ),
    )


@bp.route("/voter-meetings/issues/<int:issue_id>/recommendation", methods=["GET", "POST"])
@login_required
def issue_recommendation(issue_id: int):
    issue = queries.get_issue(tenant_session(), issue_id, current_principal())
    require_writer_of(issue)
    form = f.IssueRecommendationForm()
    form.organization_id.choices = organization_choices()
    names = ["organization_id", "addressee_kind", "addressee_name", "expected_answer", "issued_on"]

    def run():
        found = values(form, names)
        found["addressee_name"] = found["addressee_name"] or None
        return meetings.recommend(tenant_session(), current_principal(), issue.id, **found)

    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Kiến nghị từ ý kiến"),
            intro=issue.content,
            fields=names,
            submit=_("Ban hành kiến nghị"),
            action=_page("issue_recommendation", issue_id=issue.id),
            cancel=_page("meeting", meeting_id=issue.meeting_id),
        ),
        run=run,
        then=lambda rec: done(
            _("Đã ban hành kiến nghị từ ý kiến."),
            url_for("supervision_pages.recommendation", recommendation_id=rec.id),
        ),
    )


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
            action=_page("create_attendance"),
            cancel=_page("attendance_list"),
        ),
        run=lambda: registers.record_attendance(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **values(form, ATTENDANCE_FIELDS),
        ),
        then=lambda _row: done(_("Đã ghi lượt dự họp."), _page("attendance_list")),
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
            action=_page("edit_attendance", attendance_id=row.id),
            cancel=_page("attendance_list"),
        ),
        run=lambda: registers.update_attendance(
            tenant_session(), current_principal(), row.id, **values(form, ATTENDANCE_FIELDS)
        ),
        then=lambda _row: done(_("Đã lưu lượt dự họp."), _page("attendance_list")),
    )


@bp.post("/meeting-attendance/<int:attendance_id>/delete")
@login_required
def delete_attendance(attendance_id: int):
    registers.delete_attendance(tenant_session(), current_principal(), attendance_id)
    return done(_("Đã xóa lượt dự họp ghi nhầm."), _page("attendance_list"))


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
            action=_page("create_respected"),
            cancel=_page("respected_list"),
        ),
        run=lambda: registers.add_respected(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **_respected_values(form),
        ),
        then=lambda person: done(
            _("Đã thêm “%(name)s”.", name=person.full_name),
            _page("respected_person", person_id=person.id),
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
    back = _page("respected_person", person_id=person.id)

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
            action=_page("edit_respected", person_id=person.id),
            cancel=back,
        ),
        run=run,
        then=lambda _person: done(_("Đã lưu “%(name)s”.", name=person.full_name), back),
    )
