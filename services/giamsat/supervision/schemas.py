"""API schemas of the supervision register: output, create, update and query-argument schemas
kept apart. They check types only; every rule lives in `operations` with its Vietnamese message."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields

from giamsat.supervision.labels import (
    ACTIVITY_KIND_LABELS,
    ADDRESSEE_KIND_LABELS,
    COMMITMENT_STATUS_LABELS,
    DIALOGUE_STATUS_LABELS,
    EXPECTED_ANSWER_LABELS,
    MANAGEMENT_LEVEL_LABELS,
    PLACE_LABELS,
    PLAN_STATUS_LABELS,
    RECOMMENDATION_STATUS_LABELS,
    TIER_LABELS,
    vietnamese,
)
from giamsat.supervision.models import (
    ActivityKind,
    AddresseeKind,
    CommitmentStatus,
    DialogueStatus,
    ExpectedAnswer,
    ManagementLevel,
    PersonTier,
    Place,
    PlanStatus,
    RecommendationStatus,
)


# The API speaks Vietnamese whatever the caller's page language: labels and docs alike.

def _enum(cls, labels, description, **kwargs):
    labels = vietnamese(labels)
    doc = description + " " + "; ".join(f"`{m.value}` = {labels[m]}" for m in cls) + "."
    return fields.Enum(cls, by_value=True, metadata={"description": doc}, **kwargs)


def _label(attr, labels):
    labels = vietnamese(labels)
    return fields.Function(lambda obj: labels[getattr(obj, attr)], dump_only=True)


def _text(description: str, **kwargs):
    return fields.String(metadata={"description": description}, **kwargs)


class _UnitScopeArgs(ma.Schema):
    unit_id = fields.Integer(metadata={"description": "Chỉ lấy của đơn vị này (ngoài phạm vi: "
                                                      "404)."})
    subtree = fields.Boolean(load_default=True, metadata={
        "description": "Gồm cả các đơn vị trực thuộc (mặc định có)."})


# --- people ---------------------------------------------------------------------------------

class SupervisionPersonSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    full_name = fields.String(dump_only=True)
    birth_year = fields.Integer(dump_only=True, allow_none=True)
    position = fields.String(dump_only=True)
    tier = _enum(PersonTier, TIER_LABELS, "Đối tượng.", dump_only=True)
    tier_label = _label("tier", TIER_LABELS)
    workplace_agency = fields.String(dump_only=True)
    workplace_unit = fields.String(dump_only=True)
    residence_area_id = fields.Integer(dump_only=True, allow_none=True)
    residence = fields.String(dump_only=True)
    management_level = _enum(ManagementLevel, MANAGEMENT_LEVEL_LABELS, "Diện quản lý.",
                             dump_only=True)
    management_level_label = _label("management_level", MANAGEMENT_LEVEL_LABELS)
    is_party_member = fields.Boolean(dump_only=True)
    notes = fields.String(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionPersonQueryArgsSchema(_UnitScopeArgs):
    tier = _enum(PersonTier, TIER_LABELS, "Lọc theo đối tượng.")
    management_level = _enum(ManagementLevel, MANAGEMENT_LEVEL_LABELS, "Lọc theo diện quản lý.")
    place = _enum(Place, PLACE_LABELS, "Chỉ người đang được phân công giám sát ở nơi này.")
    is_party_member = fields.Boolean()
    q = _text("Tìm theo họ tên hoặc cơ quan (có dấu hay không dấu đều được).",
              validate=ma.validate.Length(min=1, max=100))
    include_inactive = fields.Boolean(load_default=False,
                                      metadata={"description": "Lấy cả người đã ra khỏi danh sách."})


class _PersonFields(ma.Schema):
    full_name = _text("Họ và tên.")
    birth_year = fields.Integer(allow_none=True, metadata={"description": "Năm sinh (4 chữ số)."})
    position = _text("Chức vụ.")
    tier = _enum(PersonTier, TIER_LABELS, "Đối tượng.")
    workplace_agency = _text("Cơ quan công tác.")
    workplace_unit = _text("Đơn vị (phòng, ban).")
    residence_area_id = fields.Integer(allow_none=True,
                                       metadata={"description": "Khu dân cư nơi cư trú."})
    residence = _text("Nơi cư trú (ghi chữ).")
    management_level = _enum(ManagementLevel, MANAGEMENT_LEVEL_LABELS, "Diện quản lý.")
    is_party_member = fields.Boolean()
    notes = _text("Ghi chú.")


class SupervisionPersonCreateSchema(_PersonFields):
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị có danh sách."})
    full_name = _text("Họ và tên.", required=True)
    tier = _enum(PersonTier, TIER_LABELS, "Đối tượng.", required=True)


class SupervisionPersonUpdateSchema(_PersonFields):
    is_active = fields.Boolean(metadata={"description": "false: đưa ra khỏi danh sách."})


class SupervisionImportFileSchema(ma.Schema):
    file = Upload(required=True, metadata={"description": "Tệp .xlsx theo mẫu (tối đa 5 MB)."})


class SupervisionImportArgsSchema(ma.Schema):
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị nhận danh sách."})


class SupervisionImportRowSchema(ma.Schema):
    line = fields.Integer(dump_only=True, metadata={"description": "Số dòng trong bảng tính."})
    values = fields.Dict(dump_only=True)


class SupervisionImportPreviewSchema(ma.Schema):
    rows = fields.List(fields.Nested(SupervisionImportRowSchema), dump_only=True)
    errors = fields.List(fields.String(), dump_only=True,
                         metadata={"description": "Lỗi từng dòng, “Dòng 7: …”."})
    can_import = fields.Boolean(attribute="is_valid", dump_only=True)


class SupervisionImportResultSchema(ma.Schema):
    imported = fields.Integer(dump_only=True)
    ids = fields.List(fields.Integer(), dump_only=True)


class SupervisionExportQueryArgsSchema(SupervisionPersonQueryArgsSchema):
    pass


# --- assignments ----------------------------------------------------------------------------

class SupervisionAssignmentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True)
    person_name = fields.Function(lambda a: a.person.full_name, dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    organization_name = fields.Function(lambda a: a.organization.short_name, dump_only=True)
    place = _enum(Place, PLACE_LABELS, "Nơi giám sát.", dump_only=True)
    place_label = _label("place", PLACE_LABELS)
    valid_from = fields.Date(dump_only=True)
    valid_to = fields.Date(dump_only=True, allow_none=True,
                           metadata={"description": "Ngày cuối; null khi đang phân công."})
    is_current = fields.Boolean(dump_only=True)
    replaces_id = fields.Integer(dump_only=True, allow_none=True)
    note = fields.String(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionAssignmentQueryArgsSchema(_UnitScopeArgs):
    person_id = fields.Integer()
    organization_id = fields.Integer()
    place = _enum(Place, PLACE_LABELS, "Nơi giám sát.")
    current_only = fields.Boolean(load_default=False)


class SupervisionAssignmentCreateSchema(ma.Schema):
    person_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    place = _enum(Place, PLACE_LABELS, "Nơi giám sát.", required=True)
    valid_from = fields.Date(load_default=None, metadata={"description": "Mặc định hôm nay."})
    note = _text("Ghi chú.", load_default="")


class SupervisionAssignmentChangeSchema(ma.Schema):
    organization_id = fields.Integer(load_default=None)
    place = _enum(Place, PLACE_LABELS, "Nơi giám sát mới.", load_default=None)
    on = fields.Date(load_default=None, metadata={"description": "Ngày phân công mới bắt đầu; "
                                                                 "mặc định hôm nay."})
    note = _text("Ghi chú.", load_default="")


class SupervisionAssignmentEndSchema(ma.Schema):
    valid_to = fields.Date(load_default=None, metadata={"description": "Ngày cuối; mặc định "
                                                                       "hôm nay."})
    note = _text("Ghi chú.", load_default=None)


# --- plans and activities -------------------------------------------------------------------

class SupervisionPlanSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    year = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    content = fields.String(dump_only=True)
    status = _enum(PlanStatus, PLAN_STATUS_LABELS, "Trạng thái.", dump_only=True)
    approved_on = fields.Date(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionPlanQueryArgsSchema(_UnitScopeArgs):
    organization_id = fields.Integer()
    year = fields.Integer()


class SupervisionPlanCreateSchema(ma.Schema):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    title = _text("Tên kế hoạch.", required=True)
    content = _text("Nội dung.", load_default="")


class SupervisionPlanUpdateSchema(ma.Schema):
    title = _text("Tên kế hoạch.")
    content = _text("Nội dung.")


class SupervisionPlanApproveSchema(ma.Schema):
    approved_on = fields.Date(load_default=None)


class SupervisionCommentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True, allow_none=True)
    content = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class SupervisionCommentCreateSchema(ma.Schema):
    content = _text("Nội dung góp ý.", required=True)
    person_id = fields.Integer(load_default=None, allow_none=True,
                               metadata={"description": "Người được góp ý (trong hoạt động)."})


class SupervisionActivitySummarySchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    plan_id = fields.Integer(dump_only=True, allow_none=True)
    kind = _enum(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.", dump_only=True)
    kind_label = _label("kind", ACTIVITY_KIND_LABELS)
    title = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True)
    participants_count = fields.Integer(dump_only=True)
    participants = fields.String(dump_only=True)
    findings = fields.String(dump_only=True)
    person_ids = fields.Function(lambda a: [p.id for p in a.people], dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionActivitySchema(SupervisionActivitySummarySchema):
    comments = fields.List(fields.Nested(SupervisionCommentSchema), dump_only=True)


class SupervisionActivityQueryArgsSchema(_UnitScopeArgs):
    organization_id = fields.Integer()
    kind = _enum(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.")
    plan_id = fields.Integer()
    person_id = fields.Integer()
    starts_from = fields.Date()
    starts_to = fields.Date()


class _ActivityFields(ma.Schema):
    kind = _enum(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.")
    title = _text("Tên hoạt động.")
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True, metadata={"description": "Mặc định bằng ngày bắt đầu."})
    plan_id = fields.Integer(allow_none=True)
    participants_count = fields.Integer(metadata={"description": "Số người tham dự."})
    participants = _text("Thành phần tham dự.")
    findings = _text("Kết quả giám sát.")
    person_ids = fields.List(fields.Integer(), metadata={"description": "Người được giám sát."})


class SupervisionActivityCreateSchema(_ActivityFields):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    kind = _enum(ActivityKind, ACTIVITY_KIND_LABELS, "Hình thức.", required=True)
    title = _text("Tên hoạt động.", required=True)
    starts_on = fields.Date(required=True)


class SupervisionActivityUpdateSchema(_ActivityFields):
    pass


# --- recommendations ------------------------------------------------------------------------

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
    addressee_kind = _enum(AddresseeKind, ADDRESSEE_KIND_LABELS, "Nơi nhận.", dump_only=True)
    addressee_name = fields.String(dump_only=True)
    content = fields.String(dump_only=True)
    issued_on = fields.Date(dump_only=True)
    expected_answer = _enum(ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Yêu cầu.", dump_only=True)
    due_on = fields.Date(dump_only=True, metadata={"description": "Hạn trả lời (ngày làm việc)."})
    status = _enum(RecommendationStatus, RECOMMENDATION_STATUS_LABELS, "Trạng thái.",
                   dump_only=True)
    status_label = _label("status", RECOMMENDATION_STATUS_LABELS)
    is_overdue = fields.Function(lambda r: r.is_overdue(), dump_only=True)
    answer = fields.String(dump_only=True)
    answered_on = fields.Date(dump_only=True, allow_none=True)
    withdrawn_reason = fields.String(dump_only=True)
    reminders = fields.List(fields.Nested(SupervisionReminderSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionRecommendationQueryArgsSchema(_UnitScopeArgs):
    status = _enum(RecommendationStatus, RECOMMENDATION_STATUS_LABELS, "Trạng thái.")
    overdue = fields.Boolean(metadata={"description": "true: chỉ kiến nghị quá hạn trả lời."})
    person_id = fields.Integer()
    activity_id = fields.Integer()
    organization_id = fields.Integer()


class SupervisionRecommendationCreateSchema(ma.Schema):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    addressee_kind = _enum(AddresseeKind, ADDRESSEE_KIND_LABELS, "Nơi nhận.", required=True)
    addressee_name = _text("Tên nơi nhận, ví dụ “Đảng ủy xã …”.", required=True)
    content = _text("Nội dung kiến nghị.", required=True)
    expected_answer = _enum(ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Yêu cầu trả lời.",
                            required=True)
    issued_on = fields.Date(load_default=None, metadata={"description": "Mặc định hôm nay."})
    activity_id = fields.Integer(load_default=None, allow_none=True)
    person_id = fields.Integer(load_default=None, allow_none=True)


class SupervisionAnswerSchema(ma.Schema):
    outcome = _enum(ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Kết quả trả lời.", required=True)
    answer = _text("Nội dung trả lời.", required=True)
    answered_on = fields.Date(load_default=None)


class SupervisionReminderCreateSchema(ma.Schema):
    note = _text("Nội dung đôn đốc (văn bản, cách thức).", required=True)
    reminded_on = fields.Date(load_default=None)


class SupervisionWithdrawSchema(ma.Schema):
    reason = _text("Lý do rút kiến nghị.", required=True)


# --- dialogues ------------------------------------------------------------------------------

class SupervisionIssueSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    dialogue_id = fields.Integer(dump_only=True)
    content = fields.String(dump_only=True)
    answer = fields.String(dump_only=True)


class SupervisionCommitmentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    dialogue_id = fields.Integer(dump_only=True)
    issue_id = fields.Integer(dump_only=True, allow_none=True)
    content = fields.String(dump_only=True)
    responsible = fields.String(dump_only=True)
    due_on = fields.Date(dump_only=True, allow_none=True)
    status = _enum(CommitmentStatus, COMMITMENT_STATUS_LABELS, "Theo dõi.", dump_only=True)
    status_label = _label("status", COMMITMENT_STATUS_LABELS)
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
    status = _enum(DialogueStatus, DIALOGUE_STATUS_LABELS, "Trạng thái.", dump_only=True)
    chaired_by = fields.String(dump_only=True)
    heads_present = fields.String(dump_only=True)
    participants_count = fields.Integer(dump_only=True)
    participants = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    issues = fields.List(fields.Nested(SupervisionIssueSchema), dump_only=True)
    commitments = fields.List(fields.Nested(SupervisionCommitmentSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionDialogueQueryArgsSchema(_UnitScopeArgs):
    organization_id = fields.Integer()
    held_from = fields.Date()
    held_to = fields.Date()


class _DialogueFields(ma.Schema):
    title = _text("Chủ đề.")
    held_on = fields.Date()
    place = _text("Địa điểm.")
    status = _enum(DialogueStatus, DIALOGUE_STATUS_LABELS, "Trạng thái.")
    chaired_by = _text("Chủ trì.")
    heads_present = _text("Người đứng đầu cấp ủy, chính quyền tham dự.")
    participants_count = fields.Integer()
    participants = _text("Thành phần.")
    summary = _text("Kết quả.")


class SupervisionDialogueCreateSchema(_DialogueFields):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    title = _text("Chủ đề.", required=True)
    held_on = fields.Date(required=True)


class SupervisionDialogueUpdateSchema(_DialogueFields):
    pass


class SupervisionIssueCreateSchema(ma.Schema):
    content = _text("Vấn đề nêu ra.", required=True)
    answer = _text("Trả lời tại buổi đối thoại.", load_default="")


class SupervisionCommitmentCreateSchema(ma.Schema):
    content = _text("Nội dung cam kết.", required=True)
    responsible = _text("Người chịu trách nhiệm.", load_default="")
    due_on = fields.Date(load_default=None, allow_none=True)
    issue_id = fields.Integer(load_default=None, allow_none=True)


class SupervisionCommitmentQueryArgsSchema(_UnitScopeArgs):
    dialogue_id = fields.Integer()
    status = _enum(CommitmentStatus, COMMITMENT_STATUS_LABELS, "Theo dõi.")
    overdue = fields.Boolean(metadata={"description": "true: chỉ cam kết quá hạn chưa thực hiện."})


class SupervisionCommitmentReportSchema(ma.Schema):
    status = _enum(CommitmentStatus, COMMITMENT_STATUS_LABELS, "`kept` hoặc `broken`.",
                   required=True)
    report = _text("Kết quả theo dõi.", required=True)
    reported_on = fields.Date(load_default=None)


# --- a person's overview --------------------------------------------------------------------

class SupervisionCaseMentionSchema(ma.Schema):
    """A case about the person: case fields only, never who reported it."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    received_on = fields.Date(dump_only=True)
    title = fields.String(dump_only=True)
    status = fields.Function(lambda c: c.status.value, dump_only=True)
    due_on = fields.Date(dump_only=True, allow_none=True)


class SupervisionPersonOverviewSchema(ma.Schema):
    person = fields.Nested(SupervisionPersonSchema, dump_only=True)
    assignments = fields.List(fields.Nested(SupervisionAssignmentSchema), dump_only=True)
    activities = fields.List(fields.Nested(SupervisionActivitySummarySchema), dump_only=True)
    comments = fields.List(fields.Nested(SupervisionCommentSchema), dump_only=True)
    recommendations = fields.List(fields.Nested(SupervisionRecommendationSchema), dump_only=True)
    cases = fields.List(fields.Nested(SupervisionCaseMentionSchema), dump_only=True)
