"""Pages of the supervision register: people, assignments, plans, activities, recommendations,
dialogues. Thin handlers over `supervision.operations` and `supervision.queries`."""
from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass

from flask import (
    Blueprint, current_app, flash, g, redirect, render_template, request, send_file, url_for,
)
from flask import session as flask_session
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from giamsat.core.errors import Conflict, Forbidden, ValidationFailed
from giamsat.core.storage import StorageError, new_key, storage_for
from giamsat.core.workdays import NATIONAL
from giamsat.supervision import forms as f
from giamsat.supervision import labels
from giamsat.supervision import operations, queries, xlsx
from giamsat.supervision.models import (
    ActivityKind,
    ManagementLevel,
    PersonTier,
    Place,
    RecommendationStatus,
)
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.queries import list_organizations, visible_units_clause
from giamsat.http.session import current_principal, login_required

bp = Blueprint("supervision_pages", __name__, url_prefix="/t/<tenant>/supervision",
               template_folder="templates")

#: Errors an operation raises about the input: shown next to the form, nothing saved.
FORM_ERRORS = (ValidationFailed, Conflict)
PAGE_SIZE = 25


def _session():
    return g.tenant.session


def _today() -> dt.date:
    return dt.date.today()


# --- who may write, and where -----------------------------------------------------------------

def _can_write(unit_id: int) -> bool:
    unit = _session().get(Unit, unit_id)
    return unit is not None and current_principal().has_role_over(unit.path, operations.WRITERS)


def _front_units_query():
    """Current units that keep a register (not residential areas) the user may see."""
    return (select(Unit).join(Unit.level)
            .where(visible_units_clause(current_principal()), Unit.valid_to.is_(None),
                   UnitLevel.is_residential_area.is_(False))
            .order_by(Unit.path))


def _visible_units() -> list[Unit]:
    return list(_session().scalars(_front_units_query()))


def _writable_units() -> list[Unit]:
    """Units where the user may record supervision work; readonly users have none."""
    principal = current_principal()
    return [u for u in _visible_units() if principal.has_role_over(u.path, operations.WRITERS)]


def _require_some_writable_unit() -> list[Unit]:
    units = _writable_units()
    if not units:
        raise Forbidden(_("Tài khoản của bạn chỉ được xem sổ giám sát, không được thêm hay sửa."))
    return units


def _require_writer_of(obj) -> None:
    # The operations check again on POST; this keeps the form itself from showing.
    if not _can_write(obj.unit_id):
        raise Forbidden(_("Tài khoản của bạn chỉ được xem sổ giám sát, không được thêm hay sửa."))


def _choice(value, label) -> SelectChoice:
    return SelectChoice("" if value is None else str(value), label)


def _unit_choices(units: list[Unit]) -> list[SelectChoice]:
    return [_choice(u.id, u.name) for u in units]


def _organization_choices() -> list[tuple[str, str]]:
    return [_choice(o.id, o.name) for o in list_organizations(_session())]


def _area_choices() -> list[tuple[str, str]]:
    areas = _session().scalars(
        select(Unit).join(Unit.level)
        .where(visible_units_clause(current_principal()), Unit.valid_to.is_(None),
               UnitLevel.is_residential_area.is_(True))
        .order_by(Unit.name))
    return [_choice(None, _("Không chọn"))] + [_choice(a.id, a.name) for a in areas]


def _default_unit(form_field, units: list[Unit]) -> None:
    if form_field.data is None and units:
        form_field.data = request.args.get("unit", type=int) or units[0].id


# --- lists: filters and pagination --------------------------------------------------------------

def _enum_arg(cls, name: str):
    value = request.args.get(name, "")
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def _unit_arg() -> int | None:
    """The unit filter of a list, only if the user sees that unit (otherwise: all they see)."""
    unit_id = request.args.get("unit", type=int)
    if unit_id is None:
        return None
    visible = _session().scalar(select(Unit.id).where(
        Unit.id == unit_id, visible_units_clause(current_principal())))
    return visible


@dataclass
class Pagination:
    items: list
    page: int
    pages: int
    total: int

    def url(self, page: int) -> str:
        args = request.args.to_dict() | {"page": page}
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def _paginate(stmt) -> Pagination:
    session = _session()
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    items = list(session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return Pagination(items, page, pages, total)


# --- shared form handling ---------------------------------------------------------------------

def _form_page(form, *, heading: str, fields: list[str], action: str, cancel: str,
               submit: str | None = None, intro: str | None = None, errors=(), status=None,
               multipart: bool = False):
    if status is None:
        status = 422 if form.is_submitted() else 200
    return render_template(
        "supervision/form.html", form=form, heading=heading, fields=fields, action=action,
        cancel=cancel, submit=submit or _("Lưu"), intro=intro, errors=list(errors),
        multipart=multipart), status


def _values(form, names: list[str]) -> dict:
    return {name: form[name].data for name in names}


@bp.app_template_filter("working_days_late")
def working_days_late(due_on: dt.date) -> int:
    """Working days past the due date, as of today (the figure staff chase answers by)."""
    return NATIONAL.working_days_between(due_on, _today())


@bp.context_processor
def _supervision_labels():
    return {"sv": labels, "sv_today": _today}


# --- the register of people (đối tượng giám sát) ------------------------------------------------

@bp.get("/")
@login_required
def index():
    return redirect(url_for("supervision_pages.people"))


def _people_filters() -> dict:
    return dict(
        unit_id=_unit_arg(), tier=_enum_arg(PersonTier, "tier"),
        management_level=_enum_arg(ManagementLevel, "management_level"),
        place=_enum_arg(Place, "place"), q=request.args.get("q", "").strip() or None,
        include_inactive=request.args.get("inactive") == "1")


@bp.get("/people")
@login_required
def people():
    """The register with filters (tier, management level, place, text) and pages."""
    filters = _people_filters()
    page = _paginate(queries.list_people_query(_session(), current_principal(), **filters))
    return render_template("supervision/people.html", page=page, filters=filters,
                           units=_visible_units(), can_write=bool(_writable_units()))


_PERSON_FIELDS = ["full_name", "birth_year", "position", "tier", "management_level",
                  "workplace_agency", "workplace_unit", "residence_area_id", "residence",
                  "is_party_member", "notes"]


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def create_person():
    units = _require_some_writable_unit()
    form = f.PersonForm()
    form.unit_id.choices = _unit_choices(units)
    form.residence_area_id.choices = _area_choices()
    _default_unit(form.unit_id, units)
    page = dict(heading=_("Thêm người vào danh sách giám sát"),
                fields=["unit_id"] + _PERSON_FIELDS,
                action=url_for("supervision_pages.create_person"),
                cancel=url_for("supervision_pages.people"))
    if form.validate_on_submit():
        values = _values(form, _PERSON_FIELDS)
        try:
            person = operations.create_person(_session(), current_principal(),
                                              unit_id=form.unit_id.data,
                                              **values)
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã thêm “%(name)s” vào danh sách giám sát.", name=person.full_name), "success")
        return redirect(url_for("supervision_pages.person", person_id=person.id))
    return _form_page(form, **page)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(person_id: int):
    person = queries.get_person(_session(), person_id, current_principal())
    _require_writer_of(person)
    form = f.EditPersonForm(obj=person)
    del form.unit_id
    if not form.is_submitted():
        form.tier.data = person.tier.value
        form.management_level.data = person.management_level.value
    form.residence_area_id.choices = _area_choices()
    names = _PERSON_FIELDS + ["is_active"]
    page = dict(heading=_("Sửa thông tin “%(name)s”", name=person.full_name), fields=names,
                action=url_for("supervision_pages.edit_person", person_id=person.id),
                cancel=url_for("supervision_pages.person", person_id=person.id))
    if form.validate_on_submit():
        try:
            operations.update_person(_session(), current_principal(), person.id,
                                     **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã lưu thông tin “%(name)s”.", name=person.full_name), "success")
        return redirect(url_for("supervision_pages.person", person_id=person.id))
    return _form_page(form, **page)


@bp.get("/people/<int:person_id>")
@login_required
def person(person_id: int):
    """Everything about one person; cases show number, title and status, never who reported."""
    overview = queries.person_overview(_session(), person_id, current_principal())
    return render_template("supervision/person.html", o=overview, p=overview.person,
                           can_write=_can_write(overview.person.unit_id))


# --- XLSX import (two steps), template and export ------------------------------------------------

#: Where the checked file waits between the preview and the confirmation: the object storage
#: holds the bytes, this browser's session only the key (so nobody confirms someone else's file).
IMPORT_SESSION_KEY = "supervision_import"
IMPORT_PREFIX = "supervision-imports"


def _storage():
    return storage_for(g.tenant, current_app.config["GIAMSAT"])


def _drop_pending_import() -> None:
    pending = flask_session.pop(IMPORT_SESSION_KEY, None)
    if pending:
        try:
            _storage().delete(pending["key"])
        except StorageError:  # best effort: an orphan upload is harmless
            current_app.logger.warning("could not remove a pending import file")


def _import_page(form, *, preview=None, errors=(), status=200, unit=None):
    return render_template("supervision/import.html", form=form, preview=preview,
                           errors=list(errors), unit=unit), status


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
def import_people():
    """Step 1: upload, check every row, show the preview (nothing is written yet)."""
    units = _require_some_writable_unit()
    form = f.ImportForm()
    form.unit_id.choices = _unit_choices(units)
    _default_unit(form.unit_id, units)
    if not form.is_submitted():
        return _import_page(form)
    if not form.validate():
        return _import_page(form, status=422)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Hãy chọn tệp Excel danh sách cần nhập.")]
        return _import_page(form, status=422)
    unit_id = form.unit_id.data
    if unit_id not in {u.id for u in units}:
        raise Forbidden(_("Bạn không được nhập danh sách vào sổ của đơn vị này."))
    data = upload.stream.read(xlsx.MAX_FILE_BYTES + 1)
    try:
        preview = xlsx.preview_people_import(_session(), current_principal(), unit_id=unit_id,
                                             fileobj=io.BytesIO(data))
    except FORM_ERRORS as error:
        return _import_page(form, errors=form.apply_domain_error(error), status=error.status)
    unit = _session().get(Unit, unit_id)
    if not preview.is_valid:
        return _import_page(form, preview=preview, unit=unit, status=422)
    _drop_pending_import()
    key = new_key(IMPORT_PREFIX)
    _storage().put(key, io.BytesIO(data), len(data), content_type=xlsx.XLSX_MIMETYPE)
    flask_session[IMPORT_SESSION_KEY] = {"key": key, "unit_id": unit_id,
                                         "rows": len(preview.rows)}
    return _import_page(form, preview=preview, unit=unit)


@bp.post("/people/import/confirm")
@login_required
def confirm_import():
    """Step 2: import every row of the checked file, or none."""
    _require_some_writable_unit()
    pending = flask_session.get(IMPORT_SESSION_KEY)
    if not pending:
        flash(_("Không còn tệp nào chờ nhập. Hãy tải tệp lên lại."), "warning")
        return redirect(url_for("supervision_pages.import_people"))
    try:
        with _storage().open(pending["key"]) as reader:
            data = reader.read()
    except StorageError:
        flask_session.pop(IMPORT_SESSION_KEY, None)
        flash(_("Tệp đã tải lên không còn nữa. Hãy tải tệp lên lại."), "warning")
        return redirect(url_for("supervision_pages.import_people"))
    try:
        people = xlsx.import_people(_session(), current_principal(),
                                          unit_id=pending["unit_id"], fileobj=io.BytesIO(data))
    except FORM_ERRORS as error:
        # Someone changed the register since the preview: show why, import nothing.
        form = f.ImportForm()
        form.unit_id.choices = _unit_choices(_writable_units())
        form.unit_id.data = pending["unit_id"]
        _drop_pending_import()
        return _import_page(form, errors=[error.message] + list(error.errors.get("file", [])),
                            status=error.status)
    _drop_pending_import()
    flash(_("Đã nhập %(count)s người vào danh sách giám sát.", count=len(people)), "success")
    return redirect(url_for("supervision_pages.people", unit=pending["unit_id"]))


@bp.post("/people/import/cancel")
@login_required
def cancel_import():
    _drop_pending_import()
    flash(_("Đã hủy, không nhập người nào."), "info")
    return redirect(url_for("supervision_pages.people"))


def _xlsx_response(data: bytes, filename: str):
    return send_file(io.BytesIO(data), mimetype=xlsx.XLSX_MIMETYPE, as_attachment=True,
                     download_name=filename)


@bp.get("/people/template.xlsx")
@login_required
def import_template():
    return _xlsx_response(xlsx.template_workbook(), "mau-danh-sach-giam-sat.xlsx")


@bp.get("/people/export.xlsx")
@login_required
def export_people():
    """The register as filtered on the list page, in the import layout."""
    data = xlsx.export_people(_session(), current_principal(), **_people_filters())
    return _xlsx_response(data, f"danh-sach-giam-sat-{_today():%Y%m%d}.xlsx")


# --- assignments (phân công giám sát) ----------------------------------------------------------

@bp.route("/people/<int:person_id>/assign", methods=["GET", "POST"])
@login_required
def assign(person_id: int):
    person = queries.get_person(_session(), person_id, current_principal())
    _require_writer_of(person)
    form = f.AssignmentForm()
    form.organization_id.choices = _organization_choices()
    names = ["organization_id", "place", "valid_from", "note"]
    page = dict(heading=_("Phân công giám sát “%(name)s”", name=person.full_name), fields=names,
                intro=_("Chọn tổ chức của %(unit)s sẽ giám sát người này, ở nơi công tác hay "
                        "nơi cư trú.", unit=person.unit.name),
                action=url_for("supervision_pages.assign", person_id=person.id),
                cancel=url_for("supervision_pages.person", person_id=person.id))
    if form.validate_on_submit():
        try:
            operations.assign_person(_session(), current_principal(), person_id=person.id,
                                     **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã phân công giám sát “%(name)s”.", name=person.full_name), "success")
        return redirect(url_for("supervision_pages.person", person_id=person.id))
    return _form_page(form, **page)


@bp.route("/assignments/<int:assignment_id>/end", methods=["GET", "POST"])
@login_required
def end_assignment(assignment_id: int):
    assignment = queries.get_assignment(_session(), assignment_id, current_principal())
    _require_writer_of(assignment)
    person = assignment.person
    form = f.EndAssignmentForm()
    names = ["valid_to", "note"]
    page = dict(heading=_("Kết thúc phân công: %(org)s giám sát “%(name)s”",
                          org=assignment.organization.short_name, name=person.full_name),
                intro=_("Phân công đã kết thúc vẫn được giữ trong lịch sử."), fields=names,
                action=url_for("supervision_pages.end_assignment", assignment_id=assignment.id),
                cancel=url_for("supervision_pages.person", person_id=person.id))
    if form.validate_on_submit():
        try:
            operations.end_assignment(_session(), current_principal(), assignment.id,
                                      valid_to=form.valid_to.data,
                                      note=form.note.data or None)
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã kết thúc phân công giám sát “%(name)s”.", name=person.full_name), "success")
        return redirect(url_for("supervision_pages.person", person_id=person.id))
    return _form_page(form, **page)


# --- plans (kế hoạch giám sát) -----------------------------------------------------------------

@bp.get("/plans")
@login_required
def plans():
    filters = dict(unit_id=_unit_arg(), year=request.args.get("year", type=int))
    page = _paginate(queries.list_plans_query(_session(), current_principal(), **filters))
    return render_template("supervision/plans.html", page=page, filters=filters,
                           units=_visible_units(), can_write=bool(_writable_units()))


@bp.route("/plans/new", methods=["GET", "POST"])
@login_required
def create_plan():
    units = _require_some_writable_unit()
    form = f.PlanForm()
    form.unit_id.choices = _unit_choices(units)
    form.organization_id.choices = _organization_choices()
    _default_unit(form.unit_id, units)
    if form.year.data is None and not form.is_submitted():
        form.year.data = _today().year
    names = ["unit_id", "organization_id", "year", "title", "content"]
    page = dict(heading=_("Thêm kế hoạch giám sát năm"), fields=names,
                action=url_for("supervision_pages.create_plan"),
                cancel=url_for("supervision_pages.plans"))
    if form.validate_on_submit():
        try:
            plan = operations.create_plan(_session(), current_principal(),
                                          **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã thêm kế hoạch “%(title)s”.", title=plan.title), "success")
        return redirect(url_for("supervision_pages.plan", plan_id=plan.id))
    return _form_page(form, **page)


@bp.get("/plans/<int:plan_id>")
@login_required
def plan(plan_id: int):
    session, principal = _session(), current_principal()
    item = queries.get_plan(session, plan_id, principal)
    activities = list(session.scalars(queries.list_activities_query(
        session, principal, plan_id=item.id)))
    unit = session.get(Unit, item.unit_id)
    return render_template(
        "supervision/plan.html", plan=item, unit=unit, activities=activities,
        can_write=_can_write(item.unit_id),
        can_approve=principal.has_role_over(unit.path, operations.APPROVERS))


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int):
    item = queries.get_plan(_session(), plan_id, current_principal())
    _require_writer_of(item)
    form = f.PlanForm(obj=item)
    for name in ("unit_id", "organization_id", "year"):
        delattr(form, name)
    names = ["title", "content"]
    page = dict(heading=_("Sửa kế hoạch “%(title)s”", title=item.title), fields=names,
                action=url_for("supervision_pages.edit_plan", plan_id=item.id),
                cancel=url_for("supervision_pages.plan", plan_id=item.id))
    if form.validate_on_submit():
        try:
            operations.update_plan(_session(), current_principal(), item.id,
                                   **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã lưu kế hoạch “%(title)s”.", title=item.title), "success")
        return redirect(url_for("supervision_pages.plan", plan_id=item.id))
    return _form_page(form, **page)


@bp.post("/plans/<int:plan_id>/approve")
@login_required
def approve_plan(plan_id: int):
    item = queries.get_plan(_session(), plan_id, current_principal())
    try:
        operations.approve_plan(_session(), current_principal(), item.id)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("supervision_pages.plan", plan_id=item.id)), 409
    flash(_("Đã duyệt kế hoạch “%(title)s”.", title=item.title), "success")
    return redirect(url_for("supervision_pages.plan", plan_id=item.id))


# --- activities (hoạt động giám sát) -----------------------------------------------------------

@bp.get("/activities")
@login_required
def activities():
    filters = dict(unit_id=_unit_arg(), kind=_enum_arg(ActivityKind, "kind"))
    page = _paginate(queries.list_activities_query(_session(), current_principal(), **filters))
    return render_template("supervision/activities.html", page=page, filters=filters,
                           units=_visible_units(), can_write=bool(_writable_units()))


_ACTIVITY_FIELDS = ["organization_id", "plan_id", "kind", "title", "starts_on", "ends_on",
                    "participants_count", "participants", "findings", "person_ids"]


def _activity_choices(form, unit_id: int | None) -> None:
    """Plans and people to pick from: those of the chosen unit (and below, for people)."""
    session, principal = _session(), current_principal()
    if form.organization_id is not None:  # fixed once the activity exists
        form.organization_id.choices = _organization_choices()
    plans = list(session.scalars(queries.list_plans_query(session, principal)))
    form.plan_id.choices = [_choice(None, _("Không theo kế hoạch"))] + [
        _choice(p.id, f"{p.year} · {p.organization.short_name} · {p.title}") for p in plans
        if unit_id is None or p.unit_id == unit_id]
    people = queries.list_people(session, principal, unit_id=unit_id) if unit_id else []
    form.person_ids.choices = [
        _choice(p.id, f"{p.full_name} · {p.position}" if p.position else p.full_name)
        for p in people]


def _activity_values(form, names: list[str]) -> dict:
    values = _values(form, names)
    values["ends_on"] = values["ends_on"] or values["starts_on"]
    values["participants_count"] = values["participants_count"] or 0
    return values


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def create_activity():
    units = _require_some_writable_unit()
    form = f.ActivityForm()
    form.unit_id.choices = _unit_choices(units)
    _default_unit(form.unit_id, units)
    _activity_choices(form, form.unit_id.data)
    page = dict(heading=_("Ghi nhận hoạt động giám sát"), fields=["unit_id"] + _ACTIVITY_FIELDS,
                intro=_("Người được giám sát hiện theo đơn vị đã chọn. Đổi đơn vị thì bấm "
                        "“Chọn đơn vị” để tải lại danh sách."),
                action=url_for("supervision_pages.create_activity"),
                cancel=url_for("supervision_pages.activities"))
    if form.validate_on_submit() and "choose_unit" not in request.form:
        try:
            activity = operations.create_activity(
                _session(), current_principal(), unit_id=form.unit_id.data,
                **_activity_values(form, _ACTIVITY_FIELDS))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi nhận hoạt động “%(title)s”.", title=activity.title), "success")
        return redirect(url_for("supervision_pages.activity", activity_id=activity.id))
    status = 200 if "choose_unit" in request.form else None
    return _form_page(form, status=status, **page)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit_activity(activity_id: int):
    item = queries.get_activity(_session(), activity_id, current_principal())
    _require_writer_of(item)
    form = f.ActivityForm(obj=item)
    del form.unit_id
    del form.organization_id
    if not form.is_submitted():
        form.kind.data = item.kind.value
        form.person_ids.data = [p.id for p in item.people]
    _activity_choices(form, item.unit_id)
    names = [n for n in _ACTIVITY_FIELDS if n != "organization_id"]
    page = dict(heading=_("Sửa hoạt động “%(title)s”", title=item.title), fields=names,
                action=url_for("supervision_pages.edit_activity", activity_id=item.id),
                cancel=url_for("supervision_pages.activity", activity_id=item.id))
    if form.validate_on_submit():
        values = _activity_values(form, names)
        try:
            operations.update_activity(_session(), current_principal(), item.id,
                                       **values)
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã lưu hoạt động “%(title)s”.", title=item.title), "success")
        return redirect(url_for("supervision_pages.activity", activity_id=item.id))
    return _form_page(form, **page)


@bp.get("/activities/<int:activity_id>")
@login_required
def activity(activity_id: int):
    session, principal = _session(), current_principal()
    item = queries.get_activity(session, activity_id, principal)
    recommendations = list(session.scalars(queries.list_recommendations_query(
        session, principal, activity_id=item.id)))
    plan_ = queries.get_plan(session, item.plan_id, principal) if item.plan_id else None
    return render_template("supervision/activity.html", activity=item, plan=plan_,
                           unit=session.get(Unit, item.unit_id),
                           recommendations=recommendations, can_write=_can_write(item.unit_id))


@bp.route("/activities/<int:activity_id>/comments/new", methods=["GET", "POST"])
@login_required
def add_comment(activity_id: int):
    item = queries.get_activity(_session(), activity_id, current_principal())
    _require_writer_of(item)
    form = f.CommentForm()
    form.person_id.choices = [_choice(None, _("Chung (không riêng ai)"))] + [
        _choice(p.id, p.full_name) for p in item.people]
    page = dict(heading=_("Ghi ý kiến góp ý trong “%(title)s”", title=item.title),
                fields=["person_id", "content"],
                action=url_for("supervision_pages.add_comment", activity_id=item.id),
                cancel=url_for("supervision_pages.activity", activity_id=item.id))
    if form.validate_on_submit():
        try:
            operations.add_comment(_session(), current_principal(), item.id,
                                   content=form.content.data, person_id=form.person_id.data)
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi ý kiến góp ý."), "success")
        return redirect(url_for("supervision_pages.activity", activity_id=item.id))
    return _form_page(form, **page)


# --- recommendations (kiến nghị) and follow-up (đôn đốc) ----------------------------------------

@bp.get("/recommendations")
@login_required
def recommendations():
    """Recommendations of the user's units and every unit below; overdue ones first on demand."""
    overdue = request.args.get("overdue") == "1"
    filters = dict(unit_id=_unit_arg(),
                   status=_enum_arg(RecommendationStatus, "status"),
                   overdue=True if overdue else None)
    page = _paginate(queries.list_recommendations_query(_session(), current_principal(),
                                                        **filters))
    ids = {r.unit_id for r in page.items}
    unit_names = dict(_session().execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))
                      .all()) if ids else {}
    return render_template("supervision/recommendations.html", page=page, filters=filters,
                           units=_visible_units(), can_write=bool(_writable_units()),
                           today=_today(), unit_names=unit_names)


_RECOMMENDATION_FIELDS = ["unit_id", "organization_id", "activity_id", "person_id",
                          "addressee_kind", "addressee_name", "content", "issued_on",
                          "expected_answer"]


@bp.route("/recommendations/new", methods=["GET", "POST"])
@login_required
def create_recommendation():
    units = _require_some_writable_unit()
    session, principal = _session(), current_principal()
    form = f.RecommendationForm()
    form.unit_id.choices = _unit_choices(units)
    _default_unit(form.unit_id, units)
    form.organization_id.choices = _organization_choices()
    if not form.is_submitted():
        form.activity_id.data = request.args.get("activity", type=int)
        form.person_id.data = request.args.get("person", type=int)
    activities_ = session.scalars(queries.list_activities_query(session, principal)
                                  .limit(200))
    form.activity_id.choices = [_choice(None, _("Không chọn"))] + [
        _choice(a.id, f"{a.starts_on:%d/%m/%Y} · {a.title}") for a in activities_]
    form.person_id.choices = [_choice(None, _("Không chọn"))] + [
        _choice(p.id, p.full_name) for p in queries.list_people(session, principal)]
    days = operations.response_days(session)
    page = dict(heading=_("Thêm kiến nghị"), fields=_RECOMMENDATION_FIELDS,
                intro=_("Hạn trả lời là %(days)s ngày làm việc kể từ ngày gửi (không tính thứ "
                        "Bảy, Chủ nhật và ngày nghỉ lễ).", days=days),
                action=url_for("supervision_pages.create_recommendation"),
                cancel=url_for("supervision_pages.recommendations"))
    if form.validate_on_submit():
        try:
            rec = operations.issue_recommendation(session, principal, **_values(form, _RECOMMENDATION_FIELDS))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi kiến nghị gửi %(to)s; hạn trả lời %(day)s.", to=rec.addressee_name,
                day=rec.due_on.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    return _form_page(form, **page)


@bp.get("/recommendations/<int:recommendation_id>")
@login_required
def recommendation(recommendation_id: int):
    session, principal = _session(), current_principal()
    rec = queries.get_recommendation(session, recommendation_id, principal)
    person_ = queries.get_person(session, rec.person_id, principal) if rec.person_id else None
    activity_ = (queries.get_activity(session, rec.activity_id, principal)
                 if rec.activity_id else None)
    return render_template("supervision/recommendation.html", rec=rec, person=person_,
                           activity=activity_, unit=session.get(Unit, rec.unit_id),
                           can_write=_can_write(rec.unit_id), today=_today())


def _awaiting_form(recommendation_id: int):
    rec = queries.get_recommendation(_session(), recommendation_id, current_principal())
    _require_writer_of(rec)
    if rec.status != RecommendationStatus.awaiting:
        flash(_("Kiến nghị này không còn chờ trả lời."), "warning")
        return rec, redirect(url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    return rec, None


@bp.route("/recommendations/<int:recommendation_id>/answer", methods=["GET", "POST"])
@login_required
def answer_recommendation(recommendation_id: int):
    rec, done = _awaiting_form(recommendation_id)
    if done:
        return done
    form = f.AnswerForm()
    if not form.is_submitted():
        form.outcome.data = rec.expected_answer.value
    names = ["outcome", "answer", "answered_on"]
    page = dict(heading=_("Ghi trả lời kiến nghị gửi %(to)s", to=rec.addressee_name),
                fields=names,
                action=url_for("supervision_pages.answer_recommendation",
                               recommendation_id=rec.id),
                cancel=url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    if form.validate_on_submit():
        try:
            operations.answer_recommendation(_session(), current_principal(), rec.id,
                                             **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi nhận trả lời kiến nghị."), "success")
        return redirect(url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    return _form_page(form, **page)


@bp.route("/recommendations/<int:recommendation_id>/remind", methods=["GET", "POST"])
@login_required
def remind_recommendation(recommendation_id: int):
    rec, done = _awaiting_form(recommendation_id)
    if done:
        return done
    form = f.ReminderForm()
    names = ["reminded_on", "note"]
    page = dict(heading=_("Đôn đốc trả lời kiến nghị gửi %(to)s", to=rec.addressee_name),
                fields=names,
                action=url_for("supervision_pages.remind_recommendation",
                               recommendation_id=rec.id),
                cancel=url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    if form.validate_on_submit():
        try:
            operations.remind_recommendation(_session(), current_principal(), rec.id,
                                             **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi lần đôn đốc."), "success")
        return redirect(url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    return _form_page(form, **page)


@bp.route("/recommendations/<int:recommendation_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_recommendation(recommendation_id: int):
    rec, done = _awaiting_form(recommendation_id)
    if done:
        return done
    form = f.WithdrawForm()
    page = dict(heading=_("Rút kiến nghị gửi %(to)s", to=rec.addressee_name), fields=["reason"],
                action=url_for("supervision_pages.withdraw_recommendation",
                               recommendation_id=rec.id),
                cancel=url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    if form.validate_on_submit():
        try:
            operations.withdraw_recommendation(_session(), current_principal(), rec.id,
                                               reason=form.reason.data)
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã rút kiến nghị."), "success")
        return redirect(url_for("supervision_pages.recommendation", recommendation_id=rec.id))
    return _form_page(form, **page)


# --- dialogues (đối thoại) ---------------------------------------------------------------------

@bp.get("/dialogues")
@login_required
def dialogues():
    filters = dict(unit_id=_unit_arg())
    page = _paginate(queries.list_dialogues_query(_session(), current_principal(), **filters))
    return render_template("supervision/dialogues.html", page=page, filters=filters,
                           units=_visible_units(), can_write=bool(_writable_units()))


_DIALOGUE_FIELDS = ["title", "held_on", "place", "status", "chaired_by", "heads_present",
                    "participants_count", "participants", "summary"]


def _dialogue_values(form) -> dict:
    values = _values(form, _DIALOGUE_FIELDS)
    values["participants_count"] = values["participants_count"] or 0
    return values


@bp.route("/dialogues/new", methods=["GET", "POST"])
@login_required
def create_dialogue():
    units = _require_some_writable_unit()
    form = f.DialogueForm()
    form.unit_id.choices = _unit_choices(units)
    form.organization_id.choices = _organization_choices()
    _default_unit(form.unit_id, units)
    page = dict(heading=_("Lên lịch đối thoại"),
                fields=["unit_id", "organization_id"] + _DIALOGUE_FIELDS,
                action=url_for("supervision_pages.create_dialogue"),
                cancel=url_for("supervision_pages.dialogues"))
    if form.validate_on_submit():
        try:
            dialogue_ = operations.create_dialogue(
                _session(), current_principal(), unit_id=form.unit_id.data,
                organization_id=form.organization_id.data, **_dialogue_values(form))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã lên lịch đối thoại “%(title)s”.", title=dialogue_.title), "success")
        return redirect(url_for("supervision_pages.dialogue", dialogue_id=dialogue_.id))
    return _form_page(form, **page)


@bp.route("/dialogues/<int:dialogue_id>/edit", methods=["GET", "POST"])
@login_required
def edit_dialogue(dialogue_id: int):
    item = queries.get_dialogue(_session(), dialogue_id, current_principal())
    _require_writer_of(item)
    form = f.DialogueForm(obj=item)
    del form.unit_id
    del form.organization_id
    if not form.is_submitted():
        form.status.data = item.status.value
    page = dict(heading=_("Sửa buổi đối thoại “%(title)s”", title=item.title),
                fields=_DIALOGUE_FIELDS,
                action=url_for("supervision_pages.edit_dialogue", dialogue_id=item.id),
                cancel=url_for("supervision_pages.dialogue", dialogue_id=item.id))
    if form.validate_on_submit():
        try:
            operations.update_dialogue(_session(), current_principal(), item.id,
                                       **_dialogue_values(form))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã lưu buổi đối thoại “%(title)s”.", title=item.title), "success")
        return redirect(url_for("supervision_pages.dialogue", dialogue_id=item.id))
    return _form_page(form, **page)


@bp.get("/dialogues/<int:dialogue_id>")
@login_required
def dialogue(dialogue_id: int):
    item = queries.get_dialogue(_session(), dialogue_id, current_principal())
    return render_template("supervision/dialogue.html", dialogue=item,
                           unit=_session().get(Unit, item.unit_id),
                           issues_by_id={i.id: i for i in item.issues},
                           can_write=_can_write(item.unit_id), today=_today())


@bp.route("/dialogues/<int:dialogue_id>/issues/new", methods=["GET", "POST"])
@login_required
def add_issue(dialogue_id: int):
    item = queries.get_dialogue(_session(), dialogue_id, current_principal())
    _require_writer_of(item)
    form = f.IssueForm()
    names = ["content", "answer"]
    page = dict(heading=_("Ghi vấn đề nêu ra tại “%(title)s”", title=item.title), fields=names,
                action=url_for("supervision_pages.add_issue", dialogue_id=item.id),
                cancel=url_for("supervision_pages.dialogue", dialogue_id=item.id))
    if form.validate_on_submit():
        try:
            operations.add_dialogue_issue(_session(), current_principal(), item.id,
                                          **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi vấn đề nêu ra."), "success")
        return redirect(url_for("supervision_pages.dialogue", dialogue_id=item.id))
    return _form_page(form, **page)


@bp.route("/dialogues/<int:dialogue_id>/commitments/new", methods=["GET", "POST"])
@login_required
def add_commitment(dialogue_id: int):
    item = queries.get_dialogue(_session(), dialogue_id, current_principal())
    _require_writer_of(item)
    form = f.CommitmentForm()
    form.issue_id.choices = [_choice(None, _("Không gắn với vấn đề nào"))] + [
        _choice(i.id, i.content[:80]) for i in item.issues]
    names = ["issue_id", "content", "responsible", "due_on"]
    page = dict(heading=_("Ghi cam kết tại “%(title)s”", title=item.title), fields=names,
                intro=_("Cam kết sẽ được theo dõi cho tới khi thực hiện xong hoặc báo cáo "
                        "không thực hiện."),
                action=url_for("supervision_pages.add_commitment", dialogue_id=item.id),
                cancel=url_for("supervision_pages.dialogue", dialogue_id=item.id))
    if form.validate_on_submit():
        try:
            operations.add_commitment(_session(), current_principal(), item.id,
                                      **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi cam kết."), "success")
        return redirect(url_for("supervision_pages.dialogue", dialogue_id=item.id))
    return _form_page(form, **page)


@bp.route("/commitments/<int:commitment_id>/report", methods=["GET", "POST"])
@login_required
def report_commitment(commitment_id: int):
    commitment = queries.get_commitment(_session(), commitment_id, current_principal())
    _require_writer_of(commitment)
    back = url_for("supervision_pages.dialogue", dialogue_id=commitment.dialogue_id)
    form = f.CommitmentFollowUpForm()
    names = ["status", "report", "reported_on"]
    page = dict(heading=_("Kết quả theo dõi cam kết"), intro=commitment.content, fields=names,
                action=url_for("supervision_pages.report_commitment",
                               commitment_id=commitment.id), cancel=back)
    if form.validate_on_submit():
        try:
            operations.report_commitment(_session(), current_principal(), commitment.id,
                                         **_values(form, names))
        except FORM_ERRORS as error:
            return _form_page(form, errors=form.apply_domain_error(error),
                              status=error.status, **page)
        flash(_("Đã ghi kết quả theo dõi cam kết."), "success")
        return redirect(back)
    return _form_page(form, **page)
