"""Openings of a commune's boxes: the list with overdue boxes, recording one, its page and its
minutes."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from giamsat.core import clock
from giamsat.core.admin_docx import CONTENT_TYPE as MINUTES_TYPE
from giamsat.core.errors import NotFound, Unavailable
from giamsat.http.pages import FORM_ERRORS, done, form_page, render_form, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.letters import operations, queries
from giamsat.letters.forms import SPARE_WITNESS_ROWS, OpeningForm
from giamsat.letters.models import Letter
from giamsat.letters.views import bp
from giamsat.letters.views.common import (
    chosen_commune,
    local_rules,
    may,
    require,
    stream,
    switch_to,
)
from giamsat.units.area_people import BOX_WITNESS, area_people
from giamsat.units.models import Unit


@bp.get("/openings")
@login_required
def openings():
    """Các lần mở hòm thư of a commune; boxes past their opening date first, highlighted."""
    unit, instead = chosen_commune("letters_pages.openings")
    if unit is None:
        return instead
    session = tenant_session()
    overdue = queries.overdue_openings(session, current_principal(), unit_id=unit.id)
    rows = list(
        session.scalars(queries.openings_query(current_principal(), unit_id=unit.id).limit(200))
    )
    return render_template(
        "letters/openings.html",
        unit=unit,
        switch_to=switch_to(unit),
        overdue=overdue.get(unit.id, []),
        openings=rows,
        counts=_letter_counts([o.id for o in rows]),
        rules=local_rules(),
        interval=queries.opening_interval(session).days,
    )


def _letter_counts(opening_ids: list[int]) -> dict[int, int]:
    if not opening_ids:
        return {}
    rows = tenant_session().execute(
        select(Letter.opening_id, func.count(func.distinct(Letter.case_id)))
        .where(Letter.opening_id.in_(opening_ids))
        .group_by(Letter.opening_id)
    )
    return dict(rows.all())


def _opening_form(form: OpeningForm, status: int = 200, errors=(), **values):
    return render_form(
        "letters/opening_form.html",
        form,
        status,
        errors,
        witness_errors=form.witness_errors,
        **values,
    )


@bp.route("/boxes/<int:box_id>/openings/new", methods=["GET", "POST"])
@login_required
def record_opening(box_id: int):
    """Ghi biên bản mở hòm thư: date and time, witnesses, seal, letters found."""
    session = tenant_session()
    box = queries.get_box(session, box_id, current_principal())
    require(
        box.unit,
        operations.LETTER_HANDLERS,
        _("Tài khoản của bạn chỉ được xem, không được ghi việc mở hòm thư."),
    )
    minimum = operations.minimum_witnesses(session)
    required = operations.minutes_required(session)
    form = OpeningForm()
    while len(form.witnesses.entries) < max(minimum + SPARE_WITNESS_ROWS, 3):
        form.witnesses.append_entry()

    def prefill():
        now = clock.local_now()
        form.opened_on.data = now.date()
        form.opened_time.data = now.strftime("%H:%M")

    def recorded(opening):
        if opening.minutes_key:
            message = _(
                "Đã ghi lần mở hòm thư %(code)s và lập biên bản. Hãy tải biên bản về, "
                "in ra để mọi người có mặt ký.",
                code=box.label_code,
            )
        else:
            message = _("Đã ghi lần mở hòm thư %(code)s.", code=box.label_code)
        return done(message, url_for("letters_pages.opening", opening_id=opening.id))

    return form_page(
        form,
        "letters/opening_form.html",
        render=_opening_form,
        prefill=prefill,
        context={
            "box": box,
            # The area's respected people who witness openings, offered as names to pick.
            "witness_names": area_people(session, box.unit_id, BOX_WITNESS),
            "minimum": minimum,
            "minutes_required": required,
            "rules": local_rules(),
        },
        # The minutes are written to storage: an outage is shown on the form as well.
        shown=FORM_ERRORS + (Unavailable,),
        run=lambda: operations.record_opening(
            session,
            current_principal(),
            box.id,
            with_minutes=required or bool(request.form.get("with_minutes")),
            **form.values(),
        ),
        then=recorded,
    )


@bp.get("/openings/<int:opening_id>")
@login_required
def opening(opening_id: int):
    session = tenant_session()
    found = queries.get_opening(session, opening_id, current_principal())
    commune = session.get(Unit, found.box.unit.parent_id) or found.box.unit
    letters = list(session.scalars(queries.letters_query(current_principal(), opening_id=found.id)))
    return render_template(
        "letters/opening.html",
        opening=found,
        box=found.box,
        commune=commune,
        letters=letters,
        can_upload=may(commune, operations.LETTER_HANDLERS),
    )


@bp.get("/openings/<int:opening_id>/bien-ban.docx")
@login_required
def minutes(opening_id: int):
    """The minutes DOCX as written at the opening, streamed through the app."""
    found = queries.get_opening(tenant_session(), opening_id, current_principal())
    if not found.minutes_key:
        raise NotFound(_("Lần mở hòm thư này không có biên bản."))
    local = found.opened_at.astimezone(clock.zone())
    name = f"bien-ban-mo-hom-thu-{found.box.label_code}-{local:%Y%m%d-%H%M}.docx".lower()
    return stream(found.minutes_key, MINUTES_TYPE, name, attachment=True)
