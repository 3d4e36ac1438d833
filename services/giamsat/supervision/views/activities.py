"""Supervision activities (hoạt động giám sát): list, record, edit, one activity, comments."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from giamsat.core.errors import NotFound
from giamsat.http.pages import done, form_page, paginate, render_form, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import forms as f
from giamsat.supervision import labels, operations, queries
from giamsat.supervision.board_models import BoardKind
from giamsat.supervision.models import ActivityKind
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
    unit_arg,
    unit_choices,
    values,
    visible_units,
    writable_units,
)
from giamsat.units.department_pages import department_choices
from giamsat.units.departments import list_departments
from giamsat.units.models import Unit
from giamsat.units.pickers import search_units

#: The activity fields of the record and edit forms, in page order.
ACTIVITY_FIELDS = [
    "organization_id",
    "plan_id",
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "participants_count",
    "participants",
    "findings",
    "person_ids",
    "board_id",
    "department_id",
]


def _filter_departments(units: list[Unit], unit_id: int | None) -> list[tuple[int, str]]:
    """The departments to filter by: the chosen unit's, else those of the user's own units
    (named with their unit, since several units may each have a Ban DC-PL)."""
    session, principal = tenant_session(), current_principal()
    own = {grant.unit_id for grant in principal.grants}
    return [
        (d.id, d.name if unit_id else f"{d.name} · {u.name}")
        for u in units
        if (u.id == unit_id if unit_id else u.id in own)
        if not u.level.is_residential_area
        for d in list_departments(session, principal, u.id)
    ]


@bp.get("/activities")
@login_required
def activities():
    unit_id, units = unit_arg(), visible_units()
    departments = _filter_departments(units, unit_id)
    # A department that is not on offer (another unit's, a typo) is dropped, as other filters.
    department_id = request.args.get("department", type=int)
    if department_id not in {d for d, _name in departments}:
        department_id = None
    filters = dict(
        unit_id=unit_id, kind=enum_arg(ActivityKind, "kind"), department_id=department_id
    )
    page = paginate(queries.list_activities_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "supervision/activities.html",
        page=page,
        filters=filters,
        units=units,
        departments=departments,
        can_write=bool(writable_units()),
    )


def _activity_choices(form, unit_id: int | None, current: int | None = None) -> None:
    """Plans and people to pick from: those of the chosen unit (and below, for people)."""
    session, principal = tenant_session(), current_principal()
    if form.organization_id is not None:  # fixed once the activity exists
        form.organization_id.choices = organization_choices()
    plans = list(session.scalars(queries.list_plans_query(session, principal)))
    form.plan_id.choices = [choice(None, _("Không theo kế hoạch"))] + [
        choice(p.id, f"{p.year} · {p.organization.short_name} · {p.title}")
        for p in plans
        if unit_id is None or p.unit_id == unit_id
    ]
    people = queries.list_people(session, principal, unit_id=unit_id) if unit_id else []
    form.person_ids.choices = [
        choice(p.id, f"{p.full_name} · {p.position}" if p.position else p.full_name) for p in people
    ]
    boards = queries.boards_of_unit(session, principal, unit_id) if unit_id else []
    form.board_id.choices = [choice(None, _("Không (việc của Mặt trận, tổ chức)"))] + [
        choice(b.id, f"{labels.BOARD_KIND_LABELS[b.kind]} {b.term_start_year}–{b.term_end_year}")
        for b in boards
    ]
    form.department_id.choices = department_choices(session, principal, unit_id, current)


def _from_board(form, board_id: int) -> None:
    """From a board's page: the board chosen, and Ban TTND's kind of work."""
    try:
        board = queries.get_board(tenant_session(), board_id, current_principal())
    except NotFound:
        return
    form.unit_id.data = board.unit_id
    form.board_id.data = board.id
    if board.kind == BoardKind.ttnd:
        form.kind.data = ActivityKind.via_peoples_inspection.value


def _activity_values(form, names: list[str]) -> dict:
    found = values(form, names)
    found["ends_on"] = found["ends_on"] or found["starts_on"]
    found["participants_count"] = found["participants_count"] or 0
    return found


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def create_activity():
    units = require_some_writable_unit()
    form = f.ActivityForm()
    choosing = "choose_unit" in request.form
    found = search_units(units, form.unit_search.data) if choosing else units
    if found:
        # The no-JavaScript search: only the matching units (and the one already chosen).
        units = found + [u for u in units if u.id == form.unit_id.data and u not in found]
    else:
        form.unit_search.errors = [_("Không có đơn vị nào khớp. Hãy gõ chữ khác.")]
    form.unit_id.choices = unit_choices(units)
    if units and form.unit_id.data not in {u.id for u in units}:
        form.unit_id.data = None
    default_unit(form.unit_id, units)
    if request.method == "GET" and request.args.get("board", type=int):
        _from_board(form, request.args.get("board", type=int))
    _activity_choices(form, form.unit_id.data)
    context = form_context(
        heading=_("Ghi nhận hoạt động giám sát"),
        fields=["unit_search", "unit_id"] + ACTIVITY_FIELDS,
        intro=_(
            "Người được giám sát hiện theo đơn vị đã chọn. Đổi đơn vị thì bấm "
            "“Chọn đơn vị” để tải lại danh sách: những gì bạn đã nhập được giữ nguyên."
        ),
        action=url_for("supervision_pages.create_activity"),
        cancel=url_for("supervision_pages.activities"),
    )
    if choosing:
        # “Chọn đơn vị” posts the whole form and draws it again with every value kept and
        # the lists of the unit picked: shown (200), not saved, no error for what is still empty.
        return render_form(FORM_TEMPLATE, form, 200, **context)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=context,
        run=lambda: operations.create_activity(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **_activity_values(form, ACTIVITY_FIELDS),
        ),
        then=lambda item: done(
            _("Đã ghi nhận hoạt động “%(title)s”.", title=item.title),
            url_for("supervision_pages.activity", activity_id=item.id),
        ),
    )


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit_activity(activity_id: int):
    item = queries.get_activity(tenant_session(), activity_id, current_principal())
    require_writer_of(item)
    form = f.ActivityForm(obj=item)
    del form.unit_id
    del form.organization_id
    _activity_choices(form, item.unit_id, item.department_id)
    names = [n for n in ACTIVITY_FIELDS if n != "organization_id"]
    back = url_for("supervision_pages.activity", activity_id=item.id)

    def prefill():
        form.kind.data = item.kind.value
        form.person_ids.data = [p.id for p in item.people]

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa hoạt động “%(title)s”", title=item.title),
            fields=names,
            cancel=back,
            action=url_for("supervision_pages.edit_activity", activity_id=item.id),
        ),
        run=lambda: operations.update_activity(
            tenant_session(), current_principal(), item.id, **_activity_values(form, names)
        ),
        then=lambda _activity: done(_("Đã lưu hoạt động “%(title)s”.", title=item.title), back),
    )


@bp.get("/activities/<int:activity_id>")
@login_required
def activity(activity_id: int):
    session, principal = tenant_session(), current_principal()
    item = queries.get_activity(session, activity_id, principal)
    recommendations = list(
        session.scalars(queries.list_recommendations_query(session, principal, activity_id=item.id))
    )
    plan = queries.get_plan(session, item.plan_id, principal) if item.plan_id else None
    return render_template(
        "supervision/activity.html",
        activity=item,
        plan=plan,
        unit=session.get(Unit, item.unit_id),
        recommendations=recommendations,
        can_write=can_write(item.unit_id),
    )


@bp.route("/activities/<int:activity_id>/comments/new", methods=["GET", "POST"])
@login_required
def add_comment(activity_id: int):
    item = queries.get_activity(tenant_session(), activity_id, current_principal())
    require_writer_of(item)
    form = f.CommentForm()
    form.person_id.choices = [choice(None, _("Chung (không riêng ai)"))] + [
        choice(p.id, p.full_name) for p in item.people
    ]
    back = url_for("supervision_pages.activity", activity_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Ghi ý kiến góp ý trong “%(title)s”", title=item.title),
            fields=["person_id", "content", "tags"],
            cancel=back,
            action=url_for("supervision_pages.add_comment", activity_id=item.id),
            tags=True,
        ),
        run=lambda: operations.add_comment(
            tenant_session(),
            current_principal(),
            item.id,
            content=form.content.data,
            person_id=form.person_id.data,
            tag_codes=form.tags.data or (),
        ),
        then=lambda _comment: done(_("Đã ghi ý kiến góp ý."), back),
    )
