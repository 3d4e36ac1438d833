"""The classification catalogue (danh mục phân loại): tenant admins rename or retire entries."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from giamsat.cases import catalogue
from giamsat.cases.forms import CategoryForm
from giamsat.cases.views import bp
from giamsat.cases.views.common import category_list
from giamsat.core.errors import Forbidden
from giamsat.http.pages import FORM_ERRORS, done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required


def _require_tenant_admin() -> None:
    if not current_principal().is_tenant_admin:
        raise Forbidden(_("Chỉ quản trị viên của tỉnh được sửa danh mục phân loại."))


@bp.get("/categories")
@login_required
def categories():
    _require_tenant_admin()
    return _render_categories()


def _render_categories(bad: tuple[int, CategoryForm] | None = None, errors=(), status=200):
    rows = []
    for category in category_list(active_only=False):
        if bad and bad[0] == category.id:
            form = bad[1]
        else:
            form = CategoryForm(prefix=f"c{category.id}", formdata=None, obj=category)
        rows.append((category, form))
    groups: dict[str, list] = {}
    for category, form in rows:
        groups.setdefault(category.group_label, []).append((category, form))
    return render_template(
        "cases/categories.html",
        groups=list(groups.items()),
        errors=list(errors),
        bad_id=bad[0] if bad else None,
    ), status


@bp.post("/categories/<int:category_id>")
@login_required
def edit_category(category_id: int):
    _require_tenant_admin()
    form = CategoryForm(prefix=f"c{category_id}")

    def run():
        try:
            return catalogue.update_category(
                tenant_session(),
                current_principal(),
                category_id,
                label=form.label.data or "",
                is_active=bool(form.is_active.data),
            )
        except FORM_ERRORS:
            # The list is drawn again from the database: without the refused change.
            tenant_session().rollback()
            raise

    return form_page(
        form,
        "cases/categories.html",
        run=run,
        then=lambda category: done(
            _("Đã lưu mục phân loại %(code)s.", code=category.code),
            url_for("cases_pages.categories") + f"#c{category.id}",
        ),
        render=lambda form, status, errors: _render_categories((category_id, form), errors, status),
    )
