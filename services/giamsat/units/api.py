"""REST resources of the unit tree: units, residential areas, organizations and levels."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Page
from sqlalchemy import Select, select

from giamsat.http.api import (
    SelectPage,
    TenantBlueprint,
    current_principal,
    tenant_session,
)
from giamsat.units import operations
from giamsat.units.department_api import departments_blp
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.queries import (
    get_residential_area,
    get_unit,
    list_children,
    list_levels,
    list_organizations,
    subtree_query,
    visible_units_clause,
)
from giamsat.units.schemas import (
    ChildrenQueryArgsSchema,
    LevelSchema,
    OrganizationSchema,
    ResidentialAreaCreateSchema,
    ResidentialAreaQueryArgsSchema,
    ResidentialAreaRetireSchema,
    ResidentialAreaSchema,
    ResidentialAreaUpdateSchema,
    SubtreeQueryArgsSchema,
    UnitQueryArgsSchema,
    UnitSchema,
)

units_blp = TenantBlueprint(
    "units",
    __name__,
    "/units",
    description="Cây đơn vị (tỉnh, xã/phường, khu dân cư) trong phạm vi người dùng được xem.",
)
areas_blp = TenantBlueprint(
    "residential_areas",
    __name__,
    "/residential-areas",
    description="Khu dân cư (thôn, tổ dân phố…) do xã/phường quản lý.",
)
organizations_blp = TenantBlueprint(
    "organizations",
    __name__,
    "/organizations",
    description="Các tổ chức thành viên hoạt động trong tỉnh (MTTQ, Hội LHPN…).",
)
levels_blp = TenantBlueprint("levels", __name__, "/levels", description="Các cấp của cây đơn vị.")

BLUEPRINTS = (units_blp, areas_blp, organizations_blp, levels_blp, departments_blp)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _units_query(args: dict) -> Select:
    stmt = select(Unit).where(visible_units_clause(current_principal()))
    if args.get("level"):
        stmt = stmt.where(Unit.level_code == args["level"])
    if args.get("parent_id") is not None:
        stmt = stmt.where(Unit.parent_id == args["parent_id"])
    if args.get("q"):
        stmt = stmt.where(Unit.name.ilike(_like_pattern(args["q"].strip()), escape="\\"))
    if not args["include_retired"]:
        stmt = stmt.where(Unit.valid_to.is_(None))
    return stmt.order_by(Unit.path)


@units_blp.route("")
class Units(MethodView):
    @units_blp.arguments(UnitQueryArgsSchema, location="query")
    @units_blp.response(200, UnitSchema(many=True))
    @units_blp.paginate(SelectPage)
    def get(self, args):
        """Danh sách đơn vị trong phạm vi được xem

        Mặc định chỉ lấy đơn vị đang hoạt động, xếp theo vị trí trong cây.
        """
        return _units_query(args)


@units_blp.route("/<int:unit_id>")
class UnitById(MethodView):
    @units_blp.etag
    @units_blp.response(200, UnitSchema)
    def get(self, unit_id):
        """Một đơn vị

        Đơn vị ngoài phạm vi được xem trả 404 như đơn vị không tồn tại.
        """
        return get_unit(tenant_session(), unit_id, current_principal())


@units_blp.route("/<int:unit_id>/subtree")
class UnitSubtree(MethodView):
    @units_blp.arguments(SubtreeQueryArgsSchema, location="query")
    @units_blp.response(200, UnitSchema(many=True))
    @units_blp.paginate(SelectPage)
    def get(self, args, unit_id):
        """Cây con của một đơn vị (gồm cả đơn vị đó)"""
        principal = current_principal()
        unit = get_unit(tenant_session(), unit_id, principal)
        return subtree_query(
            unit, principal, level_code=args.get("level"), current_only=not args["include_retired"]
        )


@units_blp.route("/<int:unit_id>/children")
class UnitChildren(MethodView):
    @units_blp.arguments(ChildrenQueryArgsSchema, location="query")
    @units_blp.response(200, UnitSchema(many=True))
    @units_blp.paginate(Page)
    def get(self, args, unit_id):
        """Các đơn vị trực thuộc, xếp theo tên"""
        session = tenant_session()
        unit = get_unit(session, unit_id, current_principal())
        return list_children(session, unit, current_only=not args["include_retired"])


@areas_blp.route("")
class ResidentialAreas(MethodView):
    @areas_blp.arguments(ResidentialAreaQueryArgsSchema, location="query")
    @areas_blp.response(200, ResidentialAreaSchema(many=True))
    @areas_blp.paginate(SelectPage)
    def get(self, args):
        """Danh sách khu dân cư trong phạm vi được xem

        Lọc theo `commune_id`; xã/phường ngoài phạm vi trả 404.
        """
        principal = current_principal()
        stmt = (
            select(Unit)
            .join(Unit.level)
            .where(UnitLevel.is_residential_area.is_(True), visible_units_clause(principal))
        )
        if args.get("commune_id") is not None:
            commune = get_unit(tenant_session(), args["commune_id"], principal)
            stmt = stmt.where(Unit.parent_id == commune.id)
        if not args["include_retired"]:
            stmt = stmt.where(Unit.valid_to.is_(None))
        return stmt.order_by(Unit.parent_id, Unit.name, Unit.id)

    @areas_blp.etag
    @areas_blp.arguments(ResidentialAreaCreateSchema)
    @areas_blp.response(201, ResidentialAreaSchema)
    def post(self, data):
        """Thêm khu dân cư cho một xã/phường

        Chỉ quản trị viên của xã/phường đó hoặc cấp trên được thêm. Tên không được trùng với
        khu dân cư đang hoạt động khác của cùng xã/phường (409).
        """
        area = operations.create_residential_area(tenant_session(), current_principal(), **data)
        location = url_for("residential_areas.ResidentialAreaById", area_id=area.id)
        return area, {"Location": location}


@areas_blp.route("/<int:area_id>")
class ResidentialAreaById(MethodView):
    @areas_blp.etag
    @areas_blp.response(200, ResidentialAreaSchema)
    def get(self, area_id):
        """Một khu dân cư

        Trả về tiêu đề ETag, dùng làm If-Match khi sửa.
        """
        return get_residential_area(tenant_session(), area_id, current_principal())

    @areas_blp.etag
    @areas_blp.arguments(ResidentialAreaUpdateSchema)
    @areas_blp.response(200, ResidentialAreaSchema)
    def patch(self, data, area_id):
        """Đổi tên hoặc loại của khu dân cư

        Cần tiêu đề If-Match với ETag vừa đọc: thiếu thì 428, đã cũ thì 412.
        """
        area = get_residential_area(tenant_session(), area_id, current_principal())
        areas_blp.check_etag(area, ResidentialAreaSchema)
        return operations.update_residential_area(
            tenant_session(), current_principal(), area.id, **data
        )


@areas_blp.route("/<int:area_id>/retire")
class ResidentialAreaRetirement(MethodView):
    @areas_blp.etag
    @areas_blp.arguments(ResidentialAreaRetireSchema)
    @areas_blp.response(200, ResidentialAreaSchema)
    def post(self, data, area_id):
        """Cho khu dân cư ngừng hoạt động (sáp nhập, giải thể)

        Lịch sử vẫn được giữ. `successor_id` là khu dân cư kế thừa, phải đang hoạt động và cùng
        xã/phường. Khu dân cư đã ngừng hoạt động từ trước trả 409.
        """
        return operations.retire_residential_area(
            tenant_session(), current_principal(), area_id, **data
        )


@organizations_blp.route("")
class Organizations(MethodView):
    @organizations_blp.response(200, OrganizationSchema(many=True))
    @organizations_blp.paginate(Page)
    def get(self):
        """Các tổ chức đang được dùng trong tỉnh, theo thứ tự hiển thị"""
        return list_organizations(tenant_session())


@levels_blp.route("")
class Levels(MethodView):
    @levels_blp.response(200, LevelSchema(many=True))
    @levels_blp.paginate(Page)
    def get(self):
        """Các cấp của cây đơn vị, từ trên xuống"""
        return list_levels(tenant_session())
