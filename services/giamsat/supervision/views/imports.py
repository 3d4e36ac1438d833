"""The register as an XLSX file: the two-step import (check and preview, then confirm), the
empty template and the export of a filtered list.

The import is written by hand rather than on `form_page`: a valid form is only the start (the
file is checked row by row, parked in storage, and confirmed by a second request)."""

from __future__ import annotations

import io

from flask import current_app, g, render_template, send_file, url_for
from flask import session as flask_session
from flask_babel import gettext as _

from giamsat.core import uploads
from giamsat.core.errors import Forbidden
from giamsat.core.storage import StorageError, new_key, storage_for
from giamsat.http.pages import FORM_ERRORS, done, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import forms as f
from giamsat.supervision import xlsx
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    default_unit,
    require_some_writable_unit,
    today,
    unit_choices,
    writable_units,
)
from giamsat.supervision.views.people import people_filters
from giamsat.units.models import Unit

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
    return render_template(
        "supervision/import.html", form=form, preview=preview, errors=list(errors), unit=unit
    ), status


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
def import_people():
    """Step 1: upload, check every row, show the preview (nothing is written yet)."""
    units = require_some_writable_unit()
    form = f.ImportForm()
    form.unit_id.choices = unit_choices(units)
    default_unit(form.unit_id, units)
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
    session = tenant_session()
    try:
        # The form parser's spooled file is the one copy: both reuse it.
        with xlsx.checked_list(upload.stream, upload.filename) as checked:
            preview = xlsx.preview_people_import(
                session,
                current_principal(),
                unit_id=unit_id,
                fileobj=upload.stream,
                filename=upload.filename,
            )
            unit = session.get(Unit, unit_id)
            if not preview.is_valid:
                return _import_page(form, preview=preview, unit=unit, status=422)
            _drop_pending_import()
            key = new_key(IMPORT_PREFIX)
            uploads.store_checked(_storage(), key, checked)
    except FORM_ERRORS as error:
        return _import_page(form, errors=form.apply_domain_error(error), status=error.status)
    flask_session[IMPORT_SESSION_KEY] = {"key": key, "unit_id": unit_id, "rows": len(preview.rows)}
    return _import_page(form, preview=preview, unit=unit)


@bp.post("/people/import/confirm")
@login_required
def confirm_import():
    """Step 2: import every row of the checked file, or none."""
    require_some_writable_unit()
    pending = flask_session.get(IMPORT_SESSION_KEY)
    if not pending:
        return done(
            _("Không còn tệp nào chờ nhập. Hãy tải tệp lên lại."),
            url_for("supervision_pages.import_people"),
            "warning",
        )
    try:
        with uploads.downloaded(_storage(), pending["key"]) as path, open(path, "rb") as handle:
            people = xlsx.import_people(
                tenant_session(), current_principal(), unit_id=pending["unit_id"], fileobj=handle
            )
    except StorageError:
        flask_session.pop(IMPORT_SESSION_KEY, None)
        return done(
            _("Tệp đã tải lên không còn nữa. Hãy tải tệp lên lại."),
            url_for("supervision_pages.import_people"),
            "warning",
        )
    except FORM_ERRORS as error:
        # Someone changed the register since the preview: show why, import nothing.
        form = f.ImportForm()
        form.unit_id.choices = unit_choices(writable_units())
        form.unit_id.data = pending["unit_id"]
        _drop_pending_import()
        return _import_page(
            form, errors=[error.message] + list(error.errors.get("file", [])), status=error.status
        )
    _drop_pending_import()
    return done(
        _("Đã nhập %(count)s người vào danh sách giám sát.", count=len(people)),
        url_for("supervision_pages.people", unit=pending["unit_id"]),
    )


@bp.post("/people/import/cancel")
@login_required
def cancel_import():
    _drop_pending_import()
    return done(_("Đã hủy, không nhập người nào."), url_for("supervision_pages.people"), "info")


def _xlsx_response(data: bytes, filename: str):
    return send_file(
        io.BytesIO(data), mimetype=xlsx.XLSX_MIMETYPE, as_attachment=True, download_name=filename
    )


@bp.get("/people/template.xlsx")
@login_required
def import_template():
    return _xlsx_response(xlsx.template_workbook(), "mau-danh-sach-giam-sat.xlsx")


@bp.get("/people/export.xlsx")
@login_required
def export_people():
    """The register as filtered on the list page, in the import layout."""
    data = xlsx.export_people(tenant_session(), current_principal(), **people_filters())
    return _xlsx_response(data, f"danh-sach-giam-sat-{today():%Y%m%d}.xlsx")
