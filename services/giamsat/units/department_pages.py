"""Pages of a unit's departments (các ban của Ủy ban: Ban Dân chủ – Pháp luật, the
organizations' liaison departments…), kept by the unit's admin; and the choice list other
domains' forms offer as the owner of a record."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from giamsat.core.errors import Forbidden
from giamsat.http.forms import IdSelectField, PageForm
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units import departments
from giamsat.units.models import Department, DepartmentKind, Unit
from giamsat.units.queries import get_unit, list_organizations

bp = Blueprint("units_departments", __name__, url_prefix="/t/<tenant>", template_folder="templates")

KIND_PAGE_LABELS = {
    DepartmentKind.democracy_law: _l("Ban Dân chủ – Pháp luật"),
    DepartmentKind.liaison: _l("Ban, bộ phận liên lạc của tổ chức thành viên"),
    DepartmentKind.other: _l("Ban, bộ phận khác"),
}


def department_choices(
    session: Session, principal, unit_id: int | None, current: int | None = None
) -> list[SelectChoice]:
    """“None” and the unit's active departments (plus the record's own, if since deactivated)."""
    first = SelectChoice("", _("Không chọn"))
    if unit_id is None:
        return [first]
    found = departments.list_departments(session, principal, unit_id)
    return [first] + [
        SelectChoice(str(d.id), d.name) for d in found if d.is_active or d.id == current
    ]


class DepartmentForm(PageForm):
    kind = SelectField(
        _l("Loại"),
        validate_choice=False,
        choices=[SelectChoice(k.value, label) for k, label in KIND_PAGE_LABELS.items()],
    )
    name = StringField(
        _l("Tên ban"),
        render_kw={"maxlength": 200},
        description=_l("Ví dụ “Ban Dân chủ – Pháp luật” hoặc “Bộ phận liên lạc Hội Nông dân”."),
    )
    organization_id = IdSelectField(
        _l("Thuộc tổ chức"),
        description=_l("Với ban liên lạc của một tổ chức thành viên: chọn tổ chức đó."),
    )
    note = TextAreaField(_l("Ghi chú"))
    is_active = BooleanField(
        _l("Đang hoạt động"),
        description=_l("Bỏ chọn khi ban giải thể: hồ sơ cũ vẫn giữ tên ban, việc mới không giao."),
        default=True,
    )


FIELDS = ["kind", "name", "organization_id", "note", "is_active"]


def _require_manager(unit: Unit) -> None:
    if not departments.may_manage_departments(current_principal(), unit):
        raise Forbidden(_("Chỉ quản trị viên của đơn vị được sửa danh sách các ban."))


def _form(obj: Department | None = None) -> DepartmentForm:
    form = DepartmentForm(obj=obj)
    form.organization_id.choices = [SelectChoice("", _("Không thuộc tổ chức nào"))] + [
        SelectChoice(str(o.id), o.name) for o in list_organizations(tenant_session())
    ]
    return form


def _values(form: DepartmentForm) -> dict:
    return {name: form[name].data for name in FIELDS}


@bp.get("/units/<int:unit_id>/departments")
@login_required
def list_(unit_id: int):
    session, principal = tenant_session(), current_principal()
    unit = get_unit(session, unit_id, principal)
    return render_template(
        "units/departments.html",
        unit=unit,
        departments=departments.list_departments(session, principal, unit.id),
        kind_labels=KIND_PAGE_LABELS,
        can_manage=departments.may_manage_departments(principal, unit),
    )


@bp.route("/units/<int:unit_id>/departments/new", methods=["GET", "POST"])
@login_required
def create(unit_id: int):
    unit = get_unit(tenant_session(), unit_id, current_principal())
    _require_manager(unit)
    form = _form()
    back = url_for("units_departments.list_", unit_id=unit.id)
    return form_page(
        form,
        "units/department_form.html",
        context={"unit": unit, "heading": _("Thêm ban của %(unit)s", unit=unit.name), "back": back},
        run=lambda: departments.create_department(
            tenant_session(), current_principal(), unit_id=unit.id, **_values(form)
        ),
        then=lambda item: done(_("Đã thêm “%(name)s”.", name=item.name), back),
    )


@bp.route("/units/departments/<int:department_id>/edit", methods=["GET", "POST"])
@login_required
def edit(department_id: int):
    session = tenant_session()
    item = departments.get_department(session, department_id, current_principal())
    unit = session.get(Unit, item.unit_id)
    _require_manager(unit)
    form = _form(item)
    back = url_for("units_departments.list_", unit_id=unit.id)

    def prefill():
        form.kind.data = item.kind.value

    return form_page(
        form,
        "units/department_form.html",
        prefill=prefill,
        context={"unit": unit, "heading": _("Sửa “%(name)s”", name=item.name), "back": back},
        run=lambda: departments.update_department(
            tenant_session(), current_principal(), item.id, **_values(form)
        ),
        then=lambda saved: done(_("Đã lưu “%(name)s”.", name=saved.name), back),
    )
