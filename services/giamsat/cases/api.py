"""REST resources of cases: queue and intake, one case, its workflow, history, files, hints,
the reporter reveal, and the classification catalogue."""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView
from werkzeug.http import dump_header
from werkzeug.urls import quote

from giamsat.cases import catalogue, operations, protection
from giamsat.cases.attachments import STORED_TYPES, open_attachment
from giamsat.cases.queries import (
    case_history,
    categories_query,
    get_attachment,
    get_case,
    list_attachments,
    related_cases,
)
from giamsat.cases.queue_read import queue_read
from giamsat.cases.schemas import (
    AttachmentSchema,
    AttachmentUploadSchema,
    CaseCreateSchema,
    CaseQueryArgsSchema,
    CaseSchema,
    CaseSummarySchema,
    CaseUpdateSchema,
    CategoryQueryArgsSchema,
    CategorySchema,
    CategoryUpdateSchema,
    EventSchema,
    IdentitySchema,
    RelatedSchema,
    RevealSchema,
    TransitionSchema,
)
from giamsat.core.errors import NotFound
from giamsat.http.api import (
    ReadPage,
    SelectPage,
    TenantBlueprint,
    current_principal,
    tenant_session,
)
from giamsat.units.queries import get_unit

cases_blp = TenantBlueprint(
    "cases",
    __name__,
    "/cases",
    description="Hồ sơ tiếp nhận thông tin (phản ánh, kiến nghị, tố cáo, phát giác) và việc xử "
    "lý. Người gửi luôn được che danh tính.",
)
categories_blp = TenantBlueprint(
    "case_categories",
    __name__,
    "/case-categories",
    description="Danh mục phân loại: 27 biểu hiện (NQ 04-NQ/TW), nội dung khác của QĐ 124, "
    "ngoài phạm vi.",
)

BLUEPRINTS = (cases_blp, categories_blp)


@cases_blp.route("")
class Cases(MethodView):
    @cases_blp.arguments(CaseQueryArgsSchema, location="query")
    @cases_blp.response(200, CaseSummarySchema(many=True))
    @cases_blp.paginate(ReadPage)
    def get(self, args):
        """Hàng chờ hồ sơ trong phạm vi được xem

        Lọc theo đơn vị, trạng thái, loại, kênh, phân loại, tổ chức, quá hạn, khoảng ngày tiếp
        nhận; `q` tìm không phân biệt dấu trong tiêu đề, nội dung, người bị phản ánh và chữ
        nhận dạng (OCR) của thư: mọi từ phải có. Kết quả tìm được xếp hạng: đủ các từ trong
        tiêu đề trước, rồi trong người bị phản ánh, rồi còn lại; trong mỗi hạng mới tiếp nhận
        trước. Trang sau theo `page` hoặc theo `after` = `next_cursor` của trang trước với
        cùng `q` (con trỏ của danh sách không tìm kiếm, hoặc ngược lại, trả 422). Tổng số đếm
        tới 10.000 (`total_is_exact` = false khi nhiều hơn).
        """
        principal = current_principal()
        if args.get("unit_id") is not None:
            get_unit(tenant_session(), args["unit_id"], principal)  # 404 outside the scope
        # Plain rows dumped as CaseSummarySchema would (`queue_read`): `next_cursor` is the last
        # row's (received_on, id), a search's with the row's rank first (its order).
        return queue_read(principal, args)

    @cases_blp.arguments(CaseCreateSchema)
    @cases_blp.response(201, CaseSchema)
    def post(self, data):
        """Tiếp nhận thông tin

        Số hồ sơ được cấp tự động theo đơn vị và năm. `reporter` (khi không nặc danh) được mã
        hóa và lưu riêng; không bao giờ được trả lại.
        """
        case = operations.receive_case(tenant_session(), current_principal(), **data)
        return case, {"Location": url_for("cases.CaseById", case_id=case.id)}


@cases_blp.route("/<int:case_id>")
class CaseById(MethodView):
    @cases_blp.etag
    @cases_blp.response(200, CaseSchema)
    def get(self, case_id):
        """Một hồ sơ

        Hồ sơ của đơn vị ngoài phạm vi trả 404 như hồ sơ không tồn tại. Trả ETag dùng cho
        If-Match khi sửa.
        """
        return get_case(tenant_session(), case_id, current_principal())

    @cases_blp.etag
    @cases_blp.arguments(CaseUpdateSchema)
    @cases_blp.response(200, CaseSchema)
    def patch(self, data, case_id):
        """Sửa tiêu đề, nội dung, người bị phản ánh, loại, phân loại hoặc ban phụ trách

        Cần If-Match (thiếu: 428, đã cũ: 412). Hồ sơ đã kết thúc hoặc đã chuyển không sửa được.
        """
        case = get_case(tenant_session(), case_id, current_principal())
        cases_blp.check_etag(case, CaseSchema)
        if "department_id" in data:
            # The owner may change whatever the status; the words only while editable.
            department_id = data.pop("department_id")
            if not data:
                return operations.set_department(
                    tenant_session(), current_principal(), case.id, department_id
                )
            operations.set_department(tenant_session(), current_principal(), case.id, department_id)
        return operations.update_case(tenant_session(), current_principal(), case.id, **data)


def _run_transition(case_id: int, data: dict):
    session, principal = tenant_session(), current_principal()
    action = data.pop("action")
    if action == "verify":
        return operations.start_verification(session, principal, case_id, note=data.get("note", ""))
    if action == "forward":
        return operations.forward_case(
            session,
            principal,
            case_id,
            recipient_kind=data.get("recipient_kind"),
            recipient_name=data.get("recipient_name", ""),
            forwarded_on=data.get("forwarded_on"),
            accepted_on=data.get("accepted_on"),
            is_complex=data.get("is_complex"),
        )
    if action == "handle":
        return operations.handle_case(session, principal, case_id, note=data.get("note", ""))
    if action == "archive":
        return operations.archive_case(session, principal, case_id, reason=data.get("reason", ""))
    if action == "respond":
        return operations.record_response(
            session,
            principal,
            case_id,
            outcome=data.get("outcome"),
            text=data.get("text", ""),
            responded_on=data.get("responded_on"),
        )
    if action == "extend":
        return operations.extend_deadline(
            session, principal, case_id, reason=data.get("reason", "")
        )
    if action == "close":
        return operations.close_case(session, principal, case_id, note=data.get("note", ""))
    if action == "reopen":
        return operations.reopen_case(session, principal, case_id, reason=data.get("reason", ""))
    if action == "escalate":
        operations.escalate_case(session, principal, case_id, reason=data.get("reason", ""))
    else:  # assign
        operations.assign_case(
            session, principal, case_id, unit_id=data.get("unit_id"), reason=data.get("reason", "")
        )
    # The actor may not see the new case (escalated above them): answer with the original,
    # whose `linked` shows where it went.
    return get_case(session, case_id, principal)


@cases_blp.route("/<int:case_id>/transitions")
class CaseTransitions(MethodView):
    @cases_blp.arguments(TransitionSchema)
    @cases_blp.response(200, CaseSchema)
    def post(self, data, case_id):
        """Chuyển bước xử lý

        `action`: verify (bắt đầu xác minh), forward (chuyển cơ quan có thẩm quyền: hạn trả lời
        theo bảng thời hạn của tỉnh, `accepted_on` là ngày thụ lý nếu đã biết), handle (Ủy ban tự giải quyết), archive (lưu hồ sơ, có lý do),
        respond (ghi nhận trả lời), extend (cơ quan nhận gia hạn: `reason`; hạn mới theo bảng
        thời hạn, trong số lần gia hạn cho phép), close, reopen (có lý do), escalate (chuyển lên cấp trên),
        assign (giao cấp dưới trực tiếp: `unit_id`). Bước không hợp lệ với trạng thái hiện tại
        trả 409 kèm lý do.
        """
        get_case(tenant_session(), case_id, current_principal())  # 404 before anything else
        return _run_transition(case_id, data)


@cases_blp.route("/<int:case_id>/history")
class CaseHistory(MethodView):
    @cases_blp.response(200, EventSchema(many=True))
    def get(self, case_id):
        """Lịch sử xử lý (chỉ ghi thêm, không sửa xóa): ai, lúc nào, từ → đến, lý do"""
        session = tenant_session()
        return case_history(session, get_case(session, case_id, current_principal()))


@cases_blp.route("/<int:case_id>/related")
class CaseRelated(MethodView):
    @cases_blp.response(200, RelatedSchema(many=True))
    def get(self, case_id):
        """Hồ sơ có thể liên quan: cùng người bị phản ánh hoặc nội dung gần giống"""
        session, principal = tenant_session(), current_principal()
        return related_cases(session, get_case(session, case_id, principal), principal)


@cases_blp.route("/<int:case_id>/attachments")
class CaseAttachments(MethodView):
    @cases_blp.response(200, AttachmentSchema(many=True))
    def get(self, case_id):
        """Tệp đính kèm của hồ sơ"""
        session = tenant_session()
        return list_attachments(session, get_case(session, case_id, current_principal()))

    @cases_blp.arguments(AttachmentUploadSchema, location="files")
    @cases_blp.response(201, AttachmentSchema)
    def post(self, files, case_id):
        """Tải tệp lên (multipart/form-data, trường `file`)

        Tối đa 15 MB. Loại tệp được nhận biết theo nội dung (PDF, ảnh, Word/Excel, ZIP, âm
        thanh, văn bản); tệp chạy được hoặc không rõ loại bị từ chối (422).
        """
        upload = files["file"]
        attachment = operations.add_attachment(
            tenant_session(),
            current_principal(),
            case_id,
            stream=upload.stream,
            filename=upload.filename or "",
            content_type=upload.mimetype,
            purpose=files["purpose"],
        )
        location = url_for("cases.AttachmentContent", case_id=case_id, attachment_id=attachment.id)
        return attachment, {"Location": location}


def _content_disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "ignore").decode() or "tep-dinh-kem"
    return (
        "attachment; "
        + dump_header({"filename": ascii_name})
        + f"; filename*=UTF-8''{quote(name, safe='')}"
    )


@cases_blp.route("/<int:case_id>/attachments/<int:attachment_id>/content")
class AttachmentContent(MethodView):
    @cases_blp.binary_response(200, *STORED_TYPES, description="Tệp đính kèm, đúng kiểu đã lưu")
    def get(self, case_id, attachment_id):
        """Tải tệp về (sau khi kiểm tra quyền xem hồ sơ)"""
        session = tenant_session()
        case = get_case(session, case_id, current_principal())
        attachment = get_attachment(session, case, attachment_id)
        reader = open_attachment(attachment)
        response = Response(reader, mimetype=attachment.content_type, direct_passthrough=True)
        response.headers["Content-Length"] = str(attachment.size)
        response.headers["Content-Disposition"] = _content_disposition(attachment.original_name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        response.call_on_close(reader.close)
        return response


@cases_blp.route("/<int:case_id>/reporter/reveal")
class ReporterReveal(MethodView):
    @cases_blp.arguments(RevealSchema)
    @cases_blp.response(200, IdentitySchema)
    def post(self, data, case_id):
        """Xem danh tính người gửi (chỉ Lãnh đạo, phải nêu lý do, được ghi nhật ký)

        Trả 403 với người không phải Lãnh đạo của đơn vị, 404 khi hồ sơ không lưu danh tính.
        """
        session, principal = tenant_session(), current_principal()
        case = get_case(session, case_id, principal)
        identity = protection.reveal_identity(session, principal, case, reason=data["reason"])
        return identity, {"Cache-Control": "no-store"}


@categories_blp.route("")
class Categories(MethodView):
    @categories_blp.arguments(CategoryQueryArgsSchema, location="query")
    @categories_blp.response(200, CategorySchema(many=True))
    @categories_blp.paginate(SelectPage)
    def get(self, args):
        """Danh mục phân loại, theo thứ tự nhóm"""
        return categories_query(active_only=args["active_only"])


@categories_blp.route("/<int:category_id>")
class CategoryById(MethodView):
    @categories_blp.etag
    @categories_blp.response(200, CategorySchema)
    def get(self, category_id):
        """Một mục phân loại"""
        category = tenant_session().get(catalogue.ClassificationCategory, category_id)
        if category is None:
            raise NotFound("Không tìm thấy mục phân loại.")
        return category

    @categories_blp.etag
    @categories_blp.arguments(CategoryUpdateSchema)
    @categories_blp.response(200, CategorySchema)
    def patch(self, data, category_id):
        """Sửa tên hoặc ngừng dùng một mục (chỉ quản trị viên tỉnh)

        Mục đã sửa được giữ nguyên khi cập nhật danh mục về sau. Cần If-Match.
        """
        session = tenant_session()
        category = session.get(catalogue.ClassificationCategory, category_id)
        if category is None:
            raise NotFound("Không tìm thấy mục phân loại.")
        categories_blp.check_etag(category, CategorySchema)
        return catalogue.update_category(session, current_principal(), category_id, **data)
