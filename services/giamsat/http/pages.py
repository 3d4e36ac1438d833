"""One way to write a page handler: load → check → form → operation → errors → flash → redirect.

    @bp.route("/boxes/<int:box_id>/edit", methods=["GET", "POST"])
    @login_required
    def edit_box(box_id):
        box = queries.get_box(tenant_session(), box_id, current_principal())
        form = EditBoxForm(obj=box)
        return form_page(
            form, "letters/box_form.html", context={"box": box},
            run=lambda: operations.update_box(tenant_session(), current_principal(), box.id,
                                              **form.values()),
            then=lambda box: done(_("Đã lưu hòm thư %(code)s.", code=box.label_code),
                                  url_for("letters_pages.register")))

A GET shows the form (after `prefill`), a POST that fails the form's own checks comes back
with 422, an operation's ValidationFailed or Conflict puts its messages next to the fields
(the rest above the form) with its status; anything else a DomainError says is mapped to a
page once, in the app. Forms keep what was typed in every case.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import flash, g, redirect, render_template, request, send_file, url_for
from sqlalchemy import Select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from giamsat.core.columns import TooLong
from giamsat.core.errors import Conflict, DomainError, ValidationFailed
from giamsat.http.counts import capped_count, window
from giamsat.http.errors import data_error_message

T = TypeVar("T")

#: Domain errors shown next to the form; other DomainErrors become an error page.
FORM_ERRORS = (ValidationFailed, Conflict)
#: Rows per page of the pages' lists.
PAGE_SIZE = 25


def tenant_session() -> Session:
    """The current tenant's session: the one the request commits once at its end."""
    return g.tenant.session


def render_form(template: str, form, status: int = 200, errors=(), **values: Any):
    """The form page with `errors` (messages not tied to a field) above the form."""
    return render_template(template, form=form, errors=list(errors), **values), status


def private_download(data: bytes, name: str, mimetype: str) -> Response:
    """A generated file as an attachment that no shared cache keeps (it may name people)."""
    response = send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def done(message: str, url: str, category: str = "success") -> Response:
    """The end of a successful action: a plain-language message and where to go next."""
    flash(message, category)
    return redirect(url)


def form_page(
    form,
    template: str,
    *,
    run: Callable[[], T],
    then: Callable[[T], Any],
    context: Mapping[str, Any] | None = None,
    prefill: Callable[[], None] | None = None,
    render: Callable[..., Any] | None = None,
    shown: tuple[type[DomainError], ...] = FORM_ERRORS,
):
    """Drive one form: show it, check it, run the operation, map its errors, finish.

    `run()` calls the operation (it reads `form`'s data); `then(result)` finishes, usually
    with `done(message, url)`.
    `render(form, status=…, errors=…)` replaces the default `render_form(template, …)` for
    pages that draw the form their own way.
    `shown` are the operation's errors put on the form with their status; a page whose
    operation writes files may add `Unavailable` so an outage keeps what was typed."""
    values = dict(context or {})

    def show(status: int = 200, errors=()):
        if render is not None:
            return render(form, status=status, errors=list(errors), **values)
        return render_form(template, form, status, errors, **values)

    if not form.is_submitted():
        if prefill is not None:
            prefill()
        return show()
    if not form.validate():
        return show(422)
    try:
        result = run()
    except (DataError, TooLong) as error:
        # The database (or the flush) refused a value: the session must start over before the
        # form is drawn again; the request's end rolls back anyway (status ≥ 400).
        tenant_session().rollback()
        if isinstance(error, TooLong):
            return show(error.status, form.apply_domain_error(error))
        return show(422, [data_error_message(error)])
    except shown as error:
        return show(error.status, form.apply_domain_error(error))
    return then(result)


@dataclass
class Pagination:
    """One page of a list, with links that keep the page's other query arguments."""

    items: list
    page: int
    pages: int
    total: int
    #: False when `total` is only a lower bound (the count stopped at COUNT_CAP).
    total_is_exact: bool = True

    def url(self, page: int) -> str:
        args = request.args.to_dict() | {"page": page}
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def paginate(
    stmt: Select, *, page_size: int = PAGE_SIZE, shown: Callable[[Any], Any] | None = None
) -> Pagination:
    """The page of `stmt` asked for by `?page=` (clamped to what exists).

    The total is counted up to COUNT_CAP only: past it the page says "hơn 1.000" and the
    page number is not clamped (there is always one more page while pages come back full)."""
    session = tenant_session()
    total, exact = capped_count(session, stmt)
    pages = max(1, math.ceil(total / page_size))
    page = max(request.args.get("page", 1, type=int), 1)
    if exact:
        page = min(page, pages)
    stmt = stmt.limit(page_size).offset((page - 1) * page_size)
    rows = list(session.scalars(stmt, window(page * page_size)))
    if not exact and len(rows) == page_size:
        pages = max(pages, page + 1)
    items = [shown(r) for r in rows] if shown else rows
    return Pagination(items, page, pages, total, total_is_exact=exact)


def paginate_items(items: list, *, page_size: int = PAGE_SIZE) -> Pagination:
    """The page of an already filtered and sorted list asked for by `?page=` (clamped)."""
    pages = max(1, math.ceil(len(items) / page_size))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    start = (page - 1) * page_size
    return Pagination(items[start : start + page_size], page, pages, len(items))
