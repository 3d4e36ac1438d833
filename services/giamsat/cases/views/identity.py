"""Xem danh tính người gửi: the reveal of a reporter's identity, never cached by the browser."""

from __future__ import annotations

from flask import make_response, render_template
from flask_babel import gettext as _

from giamsat.cases import protection
from giamsat.cases.forms import RevealForm
from giamsat.cases.views import bp
from giamsat.cases.views.common import get_case
from giamsat.core.errors import Forbidden, NotFound
from giamsat.http.pages import form_page, tenant_session
from giamsat.http.session import current_principal, login_required


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.route("/<int:case_id>/reveal", methods=["GET", "POST"])
@login_required
def reveal(case_id: int):
    """Xem danh tính người gửi: leaders only, with a stated reason that goes to the audit log."""
    case = get_case(case_id)
    if not protection.can_reveal(current_principal(), case):
        raise Forbidden(_("Chỉ lãnh đạo Ủy ban MTTQ được xem danh tính người gửi."))
    if not protection.has_identity(tenant_session(), case.id):
        raise NotFound(_("Hồ sơ này không có thông tin người gửi."))
    form = RevealForm()
    # Every answer, the form as much as the identity, is kept out of caches.
    return form_page(
        form,
        "cases/reveal.html",
        run=lambda: protection.reveal_identity(
            tenant_session(), current_principal(), case, reason=(form.reason.data or "").strip()
        ),
        then=lambda identity: _no_store(
            make_response(render_template("cases/revealed.html", case=case, identity=identity))
        ),
        render=lambda form, status, errors: _no_store(
            make_response(
                render_template("cases/reveal.html", case=case, form=form, errors=errors), status
            )
        ),
    )
