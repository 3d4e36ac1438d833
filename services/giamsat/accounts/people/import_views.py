"""Pages of bulk onboarding: the template, the preview, the all-or-nothing import."""

from __future__ import annotations

import base64
import binascii

from flask import render_template, request
from flask_babel import gettext as _

from giamsat.accounts.people import importing
from giamsat.accounts.people.forms import ConfirmImportForm, ImportForm
from giamsat.accounts.people.scope import require_people_manager
from giamsat.accounts.people.upload_guard import MAX_UPLOAD_BYTES
from giamsat.accounts.people.views import _settings, bp, sheet_response
from giamsat.core.errors import ValidationFailed
from giamsat.http.pages import private_download, tenant_session
from giamsat.http.session import current_principal, login_required


def _page(form, status=200, errors=(), preview=None, confirm=None):
    return (
        render_template(
            "people/import.html",
            form=form,
            errors=list(errors),
            preview=preview,
            confirm=confirm,
            by_email=_settings().invite_by_email,
        ),
        status,
    )


@bp.get("/people/import/template.xlsx")
@login_required
def import_template():
    data = importing.template_xlsx(tenant_session(), current_principal())
    return private_download(data, importing.TEMPLATE_NAME, importing.XLSX_MIMETYPE)


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
def import_preview():
    """Upload → preview; nothing is written here."""
    require_people_manager(current_principal())
    form = ImportForm()
    if request.method == "GET":
        return _page(form)
    upload = request.files.get("file")
    data = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
    try:
        preview = importing.preview_import(tenant_session(), current_principal(), data)
    except ValidationFailed as error:
        return _page(form, error.status, form.apply_domain_error(error))
    confirm = None
    if preview.ok:
        confirm = ConfirmImportForm(formdata=None)
        confirm.payload.data = base64.b64encode(data).decode()
    return _page(form, 200 if preview.ok else 422, preview=preview, confirm=confirm)


@bp.post("/people/import/confirm")
@login_required
def import_confirm():
    """Create everyone previewed (the file is read and checked again), or nobody."""
    require_people_manager(current_principal())
    confirm = ConfirmImportForm()
    try:
        data = base64.b64decode(confirm.payload.data or "", validate=True)
    except (binascii.Error, ValueError):
        data = b""
    try:
        onboarded = importing.import_people(
            tenant_session(), current_principal(), data, by_email=_settings().invite_by_email
        )
    except ValidationFailed as error:
        form = ImportForm(formdata=None)
        return _page(form, error.status, [error.message])
    return sheet_response(onboarded, note=_("Đã nhập %(n)d người.", n=len(onboarded)))
