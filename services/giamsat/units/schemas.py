"""API schemas of the unit tree: output, create, update and query-argument schemas kept apart."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from giamsat.units.operations import RESIDENTIAL_AREA_KINDS

_KINDS_DOC = {
    "enum": list(RESIDENTIAL_AREA_KINDS),
    "description": "Loại khu dân cư (thôn, tổ dân phố…).",
}


class LevelSchema(ma.Schema):
    code = fields.String(dump_only=True, metadata={"description": "Mã cấp, ví dụ `commune`."})
    rank = fields.Integer(
        dump_only=True, metadata={"description": "0 là cấp tỉnh, tăng dần xuống dưới."}
    )
    name_vi = fields.String(dump_only=True)
    name_en = fields.String(dump_only=True)
    is_residential_area = fields.Boolean(dump_only=True)
    holds_residential_areas = fields.Boolean(dump_only=True)


class UnitSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    level_code = fields.String(dump_only=True)
    parent_id = fields.Integer(dump_only=True, allow_none=True)
    name = fields.String(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"description": "xã, phường, thôn…"})
    official_code = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Mã hành chính (QĐ 19/2025/QĐ-TTg)."},
    )
    valid_from = fields.Date(dump_only=True)
    valid_to = fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Ngày ngừng hoạt động; null khi còn dùng."},
    )
    successor_id = fields.Integer(dump_only=True, allow_none=True)
    is_current = fields.Function(lambda unit: unit.is_current(), dump_only=True)


class UnitQueryArgsSchema(ma.Schema):
    level = fields.String(metadata={"description": "Chỉ lấy đơn vị thuộc cấp này (mã cấp)."})
    parent_id = fields.Integer(metadata={"description": "Chỉ lấy đơn vị trực thuộc đơn vị này."})
    q = fields.String(
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "Tìm theo tên (không phân biệt hoa thường)."},
    )
    include_retired = fields.Boolean(
        load_default=False, metadata={"description": "Lấy cả đơn vị đã ngừng hoạt động."}
    )


class SubtreeQueryArgsSchema(ma.Schema):
    level = fields.String(metadata={"description": "Chỉ lấy đơn vị thuộc cấp này (mã cấp)."})
    include_retired = fields.Boolean(load_default=False)


class ChildrenQueryArgsSchema(ma.Schema):
    include_retired = fields.Boolean(load_default=False)


class ResidentialAreaSchema(ma.Schema):
    """A khu dân cư (thôn, tổ dân phố…) and the commune it belongs to."""

    id = fields.Integer(dump_only=True)
    commune_id = fields.Integer(attribute="parent_id", dump_only=True)
    name = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)
    valid_from = fields.Date(dump_only=True)
    valid_to = fields.Date(dump_only=True, allow_none=True)
    successor_id = fields.Integer(dump_only=True, allow_none=True)
    retired_reason = fields.String(dump_only=True, allow_none=True)
    is_current = fields.Function(lambda unit: unit.is_current(), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ResidentialAreaQueryArgsSchema(ma.Schema):
    commune_id = fields.Integer(metadata={"description": "Chỉ lấy khu dân cư của xã/phường này."})
    include_retired = fields.Boolean(load_default=False)


# The rules on names and kinds live in units.operations; these schemas only check types,
# so every rule has one home and one Vietnamese message.
class ResidentialAreaCreateSchema(ma.Schema):
    commune_id = fields.Integer(required=True, metadata={"description": "Xã/phường quản lý."})
    name = fields.String(required=True, metadata={"description": "Tên, ví dụ “Thôn Đông”."})
    kind = fields.String(required=True, metadata=_KINDS_DOC)
    valid_from = fields.Date(
        load_default=None, metadata={"description": "Ngày bắt đầu; mặc định hôm nay."}
    )


class ResidentialAreaUpdateSchema(ma.Schema):
    name = fields.String(metadata={"description": "Tên mới."})
    kind = fields.String(metadata=_KINDS_DOC)


class ResidentialAreaRetireSchema(ma.Schema):
    reason = fields.String(
        required=True, metadata={"description": "Lý do, ví dụ “sáp nhập vào Thôn Đông”."}
    )
    valid_to = fields.Date(
        load_default=None, metadata={"description": "Ngày ngừng hoạt động; mặc định hôm nay."}
    )
    successor_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Khu dân cư kế thừa (cùng xã/phường)."},
    )


class OrganizationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(
        dump_only=True, metadata={"description": "mttq, hlhpn, hnd, hccb, doan, congdoan"}
    )
    name = fields.String(dump_only=True)
    short_name = fields.String(dump_only=True)
    sort_order = fields.Integer(dump_only=True)
    level_codes = fields.List(
        fields.String(),
        dump_only=True,
        allow_none=True,
        metadata={"description": "Cấp có tổ chức này; null là mọi cấp."},
    )
