"""The tenant's local rules page: every rule the domains declare, its source and confidence,
edited by the tenant admin, with the history of who changed what."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giamsat.core.errors import Forbidden
from giamsat.http.pages import FORM_ERRORS, done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units import rule_edits
from giamsat.web.rule_forms import CONFIDENCE_LABELS, make_form, shown_value

bp = Blueprint("rules_pages", __name__, url_prefix="/t/<tenant>", template_folder="templates")

#: The page's sections, in order; a rule of another group goes to the last one.
GROUPS = {
    "boxes": _l("Hòm thư góp ý"),
    "reports": _l("Báo cáo định kỳ: hạn nộp và ngày chốt số liệu"),
    "responses": _l("Thời hạn trả lời và nhắc hạn"),
    "limits": _l("Giới hạn của biểu mẫu công khai"),
    "calendar": _l("Ngày nghỉ"),
    "security": _l("Đăng nhập an toàn"),
    "other": _l("Quy định khác"),
}
ACTION_LABELS = {
    "create": _l("đặt lần đầu"),
    "update": _l("sửa"),
    "release": _l("trả lại cho tệp cấu hình"),
}


def _specs():
    from giamsat.domains import rule_specs

    return rule_specs()


def _require_tenant_admin() -> None:
    if not current_principal().is_tenant_admin:
        raise Forbidden(_("Chỉ quản trị viên của tỉnh được xem và sửa quy định của tỉnh."))


def _spec(key: str):
    spec = next((s for s in _specs() if s.key == key), None)
    if spec is None:
        abort(404)
    return spec


def _history_rows(entries, specs):
    by_key = {s.key: s for s in specs}
    rows = []
    for entry in entries:
        spec = by_key.get(entry.object_id)
        before, after = (entry.changes or {}).get("value", [None, None])
        rows.append(
            {
                "entry": entry,
                "label": str(spec.label or spec.key) if spec else entry.object_id,
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "value": "value" in (entry.changes or {}),
                "before": shown_value(spec, before) if spec and before is not None else "",
                "after": shown_value(spec, after) if spec and after is not None else "",
                "source": (entry.changes or {}).get("source", [None, None])[1],
            }
        )
    return rows


def _render(bad=None, errors=(), status=200):
    session, specs = tenant_session(), _specs()
    history = rule_edits.rule_history(session)
    last_change = {}
    for entry in history:  # newest first: the first one seen per rule is its last change
        last_change.setdefault(entry.object_id, entry)
    sections: dict[str, list] = {group: [] for group in GROUPS}
    for state in rule_edits.list_rule_states(session, specs):
        key = state.spec.key
        form = (
            bad[1]
            if bad and bad[0] == key
            else make_form(state.spec, state.value, state.source, state.confidence)
        )
        group = state.spec.group if state.spec.group in GROUPS else "other"
        sections[group].append(
            {
                "state": state,
                "form": form,
                "shown": shown_value(state.spec, state.value),
                "last": last_change.get(key),
            }
        )
    return render_template(
        "web/rules.html",
        sections=[(GROUPS[g], rows) for g, rows in sections.items() if rows],
        confidence_labels=CONFIDENCE_LABELS,
        history=_history_rows(history, specs),
        errors=list(errors),
        bad_key=bad[0] if bad else None,
    ), status


@bp.get("/rules")
@login_required
def rules():
    _require_tenant_admin()
    return _render()


@bp.post("/rules/<key>")
@login_required
def edit_rule(key: str):
    _require_tenant_admin()
    spec = _spec(key)
    form = make_form(spec, None, "", "", formdata=request.form)

    def run():
        try:
            return rule_edits.update_rule(
                tenant_session(),
                current_principal(),
                spec,
                form.typed_value(),
                source=form.source.data,
                confidence=form.confidence.data,
                specs=_specs(),
            )
        except FORM_ERRORS:
            tenant_session().rollback()
            raise

    return form_page(
        form,
        "web/rules.html",
        run=run,
        then=lambda rule: done(
            _("Đã lưu quy định: %(label)s.", label=spec.label or spec.key),
            url_for("rules_pages.rules") + f"#rule-{key}",
        ),
        render=lambda form, status, errors: _render((key, form), errors, status),
    )


@bp.post("/rules/<key>/release")
@login_required
def release_rule(key: str):
    _require_tenant_admin()
    spec = _spec(key)
    rule_edits.release_rule(tenant_session(), current_principal(), key)
    return done(
        _(
            "Quy định “%(label)s” sẽ theo tệp cấu hình của tỉnh từ lần áp dụng tới.",
            label=spec.label or spec.key,
        ),
        url_for("rules_pages.rules") + f"#rule-{key}",
    )
