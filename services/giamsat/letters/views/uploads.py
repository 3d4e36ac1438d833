"""The batch upload of an opening's scanned letters, and the request cap of upload pages.

Hand-written rather than on `form_page`: there is no form object (files arrive in numbered
slots), a refused file is named in its slot, storage failures are a 503 on the page, and the
upload script is told its next page in a header."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.core.errors import Unavailable
from giamsat.core.storage import StorageError
from giamsat.http.pages import FORM_ERRORS, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.letters import operations, queries
from giamsat.letters.incoming import MAX_REQUEST_BYTES, prepare_scan_upload
from giamsat.letters.scans import IncomingFile
from giamsat.letters.views import bp
from giamsat.letters.views.common import require, storage_down
from giamsat.units.models import Unit

#: Endpoints that take batches of scans: above the app's request cap (each file has its own).
UPLOAD_ENDPOINTS = frozenset({"letters_pages.upload", "letters_pages.rescan"})
#: Upload slots: `letter_1`, `letter_2`, … each holding the files of one letter.
SLOT_FIELD = re.compile(r"^letter_(\d{1,3})$")
DEFAULT_SLOTS = 3
MAX_SLOTS = operations.MAX_LETTERS_PER_BATCH


@bp.url_value_preprocessor
def _raise_request_cap(endpoint, _values):
    # The shell's CSRF check reads the form (and so parses the multipart body) in a
    # before_request hook, under the app-wide cap; URL preprocessors run before that hook.
    # Werkzeug spools the uploaded files to disk while parsing, so this raises no memory use;
    # big scans go to storage while they arrive (see `letters.incoming`).
    if endpoint in UPLOAD_ENDPOINTS:
        prepare_scan_upload(api=False)


@bp.errorhandler(413)
def _batch_too_large(_error):
    message = _(
        "Lần tải lên này quá lớn (tối đa %(mb)s MB một lần); chưa có gì được lưu. "
        "Hãy chia thư thành nhiều lần tải lên.",
        mb=MAX_REQUEST_BYTES // (1024 * 1024),
    )
    return render_template(
        "web/error.html", status=413, title=_("Tệp tải lên quá lớn"), message=message
    ), 413


def _slot_count(default: int) -> int:
    raw = request.values.get("slots", type=int) or default
    return min(max(raw, 1), MAX_SLOTS)


def _batch_from_request() -> list[tuple[int, list]]:
    """(slot number, chosen files) of each slot with at least one file, in slot order."""
    slots = []
    for name in request.files:
        match = SLOT_FIELD.match(name)
        if match:
            files = [f for f in request.files.getlist(name) if f and f.filename]
            if files:
                slots.append((int(match.group(1)), files))
    return sorted(slots)


def _upload_page(found, status=200, errors=(), slot_errors=None, slots=None):
    session = tenant_session()
    commune = session.get(Unit, found.box.unit.parent_id) or found.box.unit
    uploaded = len(
        list(session.scalars(queries.letters_query(current_principal(), opening_id=found.id)))
    )
    if slots is None:
        slots = _slot_count(min(max(found.letters_found - uploaded, DEFAULT_SLOTS), 20))
    return render_template(
        "letters/upload.html",
        opening=found,
        box=found.box,
        commune=commune,
        uploaded=uploaded,
        slots=slots,
        errors=list(errors),
        slot_errors=slot_errors or {},
        max_files=operations.MAX_FILES_PER_LETTER,
    ), status


def _refused_file_message(batch, stored: int, message: str) -> tuple[int, str]:
    """Which slot a refusal is about (its message already names the file): the operation
    stores files in order and reports each one stored, so the refused one is the next."""
    index = 0
    for slot, files in batch:
        for _upload in files:
            if index == stored:
                return slot, message
            index += 1
    return batch[0][0], message


@bp.route("/openings/<int:opening_id>/upload", methods=["GET", "POST"])
@login_required
def upload(opening_id: int):
    """Tải lên bản quét thư: many letters at once, one or more files each; every letter
    becomes a case "received" (channel suggestion box). All or nothing."""
    session = tenant_session()
    found = queries.get_opening(session, opening_id, current_principal())
    commune = session.get(Unit, found.box.unit.parent_id) or found.box.unit
    require(
        commune,
        operations.LETTER_HANDLERS,
        _("Tài khoản của bạn chỉ được xem, không được nhập thư."),
    )
    if request.method == "GET":
        return _upload_page(found)
    batch = _batch_from_request()
    slots = _slot_count(max([n for n, _files in batch] or [DEFAULT_SLOTS]))
    if not batch:
        return _upload_page(
            found, 422, [_("Hãy chọn tệp bản quét cho ít nhất một thư.")], slots=slots
        )
    stored = 0

    def progress(count: int, _total: int) -> None:
        nonlocal stored
        stored = count

    letters = [
        [IncomingFile(stream=f.stream, filename=f.filename) for f in files]
        for _slot, files in batch
    ]
    try:
        created = operations.upload_letters(
            session, current_principal(), found.id, letters, progress=progress
        )
    except FORM_ERRORS as error:
        # Rolled back now so the page counts only the letters kept before this batch.
        session.rollback()
        found = queries.get_opening(session, opening_id, current_principal())
        nothing = _("Chưa có thư nào được lưu. Hãy bỏ hoặc thay tệp đó rồi tải lên lại.")
        if error.errors.get("files") and stored < sum(len(f) for _s, f in batch):
            slot, message = _refused_file_message(batch, stored, error.message)
            return _upload_page(
                found, error.status, [message, nothing], slot_errors={slot: message}, slots=slots
            )
        return _upload_page(found, error.status, [error.message, nothing], slots=slots)
    except (Unavailable, StorageError):
        session.rollback()
        found = queries.get_opening(session, opening_id, current_principal())
        return _upload_page(found, 503, [storage_down()], slots=slots)
    flash(
        _(
            "Đã nhập %(count)s thư; mỗi thư thành một hồ sơ mới ở trạng thái “Đã tiếp nhận”. "
            "Chữ trong bản quét đang được nhận dạng; trang tự cập nhật khi xong.",
            count=len(created),
        ),
        "success",
    )
    return _next_page(url_for("letters_pages.opening", opening_id=found.id) + "#letters")


def _next_page(target: str):
    """A redirect; for the upload script (XMLHttpRequest), which would follow a redirect
    itself and so take the message meant for the next page, the address in a header."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return Response(status=204, headers={"X-Next-Page": target})
    return redirect(target)
