"""API schemas of yearly supervision plans."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.supervision.labels import PLAN_STATUS_LABELS
from giamsat.supervision.models import PlanStatus
from giamsat.supervision.schemas.fields import UnitScopeArgs, enum_field, text_field


class SupervisionPlanSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    year = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    content = fields.String(dump_only=True)
    status = enum_field(PlanStatus, PLAN_STATUS_LABELS, "Trạng thái.", dump_only=True)
    approved_on = fields.Date(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionPlanQueryArgsSchema(UnitScopeArgs):
    organization_id = fields.Integer()
    year = fields.Integer()


class SupervisionPlanCreateSchema(ma.Schema):
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    title = text_field("Tên kế hoạch.", required=True)
    content = text_field("Nội dung.", load_default="")


class SupervisionPlanUpdateSchema(ma.Schema):
    title = text_field("Tên kế hoạch.")
    content = text_field("Nội dung.")


class SupervisionPlanApproveSchema(ma.Schema):
    approved_on = fields.Date(load_default=None)
