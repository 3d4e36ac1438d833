"""REST resources of yearly supervision plans."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.plans import (
    SupervisionPlanApproveSchema,
    SupervisionPlanCreateSchema,
    SupervisionPlanQueryArgsSchema,
    SupervisionPlanSchema,
    SupervisionPlanUpdateSchema,
)

plans_blp = TenantBlueprint(
    "supervision_plans",
    __name__,
    "/supervision/plans",
    description="Kế hoạch giám sát hằng năm của từng tổ chức ở từng đơn vị.",
)


@plans_blp.route("")
class Plans(MethodView):
    @plans_blp.arguments(SupervisionPlanQueryArgsSchema, location="query")
    @plans_blp.response(200, SupervisionPlanSchema(many=True))
    @plans_blp.paginate(SelectPage)
    def get(self, args):
        """Kế hoạch giám sát, năm mới nhất trước"""
        return queries.list_plans_query(tenant_session(), current_principal(), **args)

    @plans_blp.arguments(SupervisionPlanCreateSchema)
    @plans_blp.response(201, SupervisionPlanSchema)
    def post(self, data):
        """Lập kế hoạch năm cho một tổ chức ở một đơn vị (mỗi năm một kế hoạch)"""
        return operations.create_plan(tenant_session(), current_principal(), **data)


@plans_blp.route("/<int:plan_id>")
class PlanById(MethodView):
    @plans_blp.etag
    @plans_blp.response(200, SupervisionPlanSchema)
    def get(self, plan_id):
        """Một kế hoạch"""
        return queries.get_plan(tenant_session(), plan_id, current_principal())

    @plans_blp.etag
    @plans_blp.arguments(SupervisionPlanUpdateSchema)
    @plans_blp.response(200, SupervisionPlanSchema)
    def patch(self, data, plan_id):
        """Sửa kế hoạch dự thảo (cần If-Match); kế hoạch đã duyệt trả 409"""
        session = tenant_session()
        plan = queries.get_plan(session, plan_id, current_principal())
        plans_blp.check_etag(plan, SupervisionPlanSchema)
        return operations.update_plan(session, current_principal(), plan.id, **data)


@plans_blp.route("/<int:plan_id>/approve")
class PlanApproval(MethodView):
    @plans_blp.arguments(SupervisionPlanApproveSchema)
    @plans_blp.response(200, SupervisionPlanSchema)
    def post(self, data, plan_id):
        """Duyệt kế hoạch (lãnh đạo hoặc quản trị viên của đơn vị)"""
        return operations.approve_plan(tenant_session(), current_principal(), plan_id, **data)
