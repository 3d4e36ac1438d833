"""Recommendations (kiến nghị) and their follow-up: list, issue, one recommendation, record
the answer, remind (đôn đốc), withdraw."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from giamsat.core.admin_docx import CONTENT_TYPE
from giamsat.http.pages import done, form_page, paginate, private_download, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import documents, labels, operations, queries
from giamsat.supervision import forms as f
from giamsat.supervision.models import RecommendationStatus
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    can_write,
    choice,
    default_unit,
    enum_arg,
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

#: The fields of the issue form, in page order.
RECOMMENDATION_FIELDS = [
    "unit_id",
    "organization_id",
    "activity_id",
    "board_id",
    "person_id",
    "addressee_kind",
    "addressee_name",
    "content",
    "issued_on",
    "expected_answer",
]


@bp.get("/recommendations")
@login_required
def recommendations():
    """Recommendations of the user's units and every unit below; overdue ones first on demand."""
    session = tenant_session()
    overdue = request.args.get("overdue") == "1"
    filters = dict(
        unit_id=unit_arg(),
        status=enum_arg(RecommendationStatus, "status"),
        overdue=True if overdue else None,
    )
    page = paginate(queries.list_recommendations_query(session, current_principal(), **filters))
    ids = {r.unit_id for r in page.items}
    unit_names = (
        dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())
        if ids
        else {}
    )
    return render_template(
        "supervision/recommendations.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
        today=today(),
        unit_names=unit_names,
    )


@bp.route("/recommendations/new", methods=["GET", "POST"])
@login_required
def create_recommendation():
    units = require_some_writable_unit()
    session, principal = tenant_session(), current_principal()
    form = f.RecommendationForm()
    form.unit_id.choices = unit_choices(units)
    default_unit(form.unit_id, units)
    form.organization_id.choices = organization_choices()
    activities = session.scalars(queries.list_activities_query(session, principal).limit(200))
    form.activity_id.choices = [choice(None, _("Không chọn"))] + [
        choice(a.id, f"{a.starts_on:%d/%m/%Y} · {a.title}") for a in activities
    ]
    form.person_id.choices = [choice(None, _("Không chọn"))] + [
        choice(p.id, p.full_name) for p in queries.list_people(session, principal)
    ]
    boards = session.scalars(queries.list_boards_query(session, principal).limit(200))
    form.board_id.choices = [choice(None, _("Không chọn"))] + [
        choice(
            b.id,
            f"{labels.BOARD_KIND_LABELS[b.kind]} · {b.unit.name} · "
            f"{b.term_start_year}–{b.term_end_year}",
        )
        for b in boards
    ]

    def prefill():  # "Add a recommendation" links from an activity, a person or a board
        form.activity_id.data = request.args.get("activity", type=int)
        form.person_id.data = request.args.get("person", type=int)
        form.board_id.data = request.args.get("board", type=int)

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Thêm kiến nghị"),
            fields=[*RECOMMENDATION_FIELDS, "tags"],
            tags=True,
            intro=_(
                "Hạn trả lời là %(days)s ngày làm việc kể từ ngày gửi (không tính thứ "
                "Bảy, Chủ nhật và ngày nghỉ lễ).",
                days=operations.response_days(session),
            ),
            action=url_for("supervision_pages.create_recommendation"),
            cancel=url_for("supervision_pages.recommendations"),
        ),
        run=lambda: operations.issue_recommendation(
            session,
            principal,
            **values(form, RECOMMENDATION_FIELDS),
            tag_codes=form.tags.data or (),
        ),
        then=lambda rec: done(
            _(
                "Đã ghi kiến nghị gửi %(to)s; hạn trả lời %(day)s.",
                to=rec.addressee_name,
                day=rec.due_on.strftime("%d/%m/%Y"),
            ),
            url_for("supervision_pages.recommendation", recommendation_id=rec.id),
        ),
    )


@bp.get("/recommendations/<int:recommendation_id>")
@login_required
def recommendation(recommendation_id: int):
    session, principal = tenant_session(), current_principal()
    rec = queries.get_recommendation(session, recommendation_id, principal)
    person = queries.get_person(session, rec.person_id, principal) if rec.person_id else None
    activity = (
        queries.get_activity(session, rec.activity_id, principal) if rec.activity_id else None
    )
    return render_template(
        "supervision/recommendation.html",
        rec=rec,
        person=person,
        activity=activity,
        unit=session.get(Unit, rec.unit_id),
        can_write=can_write(rec.unit_id),
        today=today(),
    )


@bp.get("/recommendations/<int:recommendation_id>/van-ban-kien-nghi.docx")
@login_required
def recommendation_document(recommendation_id: int):
    session, principal = tenant_session(), current_principal()
    rec = queries.get_recommendation(session, recommendation_id, principal)
    activity = (
        queries.get_activity(session, rec.activity_id, principal) if rec.activity_id else None
    )
    data = documents.recommendation_docx(session, rec, activity=activity)
    return private_download(data, f"kien-nghi-{rec.id}.docx", CONTENT_TYPE)


def _awaiting(recommendation_id: int):
    """The recommendation a follow-up form is about, and where to send the user instead of
    the form when it no longer awaits an answer (None while it does)."""
    rec = queries.get_recommendation(tenant_session(), recommendation_id, current_principal())
    require_writer_of(rec)
    if rec.status != RecommendationStatus.awaiting:
        flash(_("Kiến nghị này không còn chờ trả lời."), "warning")
        return rec, redirect(url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    return rec, None


def _follow_up_context(rec, heading: str, fields: list[str], endpoint: str) -> dict:
    return form_context(
        heading=heading,
        fields=fields,
        action=url_for(endpoint, recommendation_id=rec.id),
        cancel=url_for("supervision_pages.recommendation", recommendation_id=rec.id),
    )


def _back_to(rec, message: str):
    return done(message, url_for("supervision_pages.recommendation", recommendation_id=rec.id))


@bp.route("/recommendations/<int:recommendation_id>/answer", methods=["GET", "POST"])
@login_required
def answer_recommendation(recommendation_id: int):
    rec, elsewhere = _awaiting(recommendation_id)
    if elsewhere:
        return elsewhere
    form = f.AnswerForm()
    names = ["outcome", "answer", "answered_on"]

    def prefill():
        form.outcome.data = rec.expected_answer.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=_follow_up_context(
            rec,
            _("Ghi trả lời kiến nghị gửi %(to)s", to=rec.addressee_name),
            names,
            "supervision_pages.answer_recommendation",
        ),
        run=lambda: operations.answer_recommendation(
            tenant_session(), current_principal(), rec.id, **values(form, names)
        ),
        then=lambda _rec: _back_to(rec, _("Đã ghi nhận trả lời kiến nghị.")),
    )


@bp.route("/recommendations/<int:recommendation_id>/remind", methods=["GET", "POST"])
@login_required
def remind_recommendation(recommendation_id: int):
    rec, elsewhere = _awaiting(recommendation_id)
    if elsewhere:
        return elsewhere
    form = f.ReminderForm()
    names = ["reminded_on", "note"]
    return form_page(
        form,
        FORM_TEMPLATE,
        context=_follow_up_context(
            rec,
            _("Đôn đốc trả lời kiến nghị gửi %(to)s", to=rec.addressee_name),
            names,
            "supervision_pages.remind_recommendation",
        ),
        run=lambda: operations.remind_recommendation(
            tenant_session(), current_principal(), rec.id, **values(form, names)
        ),
        then=lambda _reminder: _back_to(rec, _("Đã ghi lần đôn đốc.")),
    )


@bp.route("/recommendations/<int:recommendation_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_recommendation(recommendation_id: int):
    rec, elsewhere = _awaiting(recommendation_id)
    if elsewhere:
        return elsewhere
    form = f.WithdrawForm()
    return form_page(
        form,
        FORM_TEMPLATE,
        context=_follow_up_context(
            rec,
            _("Rút kiến nghị gửi %(to)s", to=rec.addressee_name),
            ["reason"],
            "supervision_pages.withdraw_recommendation",
        ),
        run=lambda: operations.withdraw_recommendation(
            tenant_session(), current_principal(), rec.id, reason=form.reason.data
        ),
        then=lambda _rec: _back_to(rec, _("Đã rút kiến nghị.")),
    )
