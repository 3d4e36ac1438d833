"""API schemas of people management."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.accounts.schemas import RoleGrantSchema

_ROLES = ["tenant_admin", "unit_admin", "staff", "leader", "readonly"]


class PersonGrantSchema(RoleGrantSchema):
    id = fields.Integer(dump_only=True)


class PersonSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    email = fields.String(dump_only=True, allow_none=True)
    phone = fields.String(dump_only=True, allow_none=True)
    locale = fields.String(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    must_change_password = fields.Boolean(
        dump_only=True, metadata={"description": "Chưa tự đặt mật khẩu sau lần đăng nhập đầu."}
    )
    last_login_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    roles = fields.List(fields.Nested(PersonGrantSchema), dump_only=True)


class PersonCreatedSchema(PersonSchema):
    delivery = fields.String(
        dump_only=True,
        metadata={
            "enum": ["email", "sheet"],
            "description": "email: liên kết đăng nhập lần đầu đang được gửi; sheet: mật khẩu "
            "tạm trong `temporary_password`.",
        },
    )
    temporary_password = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Mật khẩu tạm, chỉ trả về một lần; người dùng phải đổi."},
    )


class GrantArgsSchema(ma.Schema):
    role = fields.String(required=True, validate=ma.validate.OneOf(_ROLES))
    unit_id = fields.Integer(required=True)
    organization_id = fields.Integer(load_default=None, allow_none=True)


class PersonCreateSchema(GrantArgsSchema):
    full_name = fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    email = fields.String(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    username = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "Mặc định: thư điện tử, hoặc “dt” + số điện thoại."},
    )


class PersonUpdateSchema(ma.Schema):
    full_name = fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    email = fields.String(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    locale = fields.String(load_default=None, validate=ma.validate.OneOf(["vi", "en"]))


class PersonQueryArgsSchema(ma.Schema):
    q = fields.String(
        load_default=None, metadata={"description": "Tìm theo tên, tên đăng nhập, thư, số ĐT."}
    )
    unit_id = fields.Integer(
        load_default=None,
        metadata={"description": "Người có vai trò tại đơn vị này hoặc cấp dưới."},
    )
    is_active = fields.Boolean(load_default=None, allow_none=True)
