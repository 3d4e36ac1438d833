"""API schemas of recommendations and their reminders."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.http.cursors import KEY_DATE_ID, CursorField
from giamsat.supervision.labels import (
    ADDRESSEE_KIND_LABELS,
    EXPECTED_ANSWER_LABELS,
    RECOMMENDATION_STATUS_LABELS,
)
from giamsat.supervision.models import AddresseeKind, ExpectedAnswer, RecommendationStatus
from giamsat.supervision.schemas.fields import (
    UnitScopeArgs,
    enum_field,
    label_field,
    tags_input,
    tags_output,
    text_field,
)


class SupervisionReminderSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    recommendation_id = fields.Integer(dump_only=True)
    reminded_on = fields.Date(dump_only=True)
    note = fields.String(dump_only=True)


class SupervisionRecommendationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True, allow_none=True)
    person_id = fields.Integer(dump_only=True, allow_none=True)
    board_id = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Ban TTND / Ban GSĐTCĐ kiến nghị."},
    )
    addressee_kind = enum_field(AddresseeKind, ADDRESSEE_KIND_LABELS, "Nơi nhận.", dump_only=True)
    addressee_name = fields.String(dump_only=True)
    content = fields.String(dump_only=True)
    tags = tags_output()
    issued_on = fields.Date(dump_only=True)
    expected_answer = enum_field(ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Yêu cầu.", dump_only=True)
    due_on = fields.Date(dump_only=True, metadata={"description": "Hạn trả lời (ngày làm việc)."})
    status = enum_field(
        RecommendationStatus, RECOMMENDATION_STATUS_LABELS, "Trạng thái.", dump_only=True
    )
    status_label = label_field("status", RECOMMENDATION_STATUS_LABELS)
    is_overdue = fields.Function(lambda r: r.is_overdue(), dump_only=True)
    answer = fields.String(dump_only=True)
    answered_on = fields.Date(dump_only=True, allow_none=True)
    withdrawn_reason = fields.String(dump_only=True)
    reminders = fields.List(fields.Nested(SupervisionReminderSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionRecommendationQueryArgsSchema(UnitScopeArgs):
    after = CursorField(KEY_DATE_ID)
    status = enum_field(RecommendationStatus, RECOMMENDATION_STATUS_LABELS, "Trạng thái.")
    overdue = fields.Boolean(metadata={"description": "true: chỉ kiến nghị quá hạn trả lời."})
    person_id = fields.Integer()
    activity_id = fields.Integer()
    organization_id = fields.Integer()
    tag = fields.String(metadata={"description": "Mã phân loại, ví dụ DD-7."})
    board_id = fields.Integer(metadata={"description": "Chỉ kiến nghị của ban này."})


class SupervisionRecommendationCreateSchema(ma.Schema):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    addressee_kind = enum_field(AddresseeKind, ADDRESSEE_KIND_LABELS, "Nơi nhận.", required=True)
    addressee_name = text_field("Tên nơi nhận, ví dụ “Đảng ủy xã …”.", required=True)
    content = text_field("Nội dung kiến nghị.", required=True)
    expected_answer = enum_field(
        ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Yêu cầu trả lời.", required=True
    )
    issued_on = fields.Date(load_default=None, metadata={"description": "Mặc định hôm nay."})
    activity_id = fields.Integer(load_default=None, allow_none=True)
    person_id = fields.Integer(load_default=None, allow_none=True)
    tags = tags_input()
    board_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Ban TTND / Ban GSĐTCĐ của đơn vị kiến nghị; sau hoạt động của một "
            "ban thì lấy ban của hoạt động."
        },
    )


class SupervisionAnswerSchema(ma.Schema):
    outcome = enum_field(ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Kết quả trả lời.", required=True)
    answer = text_field("Nội dung trả lời.", required=True)
    answered_on = fields.Date(load_default=None)


class SupervisionReminderCreateSchema(ma.Schema):
    note = text_field("Nội dung đôn đốc (văn bản, cách thức).", required=True)
    reminded_on = fields.Date(load_default=None)


class SupervisionWithdrawSchema(ma.Schema):
    reason = text_field("Lý do rút kiến nghị.", required=True)
