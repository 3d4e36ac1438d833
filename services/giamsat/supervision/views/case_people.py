"""The people a case concerns, on the case page (CASE_PAGE_PANELS) and the steps it posts:
confirm a proposed person, pick one found by name, add a new one from the case's text, unlink.
Nothing is linked by the page itself: every link is a staff member's click."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from giamsat.cases.queries import get_case
from giamsat.cases.workflow import CASE_HANDLERS
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import forms as f
from giamsat.supervision import labels, operations, queries
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    area_choices,
    form_context,
    require_some_writable_unit,
    unit_choices,
    values,
    writable_units,
)
from giamsat.supervision.views.people import PERSON_FIELDS

#: The case page's query argument of the name search in this panel.
SEARCH_ARG = "tim_nguoi"
SEARCH_RESULTS = 10
ANCHOR = "nguoi-bi-phan-anh"


def _case_url(case_id: int) -> str:
    return url_for("cases_pages.show", case_id=case_id) + "#" + ANCHOR


def _may_link(case) -> bool:
    return current_principal().has_role_over(case.unit.path, CASE_HANDLERS)


def _search(case) -> tuple[str, list]:
    q = request.args.get(SEARCH_ARG, "").strip()[:100]
    if not q:
        return "", []
    session, principal = tenant_session(), current_principal()
    linked = {lp.link.person_id for lp in queries.linked_people(session, case, principal)}
    stmt = queries.list_people_query(session, principal, q=q).limit(SEARCH_RESULTS + len(linked))
    found = [p for p in session.scalars(stmt) if p.id not in linked]
    return q, found[:SEARCH_RESULTS]


def case_panel(case) -> Markup:
    """Linked people, proposals waiting for a human, the name search and "add a new person"."""
    session, principal = tenant_session(), current_principal()
    may_link = _may_link(case)
    q, found = _search(case) if may_link else ("", [])
    return Markup(
        render_template(
            "supervision/_case_people.html",
            case=case,
            linked=queries.linked_people(session, case, principal),
            proposals=queries.propose_people(session, case, principal) if may_link else [],
            guesses=queries.concerned_names(case),
            may_link=may_link,
            may_create=may_link and bool(writable_units()),
            q=q,
            found=found,
            search_arg=SEARCH_ARG,
            sv=labels,
        )
    )


def _posted_person_id() -> int | None:
    raw = request.form.get("person_id", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


@bp.post("/cases/<int:case_id>/people/link")
@login_required
def link_case_person(case_id: int):
    case = get_case(tenant_session(), case_id, current_principal())
    person_id = _posted_person_id()
    if person_id is None:
        flash(_("Hãy chọn một người trong sổ giám sát."), "error")
        return redirect(_case_url(case.id))
    how = "search" if request.form.get("how") == "search" else "proposal"
    try:
        link = operations.link_person(
            tenant_session(), current_principal(), case.id, person_id, how=how
        )
    except (Conflict, ValidationFailed) as error:
        tenant_session().rollback()
        flash(error.message, "error")
        return redirect(_case_url(case_id))
    return done(_("Đã gắn “%(name)s” với hồ sơ.", name=link.person.full_name), _case_url(case.id))


@bp.post("/cases/<int:case_id>/people/<int:person_id>/unlink")
@login_required
def unlink_case_person(case_id: int, person_id: int):
    person = queries.get_person(tenant_session(), person_id, current_principal())
    operations.unlink_person(tenant_session(), current_principal(), case_id, person.id)
    return done(_("Đã bỏ gắn “%(name)s” khỏi hồ sơ.", name=person.full_name), _case_url(case_id))


@bp.route("/cases/<int:case_id>/people/new", methods=["GET", "POST"])
@login_required
def new_case_person(case_id: int):
    """A new person for a register, prefilled from the case's text, linked on saving."""
    case = get_case(tenant_session(), case_id, current_principal())
    units = require_some_writable_unit()
    form = f.PersonForm()
    form.unit_id.choices = unit_choices(units)
    form.residence_area_id.choices = area_choices()

    def prefill():
        form.full_name.data = request.args.get("name", "")[:200]
        form.position.data = request.args.get("position", "")[:300]
        ids = [u.id for u in units]
        form.unit_id.data = case.unit_id if case.unit_id in ids else ids[0]

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Thêm người vào sổ giám sát và gắn với hồ sơ %(number)s", number=case.number),
            intro=_(
                "Người bị phản ánh chưa có trong sổ. Kiểm tra lại họ tên, chức vụ trước khi lưu."
            ),
            fields=["unit_id"] + PERSON_FIELDS,
            action=url_for("supervision_pages.new_case_person", case_id=case.id),
            cancel=_case_url(case.id),
            submit=_("Thêm và gắn với hồ sơ"),
        ),
        run=lambda: operations.create_and_link(
            tenant_session(),
            current_principal(),
            case.id,
            unit_id=form.unit_id.data,
            **values(form, PERSON_FIELDS),
        ),
        then=lambda link: done(
            _("Đã thêm “%(name)s” vào sổ và gắn với hồ sơ.", name=link.person.full_name),
            _case_url(case.id),
        ),
    )
