"""API schemas of the boards (Ban TTND, Ban GSĐTCĐ) and their members."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.board_models import BoardKind, BoardRole
from giamsat.supervision.labels import BOARD_KIND_LABELS, BOARD_ROLE_LABELS
from giamsat.supervision.schemas.fields import UnitScopeArgs, enum_field, label_field, text_field


class BoardMemberSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    board_id = fields.Integer(dump_only=True)
    full_name = fields.String(dump_only=True)
    role = enum_field(BoardRole, BOARD_ROLE_LABELS, "Vai trò trong ban.", dump_only=True)
    role_label = label_field("role", BOARD_ROLE_LABELS)
    from_on = fields.Date(dump_only=True, allow_none=True)
    to_on = fields.Date(dump_only=True, allow_none=True)
    is_current = fields.Function(lambda m: m.to_on is None, dump_only=True)
    note = fields.String(dump_only=True)


class BoardSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    kind = enum_field(BoardKind, BOARD_KIND_LABELS, "Loại ban.", dump_only=True)
    kind_label = label_field("kind", BOARD_KIND_LABELS)
    term_start_year = fields.Integer(dump_only=True)
    term_end_year = fields.Integer(dump_only=True)
    decision = fields.String(dump_only=True)
    note = fields.String(dump_only=True)
    members = fields.List(fields.Nested(BoardMemberSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class BoardQueryArgsSchema(UnitScopeArgs):
    kind = enum_field(BoardKind, BOARD_KIND_LABELS, "Loại ban.")
    year = fields.Integer(metadata={"description": "Chỉ các ban có nhiệm kỳ gồm năm này."})


class _BoardFields(ma.Schema):
    kind = enum_field(BoardKind, BOARD_KIND_LABELS, "Loại ban.")
    term_start_year = fields.Integer(metadata={"description": "Năm bắt đầu nhiệm kỳ."})
    term_end_year = fields.Integer(metadata={"description": "Năm kết thúc nhiệm kỳ."})
    decision = text_field("Quyết định thành lập / công nhận.")
    note = text_field("Ghi chú.")


class BoardCreateSchema(_BoardFields):
    unit_id = fields.Integer(required=True)
    kind = enum_field(BoardKind, BOARD_KIND_LABELS, "Loại ban.", required=True)
    term_start_year = fields.Integer(required=True)
    term_end_year = fields.Integer(required=True)


class BoardUpdateSchema(_BoardFields):
    pass


class _MemberFields(ma.Schema):
    full_name = text_field("Họ và tên.")
    role = enum_field(BoardRole, BOARD_ROLE_LABELS, "Vai trò trong ban.")
    from_on = fields.Date(allow_none=True, metadata={"description": "Ngày bắt đầu tham gia."})
    to_on = fields.Date(
        allow_none=True, metadata={"description": "Ngày thôi tham gia; trống là còn trong ban."}
    )
    note = text_field("Ghi chú.")


class BoardMemberCreateSchema(_MemberFields):
    full_name = text_field("Họ và tên.", required=True)


class BoardMemberUpdateSchema(_MemberFields):
    pass
