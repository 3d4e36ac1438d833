"""Assignments (phân công giám sát): who supervises a person, and ending an assignment."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import forms as f
from giamsat.supervision import operations, queries
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    form_context,
    organization_choices,
    require_writer_of,
    values,
)


@bp.route("/people/<int:person_id>/assign", methods=["GET", "POST"])
@login_required
def assign(person_id: int):
    person = queries.get_person(tenant_session(), person_id, current_principal())
    require_writer_of(person)
    form = f.AssignmentForm()
    form.organization_id.choices = organization_choices()
    names = ["organization_id", "place", "valid_from", "note"]
    back = url_for("supervision_pages.person", person_id=person.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Phân công giám sát “%(name)s”", name=person.full_name),
            fields=names,
            intro=_(
                "Chọn tổ chức của %(unit)s sẽ giám sát người này, ở nơi công tác hay nơi cư trú.",
                unit=person.unit.name,
            ),
            action=url_for("supervision_pages.assign", person_id=person.id),
            cancel=back,
        ),
        run=lambda: operations.assign_person(
            tenant_session(), current_principal(), person_id=person.id, **values(form, names)
        ),
        then=lambda _assignment: done(
            _("Đã phân công giám sát “%(name)s”.", name=person.full_name), back
        ),
    )


@bp.route("/assignments/<int:assignment_id>/end", methods=["GET", "POST"])
@login_required
def end_assignment(assignment_id: int):
    assignment = queries.get_assignment(tenant_session(), assignment_id, current_principal())
    require_writer_of(assignment)
    person = assignment.person
    form = f.EndAssignmentForm()
    back = url_for("supervision_pages.person", person_id=person.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_(
                "Kết thúc phân công: %(org)s giám sát “%(name)s”",
                org=assignment.organization.short_name,
                name=person.full_name,
            ),
            intro=_("Phân công đã kết thúc vẫn được giữ trong lịch sử."),
            fields=["valid_to", "note"],
            cancel=back,
            action=url_for("supervision_pages.end_assignment", assignment_id=assignment.id),
        ),
        run=lambda: operations.end_assignment(
            tenant_session(),
            current_principal(),
            assignment.id,
            valid_to=form.valid_to.data,
            note=form.note.data or None,
        ),
        then=lambda _assignment: done(
            _("Đã kết thúc phân công giám sát “%(name)s”.", name=person.full_name), back
        ),
    )
