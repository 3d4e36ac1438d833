"""The register of people under supervision (đối tượng giám sát): list, add, edit, overview."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import forms as f
from giamsat.supervision import operations, queries
from giamsat.supervision.models import ManagementLevel, PersonTier, Place
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    area_choices,
    can_write,
    default_unit,
    enum_arg,
    form_context,
    require_some_writable_unit,
    require_writer_of,
    unit_arg,
    unit_choices,
    values,
    visible_units,
    writable_units,
)

#: The person fields of the add and edit forms, in page order.
PERSON_FIELDS = [
    "full_name",
    "birth_year",
    "position",
    "tier",
    "management_level",
    "workplace_agency",
    "workplace_unit",
    "residence_area_id",
    "residence",
    "is_party_member",
    "notes",
]


@bp.get("/")
@login_required
def index():
    return redirect(url_for("supervision_pages.people"))


def people_filters() -> dict:
    """The list's filters from the query string (the XLSX export takes the same)."""
    return dict(
        unit_id=unit_arg(),
        tier=enum_arg(PersonTier, "tier"),
        management_level=enum_arg(ManagementLevel, "management_level"),
        place=enum_arg(Place, "place"),
        q=request.args.get("q", "").strip() or None,
        include_inactive=request.args.get("inactive") == "1",
    )


@bp.get("/people")
@login_required
def people():
    """The register with filters (tier, management level, place, text) and pages."""
    filters = people_filters()
    page = paginate(queries.list_people_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "supervision/people.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
    )


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def create_person():
    units = require_some_writable_unit()
    form = f.PersonForm()
    form.unit_id.choices = unit_choices(units)
    form.residence_area_id.choices = area_choices()
    default_unit(form.unit_id, units)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Thêm người vào danh sách giám sát"),
            fields=["unit_id"] + PERSON_FIELDS,
            action=url_for("supervision_pages.create_person"),
            cancel=url_for("supervision_pages.people"),
        ),
        run=lambda: operations.create_person(
            tenant_session(),
            current_principal(),
            unit_id=form.unit_id.data,
            **values(form, PERSON_FIELDS),
        ),
        then=lambda person: done(
            _("Đã thêm “%(name)s” vào danh sách giám sát.", name=person.full_name),
            url_for("supervision_pages.person", person_id=person.id),
        ),
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(person_id: int):
    item = queries.get_person(tenant_session(), person_id, current_principal())
    require_writer_of(item)
    form = f.EditPersonForm(obj=item)
    del form.unit_id
    form.residence_area_id.choices = area_choices()
    names = PERSON_FIELDS + ["is_active"]
    back = url_for("supervision_pages.person", person_id=item.id)

    def prefill():
        form.tier.data = item.tier.value
        form.management_level.data = item.management_level.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa thông tin “%(name)s”", name=item.full_name),
            fields=names,
            cancel=back,
            action=url_for("supervision_pages.edit_person", person_id=item.id),
        ),
        run=lambda: operations.update_person(
            tenant_session(), current_principal(), item.id, **values(form, names)
        ),
        then=lambda _person: done(_("Đã lưu thông tin “%(name)s”.", name=item.full_name), back),
    )


@bp.get("/people/<int:person_id>")
@login_required
def person(person_id: int):
    """Everything about one person; cases show number, title and status, never who reported."""
    overview = queries.person_overview(tenant_session(), person_id, current_principal())
    return render_template(
        "supervision/person.html",
        o=overview,
        p=overview.person,
        can_write=can_write(overview.person.unit_id),
    )
