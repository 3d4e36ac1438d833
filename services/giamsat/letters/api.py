"""REST resources of suggestion boxes, openings and scanned letters.

Downloads go through ids and the viewer's authorization only (streamed by the app); object keys
never leave the server."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, request
from flask.views import MethodView
from werkzeug.http import dump_header

from giamsat.core.admin_docx import CONTENT_TYPE as MINUTES_TYPE
from giamsat.core.errors import Unavailable
from giamsat.core.storage import StorageError
from giamsat.http.api import (
    SelectPage,
    TenantBlueprint,
    current_principal,
    keyset_page,
    tenant_session,
)
from giamsat.letters import operations, queries, scans
from giamsat.letters.incoming import prepare_scan_upload
from giamsat.letters.schemas import (
    BoxCreateSchema,
    BoxQueryArgsSchema,
    BoxSchema,
    BoxUpdateSchema,
    LetterQueryArgsSchema,
    LetterSchema,
    OpeningCreateSchema,
    OpeningSchema,
)

boxes_blp = TenantBlueprint(
    "suggestion_boxes",
    __name__,
    "/suggestion-boxes",
    description="Hòm thư góp ý ở khu dân cư và các lần mở hòm thư.",
)
letters_blp = TenantBlueprint(
    "letters", __name__, "/letters", description="Thư góp ý (bản quét) thu được khi mở hòm thư."
)
BLUEPRINTS = (boxes_blp, letters_blp)
#: Endpoints taking scans: their cap and storage are set before the input check parses them.
UPLOAD_ENDPOINTS = frozenset({"suggestion_boxes.OpeningLetters", "letters.LetterRescan"})


@boxes_blp.url_value_preprocessor
@letters_blp.url_value_preprocessor
def _prepare_uploads(endpoint, _values):
    if endpoint in UPLOAD_ENDPOINTS:
        prepare_scan_upload(api=True)


_BINARY = {"type": "string", "format": "binary"}


@boxes_blp.route("")
class Boxes(MethodView):
    @boxes_blp.arguments(BoxQueryArgsSchema, location="query")
    @boxes_blp.response(200, BoxSchema(many=True))
    @boxes_blp.paginate(SelectPage)
    def get(self, args):
        """Hòm thư trong phạm vi được xem (lọc theo xã/phường hoặc khu dân cư)"""
        return queries.boxes_query(
            current_principal(), unit_id=args.get("unit_id"), status=args.get("status")
        )

    @boxes_blp.arguments(BoxCreateSchema)
    @boxes_blp.response(201, BoxSchema)
    def post(self, data):
        """Đăng ký một hòm thư cho khu dân cư"""
        return operations.create_box(tenant_session(), current_principal(), **data)


@boxes_blp.route("/<int:box_id>")
class BoxById(MethodView):
    @boxes_blp.response(200, BoxSchema)
    def get(self, box_id):
        """Một hòm thư"""
        return queries.get_box(tenant_session(), box_id, current_principal())

    @boxes_blp.arguments(BoxUpdateSchema)
    @boxes_blp.response(200, BoxSchema)
    def patch(self, data, box_id):
        """Sửa thông tin hoặc tình trạng hòm thư"""
        return operations.update_box(tenant_session(), current_principal(), box_id, **data)


@boxes_blp.route("/<int:box_id>/openings")
class BoxOpenings(MethodView):
    @boxes_blp.response(200, OpeningSchema(many=True))
    @boxes_blp.paginate(SelectPage)
    def get(self, box_id):
        """Các lần mở hòm thư, mới nhất trước"""
        principal = current_principal()
        queries.get_box(tenant_session(), box_id, principal)
        return queries.openings_query(principal, box_id=box_id)

    @boxes_blp.arguments(OpeningCreateSchema)
    @boxes_blp.response(201, OpeningSchema)
    def post(self, data, box_id):
        """Ghi một lần mở hòm thư (biên bản DOCX được lập và lưu cùng)"""
        return operations.record_opening(tenant_session(), current_principal(), box_id, **data)


@boxes_blp.route("/openings/<int:opening_id>")
class OpeningById(MethodView):
    @boxes_blp.response(200, OpeningSchema)
    def get(self, opening_id):
        """Một lần mở hòm thư"""
        return queries.get_opening(tenant_session(), opening_id, current_principal())


@boxes_blp.route("/openings/<int:opening_id>/minutes")
class OpeningMinutes(MethodView):
    @boxes_blp.response(200, _BINARY, content_type=MINUTES_TYPE)
    def get(self, opening_id):
        """Tải biên bản mở hòm thư (DOCX)"""
        from giamsat.core.errors import NotFound

        opening = queries.get_opening(tenant_session(), opening_id, current_principal())
        if opening.minutes_key is None:
            raise NotFound("Lần mở hòm thư này không có biên bản.")
        name = f"bien-ban-mo-hom-thu-{opening.box.label_code}-{opening.id}.docx"
        return stream_object(opening.minutes_key, MINUTES_TYPE, name)


@boxes_blp.route("/openings/<int:opening_id>/letters")
class OpeningLetters(MethodView):
    @boxes_blp.response(200, LetterSchema(many=True))
    @boxes_blp.paginate(SelectPage)
    def get(self, opening_id):
        """Thư của một lần mở hòm thư"""
        principal = current_principal()
        queries.get_opening(tenant_session(), opening_id, principal)
        return queries.letters_query(principal, opening_id=opening_id).options(
            *queries.LETTER_LIST_LOADING
        )

    @boxes_blp.doc(
        requestBody={
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": _BINARY,
                                "description": "Mỗi tệp là một thư.",
                            },
                            "letter_1": {
                                "type": "array",
                                "items": _BINARY,
                                "description": "Các tệp của thư thứ nhất (letter_2, letter_3…).",
                            },
                            "kind": {
                                "type": "string",
                                "description": "Loại thông tin, mặc định petition.",
                            },
                        },
                    }
                }
            }
        }
    )
    @boxes_blp.response(201, LetterSchema(many=True))
    def post(self, opening_id):
        """Tải lên bản quét thư (JPG, PNG, TIFF, PDF) — mỗi thư thành một hồ sơ

        Tệp `files` (mỗi tệp một thư) và/hoặc `letter_<n>` (nhiều tệp của thư n). Tất cả hoặc
        không: một tệp hỏng thì không lưu gì (422); kho lưu trữ lỗi thì 503, thử lại sau.
        """
        letters = incoming_letters(request.files)
        return operations.upload_letters(
            tenant_session(),
            current_principal(),
            opening_id,
            letters,
            kind=request.form.get("kind") or "petition",
        )


def incoming_letters(files) -> list[list[scans.IncomingFile]]:
    """Group the multipart files into letters: `files` one each, `letter_<n>` together."""
    letters = [[scans.IncomingFile(f.stream, f.filename or "")] for f in files.getlist("files")]
    grouped = sorted((k for k in files if k.startswith("letter_")), key=lambda k: (len(k), k))
    letters += [
        [scans.IncomingFile(f.stream, f.filename or "") for f in files.getlist(k)] for k in grouped
    ]
    return letters


@letters_blp.route("")
class Letters(MethodView):
    @letters_blp.arguments(LetterQueryArgsSchema, location="query")
    @letters_blp.response(200, LetterSchema(many=True))
    @letters_blp.paginate(keyset_page(lambda letter: (letter.id,)))
    def get(self, args):
        """Thư trong phạm vi được xem (mặc định bản quét mới nhất của mỗi thư)"""
        return queries.letters_query(
            current_principal(),
            opening_id=args.get("opening_id"),
            case_id=args.get("case_id"),
            current_only=not args["all_versions"],
            after=args.get("after"),
        ).options(*queries.LETTER_LIST_LOADING)


@letters_blp.route("/<int:letter_id>")
class LetterById(MethodView):
    @letters_blp.response(200, LetterSchema)
    def get(self, letter_id):
        """Một thư: tệp, trang và chữ nhận dạng được"""
        return queries.get_letter(tenant_session(), letter_id, current_principal())


@letters_blp.route("/<int:letter_id>/rescan")
class LetterRescan(MethodView):
    @letters_blp.response(201, LetterSchema)
    def post(self, letter_id):
        """Quét lại: một phiên bản mới (bản gốc giữ nguyên). Trường `files`."""
        files = [
            scans.IncomingFile(f.stream, f.filename or "") for f in request.files.getlist("files")
        ]
        return operations.rescan_letter(tenant_session(), current_principal(), letter_id, files)


@letters_blp.route("/<int:letter_id>/ocr")
class LetterOcr(MethodView):
    @letters_blp.response(202, LetterSchema)
    def post(self, letter_id):
        """Nhận dạng chữ lại (sau khi lỗi hoặc khi máy chủ đã cài Tesseract)"""
        return operations.retry_ocr(tenant_session(), current_principal(), letter_id)


@letters_blp.route("/files/<int:file_id>/content")
class LetterFileContent(MethodView):
    @letters_blp.binary_response(200, *scans.ACCEPTED, description="Bản quét, đúng kiểu đã lưu")
    def get(self, file_id):
        """Tải tệp bản quét (sau khi kiểm tra quyền xem thư)"""
        stored = queries.get_letter_file(tenant_session(), file_id, current_principal())
        return stream_object(
            stored.object_key, stored.content_type, stored.original_name, size=stored.size
        )


@letters_blp.route("/pages/<int:page_id>/thumbnail")
class LetterPageThumbnail(MethodView):
    @letters_blp.binary_response(200, "image/jpeg", description="Ảnh JPEG")
    def get(self, page_id):
        """Ảnh thu nhỏ của một trang (có sau khi nhận dạng chữ)"""
        from giamsat.core.errors import NotFound

        page = queries.get_letter_page(tenant_session(), page_id, current_principal())
        if page.thumbnail_key is None:
            raise NotFound("Trang này chưa có ảnh thu nhỏ.")
        return stream_object(page.thumbnail_key, "image/jpeg", None)


def content_disposition(name: str, inline: bool = False) -> str:
    ascii_name = name.encode("ascii", "ignore").decode() or "ban-quet"
    kind = "inline" if inline else "attachment"
    return (
        f"{kind}; "
        + dump_header({"filename": ascii_name})
        + f"; filename*=UTF-8''{quote(name, safe='')}"
    )


def stream_object(
    key: str, content_type: str, download_name: str | None, *, size: int | None = None
) -> Response:
    """Stream an object through the app — call only after the authorization check."""
    from giamsat.cases.attachments import tenant_storage

    try:
        reader = tenant_storage().open(key)
    except StorageError as exc:
        raise Unavailable(
            "Chưa tải được tệp vì kho lưu trữ đang gặp sự cố; hãy thử lại sau."
        ) from exc
    response = Response(reader, mimetype=content_type, direct_passthrough=True)
    if size is not None:
        response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = content_disposition(
        download_name or "trang.jpg", inline=download_name is None
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.call_on_close(reader.close)
    return response
