"""Staff pages of cases: the unit's queue, intake, the case page with its actions, the reveal of
a reporter's identity, the XLSX export and the classification catalogue."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import (
    Blueprint, Response, current_app, flash, g, make_response, redirect, render_template, request,
    stream_with_context, url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from giamsat.cases import catalogue, exports, operations, protection, queries, workflow
from giamsat.cases.forms import (
    ARCHIVE_ART25_REASON, CHANNEL_LABELS, KIND_LABELS, OUTCOME_LABELS, RECIPIENT_LABELS,
    REPORTER_MODE_HELP, REPORTER_MODE_LABELS, STATUS_LABELS, ArchiveForm, AssignForm,
    CaseTextForm, CategoryForm, ForwardForm, HandleForm, IntakeForm, NoteForm, PublicAnswerForm,
    QueueFilterForm, ReasonForm, RespondForm, RevealForm, TagsForm,
)
from giamsat.cases.models import (
    Case, CaseAttachment, CaseKind, CaseStatus, Channel, ClassificationCategory, ReporterMode,
)
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.core.storage import storage_for
from giamsat.core.workdays import NATIONAL
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, list_children, list_organizations
from giamsat.http.session import current_principal, login_required

bp = Blueprint("cases_pages", __name__, url_prefix="/t/<tenant>/cases",
               template_folder="templates", static_folder="static")

#: Roles that record and handle cases; `readonly` only reads.
HANDLERS = workflow.CASE_HANDLERS
#: Errors an operation raises about the input or the case's state: shown on the form, nothing saved.
FORM_ERRORS = (ValidationFailed, Conflict)
PAGE_SIZE = 25

#: The operations' field names → the page forms' field names, where they differ.
FIELD_ALIASES = {"tag_codes": "tags", "reporter": "reporter_name", "reporter.name": "reporter_name",
                 "reporter.contact": "reporter_contact", "reporter.address": "reporter_address",
                 "name": "reporter_name",
                 "contact": "reporter_contact", "address": "reporter_address",
                 "stream": "attachments", "file": "attachments", "unit": "unit_id"}



def _session():
    return g.tenant.session


def _settings():
    return current_app.config["GIAMSAT"]


# --- template helpers ----------------------------------------------------------------------

@bp.app_template_filter("case_status")
def _status_label(value) -> str:
    return str(STATUS_LABELS.get(CaseStatus(value), value)) if value else ""


@bp.app_template_filter("case_kind")
def _kind_label(value) -> str:
    return str(KIND_LABELS.get(CaseKind(value), value)) if value else ""


@bp.app_template_filter("case_channel")
def _channel_label(value) -> str:
    return str(CHANNEL_LABELS.get(Channel(value), value)) if value else ""


@bp.app_template_global("masked_reporter")
def _masked_reporter(case) -> str:
    return protection.masked_reporter(case)


def days_late(case: Case, today: dt.date | None = None) -> int:
    """Working days past the due date of an answer still awaited (0 if not overdue)."""
    today = today or dt.date.today()
    if not queries.is_overdue(case, today=today):
        return 0
    return max(NATIONAL.working_days_between(case.due_on, today), 1)


def _can_handle(case_or_unit) -> bool:
    unit = case_or_unit.unit if isinstance(case_or_unit, Case) else case_or_unit
    return current_principal().has_role_over(unit.path, HANDLERS)


def _require_handler(case_or_unit) -> None:
    # The operations check this again; here it keeps readers from seeing or posting forms.
    if not _can_handle(case_or_unit):
        raise Forbidden(_("Tài khoản của bạn chỉ được xem hồ sơ, không được thay đổi."))


def _home_units() -> list[Unit]:
    ids = {grant.unit_id for grant in current_principal().grants}
    if not ids:
        return []
    units = _session().scalars(select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda u: (u.path.count("/"), u.name))


def _categories(active_only: bool = True) -> list[ClassificationCategory]:
    return list(queries.list_categories(_session(), active_only=active_only))


def _category_groups(categories) -> list[tuple[str, list[ClassificationCategory]]]:
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(category.group_label, []).append(category)
    return list(groups.items())


def _apply_error(form, error) -> list[str]:
    """Like PageForm.apply_domain_error, with the operations' field names translated."""
    if error.errors:
        renamed = {}
        for name, messages in error.errors.items():
            alias = FIELD_ALIASES.get(name, name)
            renamed.setdefault(alias if alias in form._fields else name, []).extend(messages)
        error.errors = renamed
    return form.apply_domain_error(error)


# --- the queue -----------------------------------------------------------------------------

def _filters(form: QueueFilterForm) -> dict:
    return {
        "status": form.status.data or None, "kind": form.kind.data or None,
        "channel": form.channel.data or None, "tag": form.tag.data or None,
        "organization_id": form.organization.data, "overdue": True if form.overdue.data else None,
        "received_from": form.received_from.data, "received_to": form.received_to.data,
        "q": (form.q.data or "").strip() or None,
    }


def _filter_form() -> tuple[QueueFilterForm, list[str]]:
    form = QueueFilterForm(formdata=request.args)
    form.tag.choices = [SelectChoice("", _("Tất cả"))] + [
        SelectChoice(c.code, f"{c.code} · {c.label}") for c in _categories(active_only=False)]
    form.organization.choices = [SelectChoice("", _("Tất cả"))] + [
        SelectChoice(str(o.id), o.short_name or o.name) for o in list_organizations(_session())]
    form.validate()
    errors = [e for name in ("received_from", "received_to", "organization")
              for e in getattr(form, name).errors]
    # An invalid value is dropped, the rest of the filters still apply.
    for name in ("status", "kind", "channel"):
        allowed = {choice.value for choice in getattr(form, name).choices}
        if getattr(form, name).data not in allowed:
            getattr(form, name).data = ""
    return form, errors


def _queue_unit(homes: list[Unit]) -> Unit | None:
    chosen = request.args.get("unit", type=int)
    if chosen:
        return get_unit(_session(), chosen, current_principal())
    return None


def _queue_statement(unit: Unit | None, form: QueueFilterForm):
    return queries.case_queue_query(current_principal(), unit_id=unit.id if unit else None,
                                    **_filters(form))


@bp.get("/")
@login_required
def queue():
    """Hồ sơ tiếp nhận: the cases of the user's units (or one unit) with filters and search."""
    homes = _home_units()
    unit = _queue_unit(homes)
    form, errors = _filter_form()
    stmt = _queue_statement(unit, form)
    session = _session()
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    cases = list(session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).unique())
    today = dt.date.today()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    intake_units = [u for u in homes if _can_handle(u) and not u.level.is_residential_area]
    return render_template(
        "cases/queue.html", cases=cases, form=form, errors=errors, unit=unit, homes=homes,
        total=total, page=page, pages=pages, args=args, today=today,
        late={c.id: days_late(c, today) for c in cases}, intake_units=intake_units,
        can_edit_catalogue=current_principal().is_tenant_admin)


@bp.get("/export.xlsx")
@login_required
def export():
    """The queue with the current filters as an Excel file; reporters masked."""
    unit = _queue_unit(_home_units())
    form, _errors = _filter_form()
    stmt = _queue_statement(unit, form)
    cases = list(_session().scalars(stmt.limit(exports.MAX_ROWS)).unique())
    body = exports.queue_workbook(cases, today=dt.date.today(), late=days_late)
    response = make_response(body)
    response.mimetype = exports.XLSX_MIMETYPE
    stamp = dt.date.today().strftime("%Y%m%d")
    response.headers["Content-Disposition"] = f'attachment; filename="ho-so-{stamp}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- intake --------------------------------------------------------------------------------

def _intake_unit() -> Unit:
    chosen = request.args.get("unit", type=int)
    if chosen:
        unit = get_unit(_session(), chosen, current_principal())
    else:
        units = [u for u in _home_units() if _can_handle(u)]
        if not units:
            raise Forbidden(_("Tài khoản của bạn chỉ được xem hồ sơ, không được thay đổi."))
        unit = units[0]
    if unit.level.is_residential_area:
        raise NotFound(_("Khu dân cư không có sổ tiếp nhận riêng; hãy tiếp nhận ở xã, phường."))
    _require_handler(unit)
    return unit


def _fill_intake_choices(form: IntakeForm, unit: Unit) -> None:
    form.organization_id.choices = [SelectChoice("", _("Ủy ban MTTQ"))] + [
        SelectChoice(str(o.id), o.name) for o in list_organizations(_session())]
    areas = list_children(_session(), unit, residential=True) \
        if unit.level.holds_residential_areas else []
    form.area_id.choices = [SelectChoice("", _("Không rõ hoặc không thuộc khu dân cư nào"))] + [
        SelectChoice(str(a.id), a.name) for a in areas]


def _uploads(field) -> list:
    return [f for f in (field.data or []) if getattr(f, "filename", "")]


def _store_uploads(case: Case, files, purpose: str) -> list[CaseAttachment]:
    stored = []
    try:
        for upload in files:
            stored.append(operations.add_attachment(
                _session(), current_principal(), case.id, stream=upload.stream,
                filename=upload.filename, content_type=upload.mimetype or "",
                purpose=purpose, request_id=g.request_id))
    except Exception:
        # The rows go with the rollback; the objects already written would not.
        _discard_objects(stored)
        raise
    return stored


def _discard_objects(stored: list[CaseAttachment]) -> None:
    if not stored:
        return
    storage = storage_for(g.tenant, _settings())
    for attachment in stored:
        try:
            storage.delete(attachment.object_key)
        except Exception:  # noqa: BLE001 — best effort; the original error matters more
            current_app.logger.warning("could not remove object of a failed upload")


def _render_intake(form, unit, status=200, errors=()):
    return render_template(
        "cases/intake.html", form=form, unit=unit, errors=list(errors),
        groups=_category_groups(_categories()), chosen_tags=set(form.tags.data or []),
        mode_labels=REPORTER_MODE_LABELS, mode_help=REPORTER_MODE_HELP), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def intake():
    """Tiếp nhận thông tin: record one piece of information received by the unit."""
    unit = _intake_unit()
    form = IntakeForm()
    _fill_intake_choices(form, unit)
    if not form.is_submitted():
        return _render_intake(form, unit)
    if not form.validate():
        return _render_intake(form, unit, 422)
    reporter = None
    mode = form.reporter_mode.data or ReporterMode.anonymous.value
    values = {"name": (form.reporter_name.data or "").strip(),
              "contact": (form.reporter_contact.data or "").strip(),
              "address": (form.reporter_address.data or "").strip()}
    if any(values.values()):
        reporter = values
    try:
        mode = ReporterMode(mode)
        case = operations.receive_case(
            _session(), current_principal(), unit_id=unit.id,
            received_on=form.received_on.data or dt.date.today(),
            channel=form.channel.data, kind=form.kind.data, title=form.title.data or "",
            content=form.content.data or "", concerned=form.concerned.data or "",
            organization_id=form.organization_id.data, area_id=form.area_id.data,
            tag_codes=tuple(form.tags.data or ()), is_complex=bool(form.is_complex.data),
            reporter_mode=mode, reporter=reporter, request_id=g.request_id)
        _store_uploads(case, _uploads(form.attachments), "intake")
    except ValueError:
        form.reporter_mode.errors = [_("Hãy chọn một cách ghi danh tính trong danh sách.")]
        return _render_intake(form, unit, 422)
    except FORM_ERRORS as error:
        errors = _apply_error(form, error)
        return _render_intake(form, unit, error.status, errors)
    flash(_("Đã tiếp nhận hồ sơ số %(number)s.", number=case.number), "success")
    return redirect(url_for("cases_pages.show", case_id=case.id))


# --- the case page and its actions -----------------------------------------------------------

def _action_forms(case: Case) -> dict:
    """The forms of the actions this case's status allows (empty for readers)."""
    if not _can_handle(case):
        return {}
    names = list(workflow.allowed_actions(case.status))
    if case.unit.parent_id is None and "escalate" in names:
        names.remove("escalate")
    children = list_children(_session(), case.unit, residential=False)
    if not children and "assign" in names:
        names.remove("assign")
    forms = {}
    for name in names:
        form = ACTIONS[name].form(prefix=name, formdata=None)
        if name == "assign":
            form.unit_id.choices = [SelectChoice(str(u.id), u.name) for u in children]
        elif name == "forward":
            form.is_complex.data = case.is_complex
        elif name == "archive" and case.reporter_mode == ReporterMode.anonymous:
            form.reason.data = str(ARCHIVE_ART25_REASON)
        forms[name] = form
    if case.status != CaseStatus.transferred:
        forms["public_answer"] = PublicAnswerForm(prefix="public_answer", formdata=None,
                                                  public_answer=case.public_answer or "")
    if case.status in workflow.EDITABLE:
        forms["edit"] = CaseTextForm(prefix="edit", formdata=None, kind=case.kind.value,
                                     title=case.title, content=case.content,
                                     concerned=case.concerned)
        tags = TagsForm(prefix="tags", formdata=None)
        tags.tags.data = [t.code for t in case.tags]
        forms["tags"] = tags
    return forms


def _render_case(case: Case, *, forms=None, errors=None, status=200):
    session = _session()
    forms = {**_action_forms(case), **(forms or {})}
    today = dt.date.today()
    return render_template(
        "cases/case.html", case=case, forms=forms, errors=errors or {},
        history=queries.case_history(session, case),
        attachments=queries.list_attachments(session, case),
        linked=queries.linked_status(session, case),
        related=queries.related_cases(session, case, current_principal(), limit=5),
        origin=queries.origin_summary(session, case, current_principal()),
        late=days_late(case, today), today=today,
        can_reveal=protection.can_reveal(current_principal(), case)
        and protection.has_identity(session, case.id),
        tag_groups=_category_groups(_categories()), recipient_labels=RECIPIENT_LABELS,
        outcome_labels=OUTCOME_LABELS, mode_labels=REPORTER_MODE_LABELS,
        archive_suggestion=ARCHIVE_ART25_REASON), status


def _get_case(case_id: int) -> Case:
    return queries.get_case(_session(), case_id, current_principal())


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int):
    return _render_case(_get_case(case_id))


class _Action:
    def __init__(self, form, run, done):
        self.form, self.run, self.done = form, run, done


def _ops_call(name):
    return lambda case, form, *args, **kw: getattr(operations, name)(
        _session(), current_principal(), case.id, *args, request_id=g.request_id, **kw)


def _forward(case, form):
    return _ops_call("forward_case")(
        case, form, recipient_kind=form.recipient_kind.data,
        recipient_name=(form.recipient_name.data or "").strip(),
        forwarded_on=form.forwarded_on.data, is_complex=bool(form.is_complex.data))


def _respond(case, form):
    result = _ops_call("record_response")(
        case, form, outcome=form.outcome.data, text=(form.text.data or "").strip(),
        responded_on=form.responded_on.data)
    _store_uploads(case, _uploads(form.documents), "response")
    return result


ACTIONS = {
    "verify": _Action(NoteForm, lambda c, f: _ops_call("start_verification")(c, f),
                      lambda c: _("Đã chuyển hồ sơ sang bước xác minh, phân loại.")),
    "forward": _Action(ForwardForm, _forward,
                       lambda c: _("Đã chuyển hồ sơ tới %(name)s. Hạn trả lời: %(day)s.",
                                   name=c.recipient_name,
                                   day=c.due_on.strftime("%d/%m/%Y") if c.due_on else "")),
    "handle": _Action(HandleForm,
                      lambda c, f: _ops_call("handle_case")(c, f, note=(f.note.data or "").strip()),
                      lambda c: _("Đã ghi nhận Ủy ban MTTQ tự giải quyết hồ sơ.")),
    "archive": _Action(ArchiveForm, lambda c, f: _ops_call("archive_case")(
        c, f, reason=(f.reason.data or "").strip()),
        lambda c: _("Đã lưu hồ sơ kèm lý do.")),
    "respond": _Action(RespondForm, _respond,
                       lambda c: _("Đã ghi nhận trả lời của cơ quan có thẩm quyền.")),
    "close": _Action(NoteForm, lambda c, f: _ops_call("close_case")(
        c, f, note=(f.note.data or "").strip()),
        lambda c: _("Đã kết thúc hồ sơ.")),
    "reopen": _Action(ReasonForm, lambda c, f: _ops_call("reopen_case")(
        c, f, reason=(f.reason.data or "").strip()),
        lambda c: _("Đã mở lại hồ sơ để xác minh tiếp.")),
    "escalate": _Action(ReasonForm, lambda c, f: _ops_call("escalate_case")(
        c, f, reason=(f.reason.data or "").strip()),
        lambda c: _("Đã chuyển hồ sơ lên đơn vị cấp trên.")),
    "assign": _Action(AssignForm, lambda c, f: _ops_call("assign_case")(
        c, f, unit_id=f.unit_id.data, reason=(f.reason.data or "").strip()),
        lambda c: _("Đã giao hồ sơ cho đơn vị cấp dưới.")),
    "public_answer": _Action(PublicAnswerForm, lambda c, f: _ops_call("set_public_answer")(
        c, f, (f.public_answer.data or "").strip()),
        lambda c: _("Đã lưu trả lời công khai cho người gửi.")),
    "edit": _Action(CaseTextForm, lambda c, f: _ops_call("update_case")(
        c, f, kind=f.kind.data, title=(f.title.data or "").strip(),
        content=(f.content.data or "").strip(), concerned=(f.concerned.data or "").strip()),
        lambda c: _("Đã sửa nội dung hồ sơ.")),
    "tags": _Action(TagsForm, lambda c, f: _ops_call("set_tags")(c, f, tuple(f.tags.data or ())),
                    lambda c: _("Đã lưu phân loại của hồ sơ.")),
}


@bp.post("/<int:case_id>/<action>")
@login_required
def act(case_id: int, action: str):
    """One step of the handling workflow, posted from the case page."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(_("Không có thao tác này."))
    case = _get_case(case_id)
    _require_handler(case)
    form = spec.form(prefix=action)
    if action == "assign":
        form.unit_id.choices = [SelectChoice(str(u.id), u.name)
                                for u in list_children(_session(), case.unit, residential=False)]
    if not form.validate():
        return _render_case(case, forms={action: form}, status=422)
    try:
        spec.run(case, form)
    except FORM_ERRORS as error:
        loose = _apply_error(form, error)
        _session().rollback()
        case = _get_case(case_id)
        return _render_case(case, forms={action: form}, errors={action: loose},
                            status=error.status)
    _session().refresh(case)
    flash(spec.done(case), "success")
    return redirect(url_for("cases_pages.show", case_id=case.id))


@bp.get("/<int:case_id>/attachments/<int:attachment_id>")
@login_required
def download(case_id: int, attachment_id: int):
    """A file of the case, streamed through the app (the bucket is never exposed)."""
    case = _get_case(case_id)
    attachment = queries.get_attachment(_session(), case, attachment_id)
    reader = storage_for(g.tenant, _settings()).open(attachment.object_key)

    def chunks():
        with reader:
            yield from reader

    response = Response(stream_with_context(chunks()), mimetype=attachment.content_type)
    ascii_name = attachment.original_name.encode("ascii", "ignore").decode() or "tep-dinh-kem"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(attachment.original_name)}")
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- reporter identity ----------------------------------------------------------------------

def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.route("/<int:case_id>/reveal", methods=["GET", "POST"])
@login_required
def reveal(case_id: int):
    """Xem danh tính người gửi: leaders only, with a stated reason that goes to the audit log."""
    case = _get_case(case_id)
    if not protection.can_reveal(current_principal(), case):
        raise Forbidden(_("Chỉ lãnh đạo Ủy ban MTTQ được xem danh tính người gửi."))
    if not protection.has_identity(_session(), case.id):
        raise NotFound(_("Hồ sơ này không có thông tin người gửi."))
    form = RevealForm()
    status, errors = 200, []
    if form.is_submitted():
        try:
            identity = protection.reveal_identity(
                _session(), current_principal(), case, reason=(form.reason.data or "").strip(),
                request_id=g.request_id)
        except FORM_ERRORS as error:
            errors, status = form.apply_domain_error(error), error.status
        else:
            page = render_template("cases/revealed.html", case=case, identity=identity)
            return _no_store(make_response(page))
    page = render_template("cases/reveal.html", case=case, form=form, errors=errors)
    return _no_store(make_response(page, status))


# --- the classification catalogue -----------------------------------------------------------

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
    for category in _categories(active_only=False):
        if bad and bad[0] == category.id:
            form = bad[1]
        else:
            form = CategoryForm(prefix=f"c{category.id}", formdata=None, obj=category)
        rows.append((category, form))
    groups: dict[str, list] = {}
    for category, form in rows:
        groups.setdefault(category.group_label, []).append((category, form))
    return render_template("cases/categories.html", groups=list(groups.items()),
                           errors=list(errors), bad_id=bad[0] if bad else None), status


@bp.post("/categories/<int:category_id>")
@login_required
def edit_category(category_id: int):
    _require_tenant_admin()
    form = CategoryForm(prefix=f"c{category_id}")
    try:
        category = catalogue.update_category(
            _session(), current_principal(), category_id, label=form.label.data or "",
            is_active=bool(form.is_active.data), request_id=g.request_id)
    except FORM_ERRORS as error:
        errors = form.apply_domain_error(error)
        _session().rollback()
        return _render_categories((category_id, form), errors, error.status)
    flash(_("Đã lưu mục phân loại %(code)s.", code=category.code), "success")
    return redirect(url_for("cases_pages.categories") + f"#c{category.id}")
