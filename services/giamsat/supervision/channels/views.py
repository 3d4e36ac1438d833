"""Pages of voter meetings and opinion collection: the sessions, their issues, and the case or
recommendation opened from one. Thin handlers over `channels.meetings` and `channels.queries`."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision.channels import forms as f
from giamsat.supervision.channels import meetings, queries
from giamsat.supervision.channels.blueprint import bp, page_url
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    area_choices,
    can_write,
    default_unit,
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
            action=page_url("create_meeting"),
            cancel=page_url("meetings_list"),
        ),
        run=lambda: meetings.create_meeting(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **_meeting_values(form),
        ),
        then=lambda item: done(
            _("Đã ghi buổi tại “%(place)s”.", place=item.place),
            page_url("meeting", meeting_id=item.id),
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
    back = page_url("meeting", meeting_id=item.id)

    def prefill():
        form.kind.data = item.kind.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa buổi tiếp xúc cử tri, lấy ý kiến"),
            fields=MEETING_FIELDS,
            action=page_url("edit_meeting", meeting_id=item.id),
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
    back = page_url("meeting", meeting_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi ý kiến, kiến nghị của cử tri"),
            fields=ISSUE_FIELDS,
            action=page_url("add_issue", meeting_id=item.id),
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
    back = page_url("meeting", meeting_id=issue.meeting_id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Chuyển đến và trả lời ý kiến"),
            fields=ISSUE_FIELDS,
            action=page_url("edit_issue", issue_id=issue.id),
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
            action=page_url("issue_case", issue_id=issue.id),
            cancel=page_url("meeting", meeting_id=issue.meeting_id),
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
            action=page_url("issue_recommendation", issue_id=issue.id),
            cancel=page_url("meeting", meeting_id=issue.meeting_id),
        ),
        run=run,
        then=lambda rec: done(
            _("Đã ban hành kiến nghị từ ý kiến."),
            url_for("supervision_pages.recommendation", recommendation_id=rec.id),
        ),
    )
