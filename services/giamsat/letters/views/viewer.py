"""The letter viewer: pages and their images, the original files, rescans and OCR retries."""

from __future__ import annotations

import io

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.core.errors import NotFound, Unavailable
from giamsat.core.storage import StorageError
from giamsat.http.pages import FORM_ERRORS, done, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.letters import operations, queries
from giamsat.letters.models import Letter, LetterFile, LetterPage
from giamsat.letters.scans import IncomingFile
from giamsat.letters.views import bp
from giamsat.letters.views.common import may, require, storage_down, stream, tenant_storage
from giamsat.units.models import Unit

#: Longest side of a page image rendered on the fly (TIFF and PDF pages), and of a thumbnail.
PREVIEW_PIXELS = 1600
THUMB_PIXELS = 300


def _get_letter(letter_id: int) -> Letter:
    return queries.get_letter(tenant_session(), letter_id, current_principal())


def _render_letter(found: Letter, *, errors=(), status: int = 200):
    session = tenant_session()
    pages = queries.letter_pages(session, found)
    chosen = request.args.get("page", type=int)
    page = next((p for p in pages if p.id == chosen), pages[0] if pages else None)
    versions = queries.letter_versions(session, found.case_id, current_principal())
    files = {f.id: f for f in found.files}
    commune = session.get(Unit, found.unit_id)
    return render_template(
        "letters/letter.html",
        letter=found,
        pages=pages,
        page=page,
        files=files,
        page_file=files.get(page.file_id) if page else None,
        versions=versions,
        latest=versions[-1] if versions else found,
        opening=found.opening,
        box=found.opening.box,
        can_handle=may(commune, operations.LETTER_HANDLERS),
        errors=list(errors),
        max_files=operations.MAX_FILES_PER_LETTER,
    ), status


@bp.get("/<int:letter_id>")
@login_required
def letter(letter_id: int):
    """Xem thư: page thumbnails, the chosen page with zoom and rotate, its OCR text, the
    original files and every version."""
    return _render_letter(_get_letter(letter_id))


def _letter_page(letter_id: int, page_id: int) -> tuple[Letter, LetterPage, LetterFile]:
    found = _get_letter(letter_id)
    page = queries.get_letter_page(tenant_session(), page_id, current_principal())
    if page.letter_id != found.id:
        raise NotFound(_("Không tìm thấy trang."))
    stored = next(f for f in found.files if f.id == page.file_id)
    return found, page, stored


@bp.get("/<int:letter_id>/pages/<int:page_id>/thumb.jpg")
@login_required
def thumbnail(letter_id: int, page_id: int):
    _found, page, stored = _letter_page(letter_id, page_id)
    if page.thumbnail_key:
        return stream(page.thumbnail_key, "image/jpeg", None)
    return _rendered(stored, page.page_number, THUMB_PIXELS)


@bp.get("/<int:letter_id>/pages/<int:page_id>/image")
@login_required
def page_image(letter_id: int, page_id: int):
    """The page at full size: JPEG and PNG as stored (already without metadata); TIFF and PDF
    pages, which browsers do not show, rendered to JPEG one page at a time."""
    _found, page, stored = _letter_page(letter_id, page_id)
    if stored.content_type in ("image/jpeg", "image/png") and stored.page_count == 1:
        return stream(stored.object_key, stored.content_type, None)
    return _rendered(stored, page.page_number, PREVIEW_PIXELS)


@bp.get("/<int:letter_id>/files/<int:file_id>")
@login_required
def download(letter_id: int, file_id: int):
    """The original file (as stored) for download, after the access check."""
    found = _get_letter(letter_id)
    stored = queries.get_letter_file(tenant_session(), file_id, current_principal())
    if stored.letter_id != found.id:
        raise NotFound(_("Không tìm thấy tệp."))
    return stream(
        stored.object_key,
        stored.content_type,
        stored.original_name,
        attachment=True,
        size=stored.size,
    )


def _rendered(stored: LetterFile, number: int, longest: int):
    """One page of a TIFF or PDF (or any file without a thumbnail yet) as a JPEG, rendered
    now: the file is copied to a temporary file and only that page is decoded."""
    from PIL import Image

    from giamsat.letters.scans import PDF, downloaded

    if not 1 <= number <= stored.page_count:
        raise NotFound(_("Không tìm thấy trang."))
    with downloaded(tenant_storage(), stored.object_key) as path:
        if stored.content_type == PDF:
            import pypdfium2 as pdfium

            document = pdfium.PdfDocument(path)
            try:
                pdf_page = document[number - 1]
                width, height = pdf_page.get_size()
                bitmap = pdf_page.render(scale=longest / max(width, height, 1))
                image = bitmap.to_pil()
                bitmap.close()
                pdf_page.close()
            finally:
                document.close()
        else:
            with Image.open(path) as source:
                source.seek(number - 1)
                source.draft("RGB", (longest, longest))
                image = source.convert("RGB")
            image.thumbnail((longest, longest))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    response = Response(out.getvalue(), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:letter_id>/rescan")
@login_required
def rescan(letter_id: int):
    """Quét lại: the new files become a new version; the earlier ones stay as they were.

    Hand-written: there is no form object (the files come straight from the request) and a
    failure is shown on the letter's page, not on a form page."""
    session = tenant_session()
    found = _get_letter(letter_id)
    require(
        session.get(Unit, found.unit_id),
        operations.LETTER_HANDLERS,
        _("Tài khoản của bạn chỉ được xem, không được quét lại thư."),
    )
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _render_letter(found, errors=[_("Hãy chọn tệp bản quét mới của thư.")], status=422)
    try:
        created = operations.rescan_letter(
            session,
            current_principal(),
            found.id,
            [IncomingFile(stream=f.stream, filename=f.filename) for f in files],
        )
    except FORM_ERRORS as error:
        message, status = error.message, error.status
    except (Unavailable, StorageError):
        message, status = storage_down(), 503
    else:
        return done(
            _(
                "Đã lưu bản quét mới (lần %(version)s). Bản cũ vẫn được giữ nguyên.",
                version=created.version,
            ),
            url_for("letters_pages.letter", letter_id=created.id),
        )
    # Rolled back now so the page lists only the versions kept.
    session.rollback()
    return _render_letter(
        _get_letter(letter_id),
        errors=[message, _("Chưa có gì được lưu; bản quét cũ vẫn như trước.")],
        status=status,
    )


@bp.post("/<int:letter_id>/ocr")
@login_required
def retry_ocr(letter_id: int):
    """Nhận dạng lại chữ: after a failure, or once the OCR software is installed."""
    found = _get_letter(letter_id)
    require(
        tenant_session().get(Unit, found.unit_id),
        operations.LETTER_HANDLERS,
        _("Tài khoản của bạn chỉ được xem, không được thay đổi."),
    )
    operations.retry_ocr(tenant_session(), current_principal(), found.id)
    return done(
        _("Đã xếp thư vào hàng chờ nhận dạng chữ; trang tự cập nhật khi xong."),
        url_for("letters_pages.letter", letter_id=found.id),
    )
