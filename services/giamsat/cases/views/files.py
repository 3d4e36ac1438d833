"""Files of a case on the pages: storing the uploads of a form, and the download."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, g, stream_with_context

from giamsat.cases import operations, queries
from giamsat.cases.models import Case, CaseAttachment
from giamsat.cases.views import bp
from giamsat.cases.views.common import get_case
from giamsat.core.storage import storage_for
from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal, login_required


def _settings():
    return current_app.config["GIAMSAT"]


def uploads(field) -> list:
    """The files actually chosen in a file field (browsers send an empty one otherwise)."""
    return [f for f in (field.data or []) if getattr(f, "filename", "")]


def store_uploads(case: Case, files, purpose: str) -> list[CaseAttachment]:
    stored = []
    try:
        for upload in files:
            stored.append(
                operations.add_attachment(
                    tenant_session(),
                    current_principal(),
                    case.id,
                    stream=upload.stream,
                    filename=upload.filename,
                    content_type=upload.mimetype or "",
                    purpose=purpose,
                )
            )
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


@bp.get("/<int:case_id>/attachments/<int:attachment_id>")
@login_required
def download(case_id: int, attachment_id: int):
    """A file of the case, streamed through the app (the bucket is never exposed)."""
    case = get_case(case_id)
    attachment = queries.get_attachment(tenant_session(), case, attachment_id)
    reader = storage_for(g.tenant, _settings()).open(attachment.object_key)

    def chunks():
        with reader:
            yield from reader

    response = Response(stream_with_context(chunks()), mimetype=attachment.content_type)
    ascii_name = attachment.original_name.encode("ascii", "ignore").decode() or "tep-dinh-kem"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.original_name)}"
    )
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["Cache-Control"] = "private, no-store"
    return response
