"""The case page and the workflow actions posted from it (each action its own small form)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from giamsat.cases import deadlines, operations, panels, protection, queries, workflow
from giamsat.cases.forms import (
    ARCHIVE_ART25_REASON,
    ArchiveForm,
    AssignForm,
    CaseTextForm,
    CloseForm,
    DepartmentForm,
    ForwardForm,
    HandleForm,
    NoteForm,
    PublicAnswerForm,
    ReasonForm,
    RespondForm,
    TagsForm,
)
from giamsat.cases.labels import OUTCOME_LABELS, RECIPIENT_LABELS, REPORTER_MODE_LABELS
from giamsat.cases.models import Case, CaseStatus, ReporterMode
from giamsat.cases.views import bp
from giamsat.cases.views.common import (
    can_handle,
    category_groups,
    category_list,
    days_late,
    get_case,
    require_handler,
    with_form_names,
)
from giamsat.cases.views.files import store_uploads, uploads
from giamsat.core import clock
from giamsat.core.errors import NotFound
from giamsat.http.pages import FORM_ERRORS, done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units.department_pages import department_choices
from giamsat.units.pickers import picker_label, picker_order
from giamsat.units.queries import list_children


def _department_choices(case: Case) -> list[SelectChoice]:
    return department_choices(
        tenant_session(), current_principal(), case.unit_id, case.department_id
    )


def _action_forms(case: Case) -> dict:
    """The forms of the actions this case's status allows (empty for readers)."""
    if not can_handle(case):
        return {}
    names = list(workflow.allowed_actions(case.status))
    if case.unit.parent_id is None and "escalate" in names:
        names.remove("escalate")
    children = list_children(tenant_session(), case.unit, residential=False)
    if not children and "assign" in names:
        names.remove("assign")
    if "extend" in names and not deadlines.can_extend(tenant_session(), case):
        names.remove("extend")
    forms = {}
    for name in names:
        form = ACTIONS[name].form(prefix=name, formdata=None)
        if name == "assign":
            form.unit_id.choices = [
                SelectChoice(str(u.id), picker_label(u)) for u in picker_order(children)
            ]
        elif name == "forward":
            form.is_complex.data = case.is_complex
        elif name == "archive" and case.reporter_mode == ReporterMode.anonymous:
            form.reason.data = str(ARCHIVE_ART25_REASON)
        forms[name] = form
    choices = _department_choices(case)
    if len(choices) > 1:
        form = DepartmentForm(prefix="department", formdata=None, department_id=case.department_id)
        form.department_id.choices = choices
        forms["department"] = form
    if case.status != CaseStatus.transferred:
        forms["public_answer"] = PublicAnswerForm(
            prefix="public_answer", formdata=None, public_answer=case.public_answer or ""
        )
    if case.status in workflow.EDITABLE:
        forms["edit"] = CaseTextForm(
            prefix="edit",
            formdata=None,
            kind=case.kind.value,
            title=case.title,
            content=case.content,
            concerned=case.concerned,
        )
        tags = TagsForm(prefix="tags", formdata=None)
        tags.tags.data = [t.code for t in case.tags]
        forms["tags"] = tags
    return forms


def _render_case(case: Case, *, forms=None, errors=None, status=200):
    session = tenant_session()
    forms = {**_action_forms(case), **(forms or {})}
    today = clock.today()
    may_reveal = protection.can_reveal(current_principal(), case)
    has_identity = protection.has_identity(session, case.id)
    return render_template(
        "cases/case.html",
        case=case,
        forms=forms,
        errors=errors or {},
        history=queries.case_history(session, case),
        attachments=queries.list_attachments(session, case),
        linked=queries.linked_status(session, case),
        related=queries.related_cases(session, case, current_principal(), limit=5),
        panels=panels.panels_for(case),
        origin=queries.origin_summary(session, case, current_principal()),
        late=days_late(case, today),
        today=today,
        can_reveal=may_reveal and has_identity,
        reveal_hint=has_identity and not may_reveal,
        handle_hint=not can_handle(case),
        tag_groups=category_groups(category_list()),
        recipient_labels=RECIPIENT_LABELS,
        outcome_labels=OUTCOME_LABELS,
        mode_labels=REPORTER_MODE_LABELS,
        archive_suggestion=ARCHIVE_ART25_REASON,
    ), status


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int):
    return _render_case(get_case(case_id))


# --- the actions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Action:
    form: type
    #: Calls the operation with the case's id and the form's values.
    run: Callable
    #: The flash message after it, from the case as it is then.
    done: Callable


def _text(field) -> str:
    return (field.data or "").strip()


def _ops(name: str, case: Case, *args, **kw):
    return getattr(operations, name)(tenant_session(), current_principal(), case.id, *args, **kw)


def _forward(case, form):
    return _ops(
        "forward_case",
        case,
        recipient_kind=form.recipient_kind.data,
        recipient_name=_text(form.recipient_name),
        forwarded_on=form.forwarded_on.data,
        accepted_on=form.accepted_on.data,
        is_complex=bool(form.is_complex.data),
    )


def _respond(case, form):
    result = _ops(
        "record_response",
        case,
        outcome=form.outcome.data,
        text=_text(form.text),
        responded_on=form.responded_on.data,
    )
    store_uploads(case, uploads(form.documents), "response")
    return result


ACTIONS = {
    "verify": _Action(
        NoteForm,
        lambda c, f: _ops("start_verification", c),
        lambda c: _("Đã chuyển hồ sơ sang bước xác minh, phân loại."),
    ),
    "forward": _Action(
        ForwardForm,
        _forward,
        lambda c: _(
            "Đã chuyển hồ sơ tới %(name)s. Hạn trả lời: %(day)s.",
            name=c.recipient_name,
            day=c.due_on.strftime("%d/%m/%Y") if c.due_on else "",
        ),
    ),
    "handle": _Action(
        HandleForm,
        lambda c, f: _ops("handle_case", c, note=_text(f.note)),
        lambda c: _("Đã ghi nhận Ủy ban MTTQ tự giải quyết hồ sơ."),
    ),
    "archive": _Action(
        ArchiveForm,
        lambda c, f: _ops("archive_case", c, reason=_text(f.reason)),
        lambda c: _("Đã lưu hồ sơ kèm lý do."),
    ),
    "respond": _Action(
        RespondForm, _respond, lambda c: _("Đã ghi nhận trả lời của cơ quan có thẩm quyền.")
    ),
    "extend": _Action(
        ReasonForm,
        lambda c, f: _ops("extend_deadline", c, reason=_text(f.reason)),
        lambda c: _(
            "Đã ghi nhận gia hạn. Hạn trả lời mới: %(day)s.",
            day=c.due_on.strftime("%d/%m/%Y") if c.due_on else "",
        ),
    ),
    "close": _Action(
        CloseForm,
        lambda c, f: _ops("close_case", c, note=_text(f.note)),
        lambda c: _("Đã kết thúc hồ sơ."),
    ),
    "reopen": _Action(
        ReasonForm,
        lambda c, f: _ops("reopen_case", c, reason=_text(f.reason)),
        lambda c: _("Đã mở lại hồ sơ để xác minh tiếp."),
    ),
    "escalate": _Action(
        ReasonForm,
        lambda c, f: _ops("escalate_case", c, reason=_text(f.reason)),
        lambda c: _("Đã chuyển hồ sơ lên đơn vị cấp trên."),
    ),
    "assign": _Action(
        AssignForm,
        lambda c, f: _ops("assign_case", c, unit_id=f.unit_id.data, reason=_text(f.reason)),
        lambda c: _("Đã giao hồ sơ cho đơn vị cấp dưới."),
    ),
    "department": _Action(
        DepartmentForm,
        lambda c, f: _ops("set_department", c, f.department_id.data),
        lambda c: _("Đã lưu ban phụ trách hồ sơ."),
    ),
    "public_answer": _Action(
        PublicAnswerForm,
        lambda c, f: _ops("set_public_answer", c, _text(f.public_answer)),
        lambda c: _("Đã lưu trả lời công khai cho người gửi."),
    ),
    "edit": _Action(
        CaseTextForm,
        lambda c, f: _ops(
            "update_case",
            c,
            kind=f.kind.data,
            title=_text(f.title),
            content=_text(f.content),
            concerned=_text(f.concerned),
        ),
        lambda c: _("Đã sửa nội dung hồ sơ."),
    ),
    "tags": _Action(
        TagsForm,
        lambda c, f: _ops("set_tags", c, tuple(f.tags.data or ())),
        lambda c: _("Đã lưu phân loại của hồ sơ."),
    ),
}


@bp.post("/<int:case_id>/<action>")
@login_required
def act(case_id: int, action: str):
    """One step of the handling workflow, posted from the case page."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(_("Không có thao tác này."))
    case = get_case(case_id)
    require_handler(case)
    form = spec.form(prefix=action)
    if action == "assign":
        form.unit_id.choices = [
            SelectChoice(str(u.id), picker_label(u))
            for u in picker_order(list_children(tenant_session(), case.unit, residential=False))
        ]
    elif action == "department":
        form.department_id.choices = _department_choices(case)

    def run():
        try:
            return spec.run(case, form)
        except FORM_ERRORS:
            # Nothing of a refused step stays; the page shows the case as it was.
            tenant_session().rollback()
            raise

    def finish(_result):
        tenant_session().refresh(case)
        return done(spec.done(case), url_for("cases_pages.show", case_id=case.id))

    # The whole case page comes back, with the errors at the action that was posted.
    return form_page(
        form,
        "cases/case.html",
        run=with_form_names(form, run),
        then=finish,
        render=lambda form, status, errors: _render_case(
            get_case(case_id), forms={action: form}, errors={action: errors}, status=status
        ),
    )
