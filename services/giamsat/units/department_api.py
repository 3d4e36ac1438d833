"""REST resources of a unit's departments (Ban DC-PL, the organizations' liaison departments…)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields

from giamsat.http.api import TenantBlueprint, current_principal, tenant_session
from giamsat.units import departments
from giamsat.units.models import DepartmentKind

_KINDS = "; ".join(f"`{k.value}` = {label}" for k, label in departments.KIND_LABELS.items())

departments_blp = TenantBlueprint(
    "departments",
    __name__,
    "/departments",
    description="Các ban của Ủy ban ở từng đơn vị (Ban Dân chủ – Pháp luật, ban liên lạc của "
    "tổ chức thành viên…), nơi phụ trách hồ sơ, hoạt động giám sát và báo cáo của đơn vị. "
    "Quản trị viên của đơn vị thêm, sửa.",
)


class DepartmentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(dump_only=True)
    kind = fields.Enum(DepartmentKind, by_value=True, dump_only=True)
    name = fields.String(dump_only=True)
    organization_id = fields.Integer(dump_only=True, allow_none=True)
    note = fields.String(dump_only=True)
    is_active = fields.Boolean(dump_only=True)


class DepartmentQueryArgsSchema(ma.Schema):
    unit_id = fields.Integer(
        required=True, metadata={"description": "Đơn vị (ngoài phạm vi: 404)."}
    )
    active_only = fields.Boolean(load_default=False)


class _DepartmentFields(ma.Schema):
    kind = fields.String(metadata={"description": f"Loại ban: {_KINDS}."})
    name = fields.String()
    organization_id = fields.Integer(allow_none=True)
    note = fields.String()
    is_active = fields.Boolean()


class DepartmentCreateSchema(_DepartmentFields):
    unit_id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": f"Loại ban: {_KINDS}."})
    name = fields.String(required=True)


@departments_blp.route("")
class Departments(MethodView):
    @departments_blp.arguments(DepartmentQueryArgsSchema, location="query")
    @departments_blp.response(200, DepartmentSchema(many=True))
    def get(self, args):
        """Các ban của một đơn vị"""
        return departments.list_departments(
            tenant_session(), current_principal(), args["unit_id"], active_only=args["active_only"]
        )

    @departments_blp.arguments(DepartmentCreateSchema)
    @departments_blp.response(201, DepartmentSchema)
    def post(self, data):
        """Thêm một ban (quản trị viên của đơn vị)"""
        return departments.create_department(tenant_session(), current_principal(), **data)


@departments_blp.route("/<int:department_id>")
class DepartmentById(MethodView):
    @departments_blp.response(200, DepartmentSchema)
    def get(self, department_id):
        """Một ban"""
        return departments.get_department(tenant_session(), department_id, current_principal())

    @departments_blp.arguments(_DepartmentFields)
    @departments_blp.response(200, DepartmentSchema)
    def patch(self, data, department_id):
        """Sửa ban; `is_active: false` khi ban giải thể (hồ sơ cũ vẫn giữ ban)"""
        return departments.update_department(
            tenant_session(), current_principal(), department_id, **data
        )
