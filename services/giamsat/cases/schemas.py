"""API schemas of cases: output, intake, edit, transitions, queue arguments, categories.

The reporter appears only as the masked string; the identity has no field here. The rules on
values live in `cases.operations` (one home, one Vietnamese message); these check types."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from giamsat.cases import protection, workflow
from giamsat.cases.attachments import PURPOSES
from giamsat.cases.models import (
    CaseKind,
    CaseStatus,
    Channel,
    RecipientKind,
    ReporterMode,
    ResponseOutcome,
)
from giamsat.cases.queries import is_overdue
from giamsat.http.cursors import BAD_CURSOR, KEY_DATE_ID, KEY_RANK_DATE_ID, CursorField


def _values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


def _enum_doc(enum_cls, description: str) -> dict:
    return {"enum": _values(enum_cls), "description": description}


class CategorySchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(
        dump_only=True, metadata={"description": "CT-1…CT-9, DD-…, DB-…, NG, CV, CD, NGOAI"}
    )
    group_code = fields.String(dump_only=True)
    group_label = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    confidence = fields.String(
        dump_only=True,
        metadata={"description": "CONFIRMED, PARTIAL hoặc UNCONFIRMED: mức chắc chắn của câu chữ."},
    )
    source = fields.String(dump_only=True)
    sort_order = fields.Integer(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    is_overridden = fields.Boolean(
        dump_only=True,
        metadata={"description": "Quản trị viên đã sửa: lần cập nhật danh mục sau không ghi đè."},
    )
    updated_at = fields.DateTime(dump_only=True)


class CategoryQueryArgsSchema(ma.Schema):
    active_only = fields.Boolean(load_default=False)


class CategoryUpdateSchema(ma.Schema):
    label = fields.String(metadata={"description": "Tên ngắn gọn mới."})
    is_active = fields.Boolean(metadata={"description": "false: không dùng để gắn mới nữa."})


class LinkedStatusSchema(ma.Schema):
    """Where a transferred case went and how it stands there — not the case itself."""

    number = fields.String()
    unit_name = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda d: workflow.status_label(d["status"]))
    due_on = fields.Date(allow_none=True)
    is_overdue = fields.Boolean()
    closed_at = fields.DateTime(allow_none=True)


class OriginSchema(ma.Schema):
    case_id = fields.Integer(
        allow_none=True, metadata={"description": "Chỉ có khi người dùng xem được hồ sơ gốc."}
    )
    number = fields.String()
    unit_name = fields.String()


def _tag_codes(case) -> list[str]:
    return [t.code for t in case.tags]


class CaseSummarySchema(ma.Schema):
    """A case as a queue shows it."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True, metadata={"description": "Số thứ tự/năm của đơn vị."})
    unit_id = fields.Integer(dump_only=True)
    unit_name = fields.Function(lambda c: c.unit.name, dump_only=True)
    received_on = fields.Date(dump_only=True)
    channel = fields.Function(
        lambda c: c.channel.value, dump_only=True, metadata=_enum_doc(Channel, "Kênh tiếp nhận.")
    )
    kind = fields.Function(
        lambda c: c.kind.value, dump_only=True, metadata=_enum_doc(CaseKind, "Loại thông tin.")
    )
    title = fields.String(dump_only=True)
    status = fields.Function(
        lambda c: c.status.value,
        dump_only=True,
        metadata=_enum_doc(CaseStatus, "Trạng thái xử lý."),
    )
    status_label = fields.Function(lambda c: workflow.status_label(c.status), dump_only=True)
    due_on = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "Hạn trả lời (ngày làm việc)."}
    )
    is_overdue = fields.Function(lambda c: is_overdue(c), dump_only=True)
    reporter = fields.Function(
        protection.masked_reporter,
        dump_only=True,
        metadata={"description": "Người gửi, luôn ở dạng đã che: “Nặc danh”, “Đã ẩn danh tính…”."},
    )
    tags = fields.Function(_tag_codes, dump_only=True)
    organization_id = fields.Integer(dump_only=True, allow_none=True)
    department_id = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "Ban phụ trách hồ sơ."}
    )


class CaseSchema(CaseSummarySchema):
    """One case in full (the reporter still masked)."""

    organization_id = fields.Integer(dump_only=True, allow_none=True)
    area_id = fields.Integer(dump_only=True, allow_none=True)
    content = fields.String(dump_only=True)
    concerned = fields.String(dump_only=True)
    is_complex = fields.Boolean(dump_only=True)
    reporter_mode = fields.Function(
        lambda c: c.reporter_mode.value,
        dump_only=True,
        metadata=_enum_doc(ReporterMode, "Chế độ danh tính."),
    )
    recipient_kind = fields.Function(
        lambda c: c.recipient_kind and c.recipient_kind.value, dump_only=True, allow_none=True
    )
    recipient_name = fields.String(dump_only=True, allow_none=True)
    forwarded_on = fields.Date(dump_only=True, allow_none=True)
    deadline_basis = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Quy định đã dùng để tính hạn trả lời, kèm nguồn."},
    )
    response_outcome = fields.Function(
        lambda c: c.response_outcome and c.response_outcome.value, dump_only=True, allow_none=True
    )
    response_text = fields.String(dump_only=True, allow_none=True)
    responded_on = fields.Date(dump_only=True, allow_none=True)
    public_answer = fields.String(dump_only=True, allow_none=True)
    archive_reason = fields.String(dump_only=True, allow_none=True)
    closed_at = fields.DateTime(dump_only=True, allow_none=True)
    allowed_actions = fields.Function(lambda c: workflow.allowed_actions(c.status), dump_only=True)
    linked = fields.Method(
        "_linked",
        dump_only=True,
        allow_none=True,
        metadata={"description": "Hồ sơ nối tiếp ở đơn vị nhận (khi đã chuyển)."},
    )
    origin = fields.Method(
        "_origin",
        dump_only=True,
        allow_none=True,
        metadata={"description": "Hồ sơ gốc (khi hồ sơ này được chuyển đến)."},
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    def _linked(self, case):
        from giamsat.cases.queries import linked_status
        from giamsat.http.api import tenant_session

        status = linked_status(tenant_session(), case)
        return LinkedStatusSchema().dump(status) if status else None

    def _origin(self, case):
        from giamsat.cases.queries import origin_summary
        from giamsat.http.api import current_principal, tenant_session

        origin = origin_summary(tenant_session(), case, current_principal())
        return OriginSchema().dump(origin) if origin else None


class ReporterInputSchema(ma.Schema):
    name = fields.String(load_default="")
    contact = fields.String(load_default="")
    address = fields.String(load_default="")


class CaseCreateSchema(ma.Schema):
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị tiếp nhận."})
    received_on = fields.Date(load_default=None, metadata={"description": "Mặc định hôm nay."})
    channel = fields.String(required=True, metadata=_enum_doc(Channel, "Kênh tiếp nhận."))
    kind = fields.String(required=True, metadata=_enum_doc(CaseKind, "Loại thông tin."))
    title = fields.String(required=True)
    content = fields.String(required=True)
    concerned = fields.String(
        load_default="", metadata={"description": "Người, tổ chức bị phản ánh (ghi tự do)."}
    )
    organization_id = fields.Integer(load_default=None, allow_none=True)
    area_id = fields.Integer(load_default=None, allow_none=True)
    department_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Ban phụ trách: một ban của chính đơn vị tiếp nhận."},
    )
    tags = fields.List(
        fields.String(),
        load_default=list,
        data_key="tags",
        attribute="tag_codes",
        metadata={"description": "Mã phân loại."},
    )
    is_complex = fields.Boolean(
        load_default=False,
        metadata={"description": "Vụ việc phức tạp: hạn trả lời dài hơn (30 ngày làm việc)."},
    )
    reporter_mode = fields.String(
        load_default=ReporterMode.anonymous.value,
        metadata=_enum_doc(ReporterMode, "Chế độ danh tính."),
    )
    reporter = fields.Nested(
        ReporterInputSchema,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Họ tên, liên hệ, địa chỉ người gửi: lưu mã hóa riêng, không bao giờ "
            "trả lại trong API."
        },
    )


class CaseUpdateSchema(ma.Schema):
    title = fields.String()
    content = fields.String()
    concerned = fields.String()
    kind = fields.String(metadata=_enum_doc(CaseKind, "Loại thông tin."))
    tags = fields.List(fields.String(), attribute="tag_codes")
    department_id = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Ban phụ trách (một ban của đơn vị giữ hồ sơ; null: không giao ban "
            "nào). Đổi được ở mọi tình trạng của hồ sơ."
        },
    )


class TransitionSchema(ma.Schema):
    action = fields.String(
        required=True,
        validate=validate.OneOf(workflow.ACTIONS),
        metadata={
            "description": "verify | forward | handle | archive | respond | extend | close | "
            "reopen | escalate | assign"
        },
    )
    reason = fields.String(metadata={"description": "archive, extend, reopen, escalate, assign."})
    note = fields.String(metadata={"description": "verify, handle (bắt buộc), close."})
    recipient_kind = fields.String(metadata=_enum_doc(RecipientKind, "forward: cơ quan nhận."))
    recipient_name = fields.String(metadata={"description": "forward: tên cơ quan nhận."})
    forwarded_on = fields.Date(load_default=None, metadata={"description": "forward."})
    accepted_on = fields.Date(
        load_default=None, metadata={"description": "forward: ngày thụ lý, nếu đã biết."}
    )
    is_complex = fields.Boolean(
        load_default=None, allow_none=True, metadata={"description": "forward: vụ việc phức tạp."}
    )
    outcome = fields.String(metadata=_enum_doc(ResponseOutcome, "respond: kết quả."))
    text = fields.String(metadata={"description": "respond: nội dung trả lời."})
    responded_on = fields.Date(load_default=None, metadata={"description": "respond."})
    unit_id = fields.Integer(metadata={"description": "assign: đơn vị cấp dưới nhận."})


class EventSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    at = fields.DateTime(dump_only=True)
    actor_label = fields.String(dump_only=True)
    action = fields.String(dump_only=True)
    from_status = fields.String(dump_only=True, allow_none=True)
    to_status = fields.String(dump_only=True, allow_none=True)
    reason = fields.String(dump_only=True, allow_none=True)
    details = fields.Dict(dump_only=True)


class AttachmentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    case_id = fields.Integer(dump_only=True)
    original_name = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    sha256 = fields.String(dump_only=True)
    purpose = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class AttachmentUploadSchema(ma.Schema):
    """One multipart body: the file and its purpose (documented as a single request body)."""

    file = Upload(required=True, metadata={"description": "Tệp tối đa 15 MB: PDF, ảnh, Word…"})
    purpose = fields.String(
        load_default="intake",
        validate=validate.OneOf(PURPOSES),
        metadata={"description": "intake, response hoặc evidence."},
    )

    @ma.pre_load
    def _with_form_fields(self, data, **kwargs):
        # webargs hands the "files" location only the files; the text fields of the same
        # multipart body are in request.form. (A second "form" argument would document the
        # file as an OAS2 formData parameter, which is invalid in OpenAPI 3.)
        from flask import request

        merged = {"file": data.get("file")}
        if "purpose" in request.form:
            merged["purpose"] = request.form["purpose"]
        return merged


class RelatedSchema(ma.Schema):
    case = fields.Nested(CaseSummarySchema, dump_only=True)
    score = fields.Float(dump_only=True)
    reason = fields.String(
        dump_only=True,
        metadata={"description": "same_concerned (cùng người bị phản ánh) hoặc similar_text."},
    )


class RevealSchema(ma.Schema):
    reason = fields.String(required=True, metadata={"description": "Lý do (ít nhất 10 ký tự)."})


class IdentitySchema(ma.Schema):
    name = fields.String(dump_only=True)
    contact = fields.String(dump_only=True)
    address = fields.String(dump_only=True)


class CaseQueryArgsSchema(ma.Schema):
    after = CursorField(
        KEY_DATE_ID,
        KEY_RANK_DATE_ID,
        metadata={
            "description": "Trang sâu theo con trỏ: `next_cursor` của tiêu đề X-Pagination "
            "trang trước, với cùng bộ lọc và cùng `q` (giữ `page=1`); nhanh như trang đầu."
        },
    )
    unit_id = fields.Integer(metadata={"description": "Hàng chờ của đơn vị này."})
    include_subunits = fields.Boolean(
        load_default=False, metadata={"description": "Cả các đơn vị cấp dưới."}
    )
    status = fields.String(validate=validate.OneOf(_values(CaseStatus)))
    kind = fields.String(validate=validate.OneOf(_values(CaseKind)))
    channel = fields.String(validate=validate.OneOf(_values(Channel)))
    tag = fields.String(metadata={"description": "Mã phân loại, ví dụ DD-7."})
    organization_id = fields.Integer()
    department_id = fields.Integer(metadata={"description": "Chỉ hồ sơ do ban này phụ trách."})
    overdue = fields.Boolean(metadata={"description": "true: chỉ hồ sơ quá hạn trả lời."})
    received_from = fields.Date()
    received_to = fields.Date()
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Tìm không phân biệt dấu: “dinh van hung” tìm được “Đinh Văn Hùng”. "
            "Xếp hạng: khớp tiêu đề trước, rồi người bị phản ánh, rồi nội dung và chữ thư quét; "
            "mới nhất trước trong mỗi hạng."
        },
    )

    @ma.validates_schema
    def _cursor_of_this_order(self, data, **kwargs):
        """A search's cursor carries the rank (its order), a queue's does not."""
        after, q = data.get("after"), (data.get("q") or "").strip()
        if after is not None and len(after) != (3 if q else 2):
            raise ma.ValidationError({"after": [BAD_CURSOR]})
