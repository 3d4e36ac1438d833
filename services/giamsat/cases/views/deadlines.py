"""The deadline table (bảng thời hạn trả lời): the tenant admin reads and edits its rows."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from giamsat.cases import deadlines
from giamsat.cases.forms import DeadlineRuleForm
from giamsat.cases.labels import KIND_LABELS, RECIPIENT_LABELS
from giamsat.cases.views import bp
from giamsat.core.errors import Forbidden
from giamsat.http.pages import FORM_ERRORS, done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required


def _require_tenant_admin() -> None:
    if not current_principal().is_tenant_admin:
        raise Forbidden(_("Chỉ quản trị viên của tỉnh được xem và sửa bảng thời hạn trả lời."))


def _form(rule, formdata=None) -> DeadlineRuleForm:
    form = DeadlineRuleForm(prefix=f"r{rule.id}", formdata=formdata, obj=rule)
    if formdata is None:
        form.clock.data, form.start.data = rule.clock.value, rule.start.value
    return form


@bp.get("/deadlines")
@login_required
def deadline_rules():
    _require_tenant_admin()
    return _render()


def _render(bad: tuple[int, DeadlineRuleForm] | None = None, errors=(), status=200):
    groups: dict[str, list] = {}
    for rule in deadlines.list_rules(tenant_session()):
        form = bad[1] if bad and bad[0] == rule.id else _form(rule)
        groups.setdefault(str(RECIPIENT_LABELS[rule.recipient_kind]), []).append((rule, form))
    return render_template(
        "cases/deadlines.html",
        groups=list(groups.items()),
        kind_labels=KIND_LABELS,
        errors=list(errors),
        bad_id=bad[0] if bad else None,
    ), status


@bp.post("/deadlines/<int:rule_id>")
@login_required
def edit_deadline_rule(rule_id: int):
    _require_tenant_admin()
    form = DeadlineRuleForm(prefix=f"r{rule_id}")

    def run():
        try:
            return deadlines.update_rule(
                tenant_session(),
                current_principal(),
                rule_id,
                **{name: getattr(form, name).data for name in deadlines.EDITABLE},
            )
        except FORM_ERRORS:
            # The table is drawn again from the database: without the refused change.
            tenant_session().rollback()
            raise

    return form_page(
        form,
        "cases/deadlines.html",
        run=run,
        then=lambda rule: done(
            _("Đã lưu thời hạn: %(row)s.", row=deadlines.describe(rule)),
            url_for("cases_pages.deadline_rules") + f"#r{rule.id}",
        ),
        render=lambda form, status, errors: _render((rule_id, form), errors, status),
    )
