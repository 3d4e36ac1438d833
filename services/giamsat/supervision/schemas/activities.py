"""API schemas of supervision activities and their comments."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.http.cursors import KEY_DATE_ID, CursorField
from giamsat.supervision.labels import ACTIVITY_KIND_LABELS
from giamsat.supervision.models import ActivityKind
from giamsat.supervision.schemas.fields import (
    UnitScopeArgs,
    enum_field,
    label_field,
    tags_input,
    tags_output,
    text_field,
)


class SupervisionCommentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True, allow_none=True)
    content = fields.String(dump_only=True)
    tags = tags_output()
    created_at = fields.DateTime(dump_only=True)


class SupervisionCommentCreateSchema(ma.Schema):
    content = text_field("Nội dung góp ý.", required=True)
    person_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Người được góp ý (trong hoạt động)."},
    )
    tags = tags_input()


class SupervisionActivitySummarySchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    plan_id = fields.Integer(dump_only=True, allow_none=True)
    kind = enum_field(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.", dump_only=True)
    kind_label = label_field("kind", ACTIVITY_KIND_LABELS)
    title = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True)
    participants_count = fields.Integer(dump_only=True)
    participants = fields.String(dump_only=True)
    findings = fields.String(dump_only=True)
    person_ids = fields.Function(lambda a: [p.id for p in a.people], dump_only=True)
    board_id = fields.Integer(dump_only=True, allow_none=True)
    department_id = fields.Integer(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionActivitySchema(SupervisionActivitySummarySchema):
    comments = fields.List(fields.Nested(SupervisionCommentSchema), dump_only=True)


class SupervisionActivityQueryArgsSchema(UnitScopeArgs):
    after = CursorField(KEY_DATE_ID)
    organization_id = fields.Integer()
    kind = enum_field(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.")
    plan_id = fields.Integer()
    person_id = fields.Integer()
    starts_from = fields.Date()
    starts_to = fields.Date()
    board_id = fields.Integer(metadata={"description": "Chỉ hoạt động của ban này."})
    department_id = fields.Integer(metadata={"description": "Chỉ hoạt động do ban này phụ trách."})


class _ActivityFields(ma.Schema):
    kind = enum_field(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.")
    title = text_field("Tên hoạt động.")
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True, metadata={"description": "Mặc định bằng ngày bắt đầu."})
    plan_id = fields.Integer(allow_none=True)
    participants_count = fields.Integer(metadata={"description": "Số người tham dự."})
    participants = text_field("Thành phần tham dự.")
    findings = text_field("Kết quả giám sát.")
    person_ids = fields.List(fields.Integer(), metadata={"description": "Người được giám sát."})
    board_id = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Ban TTND / Ban GSĐTCĐ của đơn vị khi đây là việc của ban. Hoạt động "
            "của Ban TTND có hình thức `via_peoples_inspection`; của Ban GSĐTCĐ thì không."
        },
    )
    department_id = fields.Integer(
        allow_none=True, metadata={"description": "Ban phụ trách (của chính đơn vị)."}
    )


class SupervisionActivityCreateSchema(_ActivityFields):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    kind = enum_field(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.", required=True)
    title = text_field("Tên hoạt động.", required=True)
    starts_on = fields.Date(required=True)


class SupervisionActivityUpdateSchema(_ActivityFields):
    pass
