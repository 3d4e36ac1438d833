"""API schemas of people under supervision and their XLSX import."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields

from giamsat.http.cursors import KEY_TEXT_ID, CursorField
from giamsat.supervision.labels import (
    MANAGEMENT_LEVEL_LABELS,
    PLACE_LABELS,
    TIER_LABELS,
)
from giamsat.supervision.models import ManagementLevel, PersonTier, Place
from giamsat.supervision.schemas.fields import UnitScopeArgs, enum_field, label_field, text_field


class SupervisionPersonSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    full_name = fields.String(dump_only=True)
    birth_year = fields.Integer(dump_only=True, allow_none=True)
    position = fields.String(dump_only=True)
    tier = enum_field(PersonTier, TIER_LABELS, "Đối tượng.", dump_only=True)
    tier_label = label_field("tier", TIER_LABELS)
    workplace_agency = fields.String(dump_only=True)
    workplace_unit = fields.String(dump_only=True)
    residence_area_id = fields.Integer(dump_only=True, allow_none=True)
    residence = fields.String(dump_only=True)
    management_level = enum_field(
        ManagementLevel, MANAGEMENT_LEVEL_LABELS, "Diện quản lý.", dump_only=True
    )
    management_level_label = label_field("management_level", MANAGEMENT_LEVEL_LABELS)
    is_party_member = fields.Boolean(dump_only=True)
    notes = fields.String(dump_only=True)
    is_active = fields.Boolean(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SupervisionPersonQueryArgsSchema(UnitScopeArgs):
    after = CursorField(KEY_TEXT_ID)
    tier = enum_field(PersonTier, TIER_LABELS, "Lọc theo đối tượng.")
    management_level = enum_field(
        ManagementLevel, MANAGEMENT_LEVEL_LABELS, "Lọc theo diện quản lý."
    )
    place = enum_field(Place, PLACE_LABELS, "Chỉ người đang được phân công giám sát ở nơi này.")
    is_party_member = fields.Boolean()
    q = text_field(
        "Tìm theo họ tên hoặc cơ quan (có dấu hay không dấu đều được).",
        validate=ma.validate.Length(min=1, max=100),
    )
    include_inactive = fields.Boolean(
        load_default=False, metadata={"description": "Lấy cả người đã ra khỏi danh sách."}
    )


class _PersonFields(ma.Schema):
    full_name = text_field("Họ và tên.")
    birth_year = fields.Integer(allow_none=True, metadata={"description": "Năm sinh (4 chữ số)."})
    position = text_field("Chức vụ.")
    tier = enum_field(PersonTier, TIER_LABELS, "Đối tượng.")
    workplace_agency = text_field("Cơ quan công tác.")
    workplace_unit = text_field("Đơn vị (phòng, ban).")
    residence_area_id = fields.Integer(
        allow_none=True, metadata={"description": "Khu dân cư nơi cư trú."}
    )
    residence = text_field("Nơi cư trú (ghi chữ).")
    management_level = enum_field(ManagementLevel, MANAGEMENT_LEVEL_LABELS, "Diện quản lý.")
    is_party_member = fields.Boolean()
    notes = text_field("Ghi chú.")


class SupervisionPersonCreateSchema(_PersonFields):
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị có danh sách."})
    full_name = text_field("Họ và tên.", required=True)
    tier = enum_field(PersonTier, TIER_LABELS, "Đối tượng.", required=True)


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
    errors = fields.List(
        fields.String(), dump_only=True, metadata={"description": "Lỗi từng dòng, “Dòng 7: …”."}
    )
    can_import = fields.Boolean(attribute="is_valid", dump_only=True)


class SupervisionImportResultSchema(ma.Schema):
    imported = fields.Integer(dump_only=True)
    ids = fields.List(fields.Integer(), dump_only=True)


class SupervisionExportQueryArgsSchema(SupervisionPersonQueryArgsSchema):
    class Meta:
        exclude = ("after",)  # the export is the whole filtered list
