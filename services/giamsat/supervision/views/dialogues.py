"""Dialogues (đối thoại): list, schedule, edit, one dialogue, the issues raised there and the
commitments made, and the follow-up report of a commitment."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import dialogue_forms as df
from giamsat.supervision import operations, queries
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    can_write,
    choice,
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

#: The dialogue fields of the schedule and edit forms, in page order.
DIALOGUE_FIELDS = [
    "title",
    "held_on",
    "place",
    "status",
    "chaired_by",
    "heads_present",
    "participants_count",
    "participants",
    "summary",
]


@bp.get("/dialogues")
@login_required
def dialogues():
    filters = dict(unit_id=unit_arg())
    page = paginate(queries.list_dialogues_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "supervision/dialogues.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
    )


def _dialogue_values(form) -> dict:
    found = values(form, DIALOGUE_FIELDS)
    found["participants_count"] = found["participants_count"] or 0
    return found


@bp.route("/dialogues/new", methods=["GET", "POST"])
@login_required
def create_dialogue():
    units = require_some_writable_unit()
    form = df.DialogueForm()
    form.unit_id.choices = unit_choices(units)
    form.organization_id.choices = organization_choices()
    default_unit(form.unit_id, units)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Lên lịch đối thoại"),
            fields=["unit_id", "organization_id"] + DIALOGUE_FIELDS,
            action=url_for("supervision_pages.create_dialogue"),
            cancel=url_for("supervision_pages.dialogues"),
        ),
        run=lambda: operations.create_dialogue(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            organization_id=form.organization_id.data,
            **_dialogue_values(form),
        ),
        then=lambda item: done(
            _("Đã lên lịch đối thoại “%(title)s”.", title=item.title),
            url_for("supervision_pages.dialogue", dialogue_id=item.id),
        ),
    )


@bp.route("/dialogues/<int:dialogue_id>/edit", methods=["GET", "POST"])
@login_required
def edit_dialogue(dialogue_id: int):
    item = queries.get_dialogue(tenant_session(), dialogue_id, current_principal())
    require_writer_of(item)
    form = df.DialogueForm(obj=item)
    del form.unit_id
    del form.organization_id
    back = url_for("supervision_pages.dialogue", dialogue_id=item.id)

    def prefill():
        form.status.data = item.status.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa buổi đối thoại “%(title)s”", title=item.title),
            fields=DIALOGUE_FIELDS,
            cancel=back,
            action=url_for("supervision_pages.edit_dialogue", dialogue_id=item.id),
        ),
        run=lambda: operations.update_dialogue(
            tenant_session(), current_principal(), item.id, **_dialogue_values(form)
        ),
        then=lambda _dialogue: done(
            _("Đã lưu buổi đối thoại “%(title)s”.", title=item.title), back
        ),
    )


@bp.get("/dialogues/<int:dialogue_id>")
@login_required
def dialogue(dialogue_id: int):
    session = tenant_session()
    item = queries.get_dialogue(session, dialogue_id, current_principal())
    return render_template(
        "supervision/dialogue.html",
        dialogue=item,
        unit=session.get(Unit, item.unit_id),
        issues_by_id={i.id: i for i in item.issues},
        can_write=can_write(item.unit_id),
        today=today(),
    )


@bp.route("/dialogues/<int:dialogue_id>/issues/new", methods=["GET", "POST"])
@login_required
def add_issue(dialogue_id: int):
    item = queries.get_dialogue(tenant_session(), dialogue_id, current_principal())
    require_writer_of(item)
    form = df.IssueForm()
    names = ["content", "answer"]
    back = url_for("supervision_pages.dialogue", dialogue_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi vấn đề nêu ra tại “%(title)s”", title=item.title),
            fields=[*names, "tags"],
            cancel=back,
            action=url_for("supervision_pages.add_issue", dialogue_id=item.id),
            tags=True,
        ),
        run=lambda: operations.add_dialogue_issue(
            tenant_session(),
            current_principal(),
            item.id,
            **values(form, names),
            tag_codes=form.tags.data or (),
        ),
        then=lambda _issue: done(_("Đã ghi vấn đề nêu ra."), back),
    )


@bp.route("/dialogues/<int:dialogue_id>/commitments/new", methods=["GET", "POST"])
@login_required
def add_commitment(dialogue_id: int):
    item = queries.get_dialogue(tenant_session(), dialogue_id, current_principal())
    require_writer_of(item)
    form = df.CommitmentForm()
    form.issue_id.choices = [choice(None, _("Không gắn với vấn đề nào"))] + [
        choice(i.id, i.content[:80]) for i in item.issues
    ]
    names = ["issue_id", "content", "responsible", "due_on"]
    back = url_for("supervision_pages.dialogue", dialogue_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi cam kết tại “%(title)s”", title=item.title),
            fields=names,
            intro=_(
                "Cam kết sẽ được theo dõi cho tới khi thực hiện xong hoặc báo cáo không thực hiện."
            ),
            action=url_for("supervision_pages.add_commitment", dialogue_id=item.id),
            cancel=back,
        ),
        run=lambda: operations.add_commitment(
            tenant_session(), current_principal(), item.id, **values(form, names)
        ),
        then=lambda _commitment: done(_("Đã ghi cam kết."), back),
    )


@bp.route("/commitments/<int:commitment_id>/report", methods=["GET", "POST"])
@login_required
def report_commitment(commitment_id: int):
    commitment = queries.get_commitment(tenant_session(), commitment_id, current_principal())
    require_writer_of(commitment)
    back = url_for("supervision_pages.dialogue", dialogue_id=commitment.dialogue_id)
    form = df.CommitmentFollowUpForm()
    names = ["status", "report", "reported_on"]
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Kết quả theo dõi cam kết"),
            intro=commitment.content,
            fields=names,
            cancel=back,
            action=url_for("supervision_pages.report_commitment", commitment_id=commitment.id),
        ),
        run=lambda: operations.report_commitment(
            tenant_session(), current_principal(), commitment.id, **values(form, names)
        ),
        then=lambda _commitment: done(_("Đã ghi kết quả theo dõi cam kết."), back),
    )
