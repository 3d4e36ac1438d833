"""API schemas of dialogues, their issues and commitments."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.labels import COMMITMENT_STATUS_LABELS, DIALOGUE_STATUS_LABELS
from giamsat.supervision.models import CommitmentStatus, DialogueStatus
from giamsat.supervision.schemas.fields import (
    UnitScopeArgs,
    enum_field,
    label_field,
    tags_input,
    tags_output,
    text_field,
)


class SupervisionIssueSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    dialogue_id = fields.Integer(dump_only=True)
    content = fields.String(dump_only=True)
    answer = fields.String(dump_only=True)
    tags = tags_output()


class SupervisionCommitmentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    dialogue_id = fields.Integer(dump_only=True)
    issue_id = fields.Integer(dump_only=True, allow_none=True)
    content = fields.String(dump_only=True)
    responsible = fields.String(dump_only=True)
    due_on = fields.Date(dump_only=True, allow_none=True)
    status = enum_field(CommitmentStatus, COMMITMENT_STATUS_LABELS, "Theo dõi.", dump_only=True)
    status_label = label_field("status", COMMITMENT_STATUS_LABELS)
    is_overdue = fields.Function(lambda c: c.is_overdue(), dump_only=True)
    report = fields.String(dump_only=True)
    reported_on = fields.Date(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionDialogueSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    held_on = fields.Date(dump_only=True)
    place = fields.String(dump_only=True)
    status = enum_field(DialogueStatus, DIALOGUE_STATUS_LABELS, "Trạng thái.", dump_only=True)
    chaired_by = fields.String(dump_only=True)
    heads_present = fields.String(dump_only=True)
    participants_count = fields.Integer(dump_only=True)
    participants = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    issues = fields.List(fields.Nested(SupervisionIssueSchema), dump_only=True)
    commitments = fields.List(fields.Nested(SupervisionCommitmentSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionDialogueQueryArgsSchema(UnitScopeArgs):
    organization_id = fields.Integer()
    held_from = fields.Date()
    held_to = fields.Date()


class _DialogueFields(ma.Schema):
    title = text_field("Chủ đề.")
    held_on = fields.Date()
    place = text_field("Địa điểm.")
    status = enum_field(DialogueStatus, DIALOGUE_STATUS_LABELS, "Trạng thái.")
    chaired_by = text_field("Chủ trì.")
    heads_present = text_field("Người đứng đầu cấp ủy, chính quyền tham dự.")
    participants_count = fields.Integer()
    participants = text_field("Thành phần.")
    summary = text_field("Kết quả.")


class SupervisionDialogueCreateSchema(_DialogueFields):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    title = text_field("Chủ đề.", required=True)
    held_on = fields.Date(required=True)


class SupervisionDialogueUpdateSchema(_DialogueFields):
    pass


class SupervisionIssueCreateSchema(ma.Schema):
    content = text_field("Vấn đề nêu ra.", required=True)
    answer = text_field("Trả lời tại buổi đối thoại.", load_default="")
    tags = tags_input()


class SupervisionCommitmentCreateSchema(ma.Schema):
    content = text_field("Nội dung cam kết.", required=True)
    responsible = text_field("Người chịu trách nhiệm.", load_default="")
    due_on = fields.Date(load_default=None, allow_none=True)
    issue_id = fields.Integer(load_default=None, allow_none=True)


class SupervisionCommitmentQueryArgsSchema(UnitScopeArgs):
    dialogue_id = fields.Integer()
    status = enum_field(CommitmentStatus, COMMITMENT_STATUS_LABELS, "Theo dõi.")
    overdue = fields.Boolean(metadata={"description": "true: chỉ cam kết quá hạn chưa thực hiện."})


class SupervisionCommitmentReportSchema(ma.Schema):
    status = enum_field(
        CommitmentStatus, COMMITMENT_STATUS_LABELS, "`kept` hoặc `broken`.", required=True
    )
    report = text_field("Kết quả theo dõi.", required=True)
    reported_on = fields.Date(load_default=None)
