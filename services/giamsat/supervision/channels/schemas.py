"""API schemas of voter meetings and their issues, meeting attendance and respected people.
The respected person's contact is in the one-person schema only; lists carry it masked."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.channels.labels import (
    MEETING_BODY_LABELS,
    MEETING_KIND_LABELS,
    RESPECTED_KIND_LABELS,
)
from giamsat.supervision.channels.masking import masked_contact
from giamsat.supervision.channels.models import (
    CitizenMeetingKind,
    MeetingBody,
    RespectedKind,
    RespectedRole,
)
from giamsat.supervision.labels import (
    ADDRESSEE_KIND_LABELS,
    EXPECTED_ANSWER_LABELS,
)
from giamsat.supervision.models import AddresseeKind, ExpectedAnswer
from giamsat.supervision.schemas.fields import UnitScopeArgs, enum_field, label_field, text_field

# --- voter meetings and opinion collection --------------------------------------------------


class CitizenIssueSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)
    content = fields.String(dump_only=True)
    forwarded_to = fields.String(dump_only=True)
    answer = fields.String(dump_only=True)
    answered_on = fields.Date(dump_only=True, allow_none=True)
    case_id = fields.Integer(dump_only=True, allow_none=True)
    recommendation_id = fields.Integer(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class CitizenMeetingSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    kind = enum_field(CitizenMeetingKind, MEETING_KIND_LABELS, "Hình thức.", dump_only=True)
    kind_label = label_field("kind", MEETING_KIND_LABELS)
    held_on = fields.Date(dump_only=True)
    place = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    participants_count = fields.Integer(dump_only=True)
    participants = fields.String(dump_only=True)
    issues = fields.List(fields.Nested(CitizenIssueSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class CitizenMeetingQueryArgsSchema(UnitScopeArgs):
    kind = enum_field(CitizenMeetingKind, MEETING_KIND_LABELS, "Hình thức.")
    held_from = fields.Date()
    held_to = fields.Date()


class _MeetingFields(ma.Schema):
    kind = enum_field(CitizenMeetingKind, MEETING_KIND_LABELS, "Hình thức.")
    held_on = fields.Date()
    place = text_field("Địa điểm.")
    title = text_field("Nội dung, ví dụ “Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã”.")
    participants_count = fields.Integer(metadata={"description": "Số người dự."})
    participants = text_field("Thành phần tham dự.")


class CitizenMeetingCreateSchema(_MeetingFields):
    unit_id = fields.Integer(required=True)
    kind = enum_field(CitizenMeetingKind, MEETING_KIND_LABELS, "Hình thức.", required=True)
    held_on = fields.Date(required=True)
    place = text_field("Địa điểm.", required=True)


class CitizenMeetingUpdateSchema(_MeetingFields):
    pass


class _IssueFields(ma.Schema):
    content = text_field("Ý kiến, kiến nghị của cử tri.")
    forwarded_to = text_field("Nơi chuyển đến, ví dụ “UBND xã”.")
    answer = text_field("Nội dung trả lời.")
    answered_on = fields.Date(allow_none=True)


class CitizenIssueCreateSchema(_IssueFields):
    content = text_field("Ý kiến, kiến nghị của cử tri.", required=True)


class CitizenIssueUpdateSchema(_IssueFields):
    pass


class CitizenIssueCaseSchema(ma.Schema):
    kind = fields.String(
        load_default="petition",
        metadata={"description": "Loại thông tin của hồ sơ (mặc định `petition`)."},
    )
    title = text_field("Tiêu đề hồ sơ (mặc định: đầu nội dung ý kiến).", load_default=None)
    organization_id = fields.Integer(load_default=None, allow_none=True)
    area_id = fields.Integer(load_default=None, allow_none=True)


class CitizenIssueCaseCreatedSchema(ma.Schema):
    issue = fields.Nested(CitizenIssueSchema, dump_only=True)
    case_id = fields.Integer(dump_only=True)
    case_number = fields.String(dump_only=True)


class CitizenIssueRecommendationSchema(ma.Schema):
    organization_id = fields.Integer(required=True)
    addressee_kind = enum_field(AddresseeKind, ADDRESSEE_KIND_LABELS, "Nơi nhận.", required=True)
    addressee_name = text_field("Tên nơi nhận (mặc định: nơi ý kiến được chuyển đến).")
    expected_answer = enum_field(
        ExpectedAnswer, EXPECTED_ANSWER_LABELS, "Yêu cầu trả lời.", required=True
    )
    content = text_field("Nội dung kiến nghị (mặc định: nội dung ý kiến).")
    issued_on = fields.Date(load_default=None)


class CitizenIssueRecommendedSchema(ma.Schema):
    issue = fields.Nested(CitizenIssueSchema, dump_only=True)
    recommendation_id = fields.Integer(dump_only=True)
    due_on = fields.Date(dump_only=True)


# --- meeting attendance -----------------------------------------------------------------------


class MeetingAttendanceSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    held_on = fields.Date(dump_only=True)
    body = enum_field(MeetingBody, MEETING_BODY_LABELS, "Cơ quan họp.", dump_only=True)
    body_label = label_field("body", MEETING_BODY_LABELS)
    title = fields.String(dump_only=True)
    attended_by = fields.String(dump_only=True)
    notes = fields.String(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class MeetingAttendanceQueryArgsSchema(UnitScopeArgs):
    body = enum_field(MeetingBody, MEETING_BODY_LABELS, "Cơ quan họp.")
    held_from = fields.Date()
    held_to = fields.Date()


class _AttendanceFields(ma.Schema):
    held_on = fields.Date()
    body = enum_field(MeetingBody, MEETING_BODY_LABELS, "Cơ quan họp.")
    title = text_field("Cuộc họp, ví dụ “Kỳ họp thứ 5 HĐND xã”.")
    attended_by = text_field("Người dự họp thay mặt Ủy ban MTTQ.")
    notes = text_field("Ghi chú.")


class MeetingAttendanceCreateSchema(_AttendanceFields):
    unit_id = fields.Integer(required=True)
    held_on = fields.Date(required=True)
    body = enum_field(MeetingBody, MEETING_BODY_LABELS, "Cơ quan họp.", required=True)
    title = text_field("Cuộc họp.", required=True)
    attended_by = text_field("Người dự họp.", required=True)


class MeetingAttendanceUpdateSchema(_AttendanceFields):
    pass


# --- respected people and core members ---------------------------------------------------------

_ROLES_DOC = "Vai trò: " + ", ".join(f"`{r.value}`" for r in RespectedRole) + "."


class RespectedPersonListSchema(ma.Schema):
    """One row of the register: the contact masked."""

    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    area_id = fields.Integer(dump_only=True)
    area_name = fields.Function(lambda p: p.area.name, dump_only=True)
    full_name = fields.String(dump_only=True)
    kind = enum_field(RespectedKind, RESPECTED_KIND_LABELS, "Loại.", dump_only=True)
    kind_label = label_field("kind", RESPECTED_KIND_LABELS)
    roles = fields.List(fields.String(), dump_only=True, metadata={"description": _ROLES_DOC})
    contact_masked = fields.Function(lambda p: masked_contact(p.contact), dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class RespectedPersonSchema(RespectedPersonListSchema):
    """One person, with the contact in full (for those who may see the register)."""

    contact = fields.String(dump_only=True)
    notes = fields.String(dump_only=True)


class RespectedPersonQueryArgsSchema(UnitScopeArgs):
    area_id = fields.Integer()
    kind = enum_field(RespectedKind, RESPECTED_KIND_LABELS, "Loại.")
    role = fields.Enum(RespectedRole, by_value=True, metadata={"description": _ROLES_DOC})
    q = text_field("Tìm theo họ tên (không phân biệt dấu).")
    active = fields.Boolean(
        load_default=True, metadata={"description": "false: người đã thôi (mặc định: đang có)."}
    )


class _RespectedFields(ma.Schema):
    area_id = fields.Integer()
    full_name = text_field("Họ và tên.")
    kind = enum_field(RespectedKind, RESPECTED_KIND_LABELS, "Loại.")
    roles = fields.List(fields.String(), metadata={"description": _ROLES_DOC})
    contact = text_field("Số điện thoại hoặc địa chỉ (dữ liệu cá nhân).")
    notes = text_field("Ghi chú.")


class RespectedPersonCreateSchema(_RespectedFields):
    unit_id = fields.Integer(required=True)
    area_id = fields.Integer(required=True)
    full_name = text_field("Họ và tên.", required=True)
    kind = enum_field(RespectedKind, RESPECTED_KIND_LABELS, "Loại.", required=True)


class RespectedPersonUpdateSchema(_RespectedFields):
    is_active = fields.Boolean()
