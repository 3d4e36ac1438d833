"""API schemas of the current user and their personal API tokens."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields


class RoleGrantSchema(ma.Schema):
    """A role the user holds at a unit; it covers that unit's whole subtree."""

    role = fields.Function(
        lambda grant: grant.role.value,
        dump_only=True,
        metadata={"enum": ["tenant_admin", "unit_admin", "staff", "leader", "readonly"]},
    )
    unit_id = fields.Integer(dump_only=True)
    unit_name = fields.Function(lambda grant: grant.unit.name, dump_only=True)
    organization_id = fields.Integer(dump_only=True, allow_none=True)
    organization_name = fields.Function(
        lambda grant: grant.organization.name if grant.organization else None, dump_only=True
    )


class MeSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    email = fields.String(dump_only=True, allow_none=True)
    locale = fields.String(dump_only=True)
    roles = fields.List(fields.Nested(RoleGrantSchema), dump_only=True)


class ApiTokenSchema(ma.Schema):
    """A token as listed: never the token itself, only its first characters."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    prefix = fields.String(dump_only=True, metadata={"description": "Vài ký tự đầu của mã."})
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)
    scope = fields.String(
        dump_only=True,
        metadata={"enum": ["read", "read_write"], "description": "read: chỉ được đọc (GET)."},
    )
    expires_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "Sau lúc này mã trả 401."}
    )


class ApiTokenStateSchema(ma.Schema):
    """What the ETag of a token covers: not `last_used_at`, which every use of it moves."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class ApiTokenCreateSchema(ma.Schema):
    name = fields.String(
        required=True, metadata={"description": "Tên gợi nhớ, ví dụ “Máy tính phòng họp”."}
    )


class ApiTokenQueryArgsSchema(ma.Schema):
    include_revoked = fields.Boolean(
        load_default=False, metadata={"description": "Lấy cả mã đã thu hồi."}
    )
