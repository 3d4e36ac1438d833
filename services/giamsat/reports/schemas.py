"""API schemas of reports: output, create, update and query-argument schemas kept apart."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.reports.labels import NARRATIVE_FIELDS
from giamsat.reports.models import PeriodKind, ReportStatus

_STATUS_DOC = {
    "enum": [s.value for s in ReportStatus],
    "description": "draft (dự thảo), submitted (đã gửi), returned (bị trả lại), "
    "accepted (đã tiếp nhận, cố định).",
}


class PeriodSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.Enum(PeriodKind, by_value=True, dump_only=True)
    year = fields.Integer(dump_only=True)
    number = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True, metadata={"description": "Ngày đầu của số liệu."})
    ends_on = fields.Date(dump_only=True, metadata={"description": "Ngày cuối của số liệu."})
    due_on = fields.Date(dump_only=True, metadata={"description": "Ngày cuối cùng nộp đúng hạn."})
    requested_by_unit_id = fields.Integer(dump_only=True, allow_none=True)
    request_note = fields.String(dump_only=True)


class PeriodQueryArgsSchema(ma.Schema):
    year = fields.Integer()
    kind = fields.Enum(PeriodKind, by_value=True)


class AdHocRequestSchema(ma.Schema):
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị yêu cầu (cấp trên)."})
    title = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    due_on = fields.Date(required=True, metadata={"description": "Hạn nộp (ngày cuối cùng)."})
    note = fields.String(load_default="")


class IndicatorSchema(ma.Schema):
    code = fields.String(dump_only=True)
    group_code = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    unit_of_measure = fields.String(dump_only=True)
    computation = fields.String(
        dump_only=True, metadata={"description": "Cách tính; `manual` là nhập tay."}
    )
    argument = fields.String(dump_only=True)
    method = fields.String(dump_only=True)
    is_manual = fields.Boolean(dump_only=True)


class FiguresSchema(ma.Schema):
    own = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)
    consolidated = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)
    computed_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Lúc số liệu này thay đổi lần cuối (lần tính lại không làm "
            "thay đổi số liệu thì giữ nguyên)."
        },
    )


class FiguresQueryArgsSchema(ma.Schema):
    organization_id = fields.Integer(load_default=None, allow_none=True)


class EntrySchema(ma.Schema):
    indicator_code = fields.String(dump_only=True)
    value = fields.Integer(dump_only=True)
    computed_value = fields.Integer(dump_only=True, allow_none=True)
    is_manual = fields.Boolean(
        dump_only=True, metadata={"description": "Số liệu nhập tay (được đánh dấu)."}
    )
    note = fields.String(dump_only=True)


class ReportSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    period_id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True, allow_none=True)
    department_id = fields.Integer(dump_only=True, allow_none=True)
    status = fields.Enum(ReportStatus, by_value=True, dump_only=True, metadata=_STATUS_DOC)
    situation = fields.String(dump_only=True)
    results = fields.String(dump_only=True)
    limitations = fields.String(dump_only=True)
    directions = fields.String(dump_only=True)
    proposals = fields.String(dump_only=True)
    document_number = fields.String(dump_only=True)
    signer_name = fields.String(dump_only=True)
    signer_title = fields.String(dump_only=True)
    first_submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    is_late = fields.Boolean(dump_only=True, allow_none=True)
    returned_reason = fields.String(dump_only=True)
    accepted_at = fields.DateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    entries = fields.List(fields.Nested(EntrySchema), dump_only=True)


class ReportQueryArgsSchema(ma.Schema):
    period_id = fields.Integer()
    unit_id = fields.Integer()
    organization_id = fields.Integer()
    status = fields.Enum(ReportStatus, by_value=True)


class ReportCreateSchema(ma.Schema):
    period_id = fields.Integer(required=True)
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Bỏ trống: báo cáo chung của đơn vị."},
    )


class ReportUpdateSchema(ma.Schema):
    # Types only here; the rules and their Vietnamese messages live in reports.operations.
    narrative = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        load_default=None,
        metadata={"description": "Các mục: " + ", ".join(NARRATIVE_FIELDS)},
    )
    header = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    figures = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        load_default=None,
        metadata={"description": "{mã chỉ tiêu: số}; null trả về số tính từ hồ sơ."},
    )
    notes = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    department_id = fields.Integer(
        allow_none=True,
        metadata={"description": "Ban phụ trách báo cáo: một ban của chính đơn vị; null: bỏ."},
    )


class ActionSchema(ma.Schema):
    version = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Phiên bản vừa đọc (`version`); đã cũ thì 409. Bỏ trống: không kiểm tra."
        },
    )


class ReturnSchema(ActionSchema):
    reason = fields.String(required=True)


class ChildLineSchema(ma.Schema):
    unit_id = fields.Function(lambda line: line.unit.id)
    unit_name = fields.Function(lambda line: line.unit.name)
    report_id = fields.Function(lambda line: line.report.id if line.report else None)
    status = fields.String()
    is_late = fields.Boolean()
    source = fields.String(
        metadata={
            "description": "report: số liệu báo cáo đã gửi; live: "
            "đơn vị chưa gửi, số liệu tính từ hồ sơ."
        }
    )
    figures = fields.Dict(keys=fields.String(), values=fields.Integer())


class ConsolidationSchema(ma.Schema):
    period_id = fields.Function(lambda c: c.period.id)
    unit_id = fields.Function(lambda c: c.unit.id)
    organization_id = fields.Integer(allow_none=True)
    own = fields.Dict(keys=fields.String(), values=fields.Integer())
    areas = fields.Dict(keys=fields.String(), values=fields.Integer())
    children = fields.List(fields.Nested(ChildLineSchema))
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())


class CompletenessSchema(ma.Schema):
    period_id = fields.Function(lambda c: c.period.id)
    unit_id = fields.Integer()
    expected = fields.Integer()
    submitted = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    accepted = fields.Integer()
    pending = fields.Integer()
    missing = fields.Integer()


class ChildCompletenessSchema(ma.Schema):
    unit_id = fields.Function(lambda r: r.unit.id)
    unit_name = fields.Function(lambda r: r.unit.name)
    report_id = fields.Function(lambda r: r.report.id if r.report else None)
    status = fields.String()
    is_late = fields.Boolean()
    below = fields.Nested(CompletenessSchema)


class CompletenessQueryArgsSchema(ma.Schema):
    unit_id = fields.Integer(required=True)


class CompletenessReportSchema(ma.Schema):
    summary = fields.Nested(CompletenessSchema)
    children = fields.List(fields.Nested(ChildCompletenessSchema))


class CurrentTreeLineSchema(ma.Schema):
    unit_id = fields.Function(lambda line: line[0].id)
    unit_name = fields.Function(lambda line: line[0].name)
    figures = fields.Function(lambda line: line[1])


class CurrentTreeSchema(ma.Schema):
    period_id = fields.Function(lambda v: v.period.id)
    unit_id = fields.Function(lambda v: v.unit.id)
    organization_id = fields.Integer(allow_none=True)
    on = fields.Date(metadata={"description": "Ngày của cây đơn vị dùng để cộng (hôm nay)."})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    children = fields.List(fields.Nested(CurrentTreeLineSchema))
