"""API schemas of assignments (phân công giám sát)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.labels import PLACE_LABELS
from giamsat.supervision.models import Place
from giamsat.supervision.schemas.fields import UnitScopeArgs, enum_field, label_field, text_field


class SupervisionAssignmentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True)
    person_name = fields.Function(lambda a: a.person.full_name, dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    organization_name = fields.Function(lambda a: a.organization.short_name, dump_only=True)
    place = enum_field(Place, PLACE_LABELS, "Nơi giám sát.", dump_only=True)
    place_label = label_field("place", PLACE_LABELS)
    valid_from = fields.Date(dump_only=True)
    valid_to = fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Ngày cuối; null khi đang phân công."},
    )
    is_current = fields.Boolean(dump_only=True)
    replaces_id = fields.Integer(dump_only=True, allow_none=True)
    note = fields.String(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionAssignmentQueryArgsSchema(UnitScopeArgs):
    person_id = fields.Integer()
    organization_id = fields.Integer()
    place = enum_field(Place, PLACE_LABELS, "Nơi giám sát.")
    current_only = fields.Boolean(load_default=False)


class SupervisionAssignmentCreateSchema(ma.Schema):
    person_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    place = enum_field(Place, PLACE_LABELS, "Nơi giám sát.", required=True)
    valid_from = fields.Date(load_default=None, metadata={"description": "Mặc định hôm nay."})
    note = text_field("Ghi chú.", load_default="")


class SupervisionAssignmentChangeSchema(ma.Schema):
    organization_id = fields.Integer(load_default=None)
    place = enum_field(Place, PLACE_LABELS, "Nơi giám sát mới.", load_default=None)
    on = fields.Date(
        load_default=None, metadata={"description": "Ngày phân công mới bắt đầu; mặc định hôm nay."}
    )
    note = text_field("Ghi chú.", load_default="")


class SupervisionAssignmentEndSchema(ma.Schema):
    valid_to = fields.Date(
        load_default=None, metadata={"description": "Ngày cuối; mặc định hôm nay."}
    )
    note = text_field("Ghi chú.", load_default=None)
