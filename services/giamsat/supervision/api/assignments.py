"""REST resources of assignments (phân công giám sát), with their history."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.assignments import (
    SupervisionAssignmentChangeSchema,
    SupervisionAssignmentCreateSchema,
    SupervisionAssignmentEndSchema,
    SupervisionAssignmentQueryArgsSchema,
    SupervisionAssignmentSchema,
)

assignments_blp = TenantBlueprint(
    "supervision_assignments",
    __name__,
    "/supervision/assignments",
    description="Phân công tổ chức giám sát từng người, ở nơi công tác hoặc nơi cư trú, "
    "có lịch sử thay đổi.",
)


@assignments_blp.route("")
class Assignments(MethodView):
    @assignments_blp.arguments(SupervisionAssignmentQueryArgsSchema, location="query")
    @assignments_blp.response(200, SupervisionAssignmentSchema(many=True))
    @assignments_blp.paginate(SelectPage)
    def get(self, args):
        """Phân công giám sát, cả lịch sử (`current_only=true`: chỉ đang hiệu lực)"""
        return queries.list_assignments_query(tenant_session(), current_principal(), **args)

    @assignments_blp.arguments(SupervisionAssignmentCreateSchema)
    @assignments_blp.response(201, SupervisionAssignmentSchema)
    def post(self, data):
        """Phân công một tổ chức của đơn vị giám sát một người

        Tổ chức đó đang giám sát người này ở cùng nơi: 409.
        """
        return operations.assign_person(tenant_session(), current_principal(), **data)


@assignments_blp.route("/<int:assignment_id>")
class AssignmentById(MethodView):
    @assignments_blp.etag
    @assignments_blp.response(200, SupervisionAssignmentSchema)
    def get(self, assignment_id):
        """Một phân công"""
        return queries.get_assignment(tenant_session(), assignment_id, current_principal())


@assignments_blp.route("/<int:assignment_id>/change")
class AssignmentChange(MethodView):
    @assignments_blp.arguments(SupervisionAssignmentChangeSchema)
    @assignments_blp.response(201, SupervisionAssignmentSchema)
    def post(self, data, assignment_id):
        """Đổi tổ chức hoặc nơi giám sát

        Phân công cũ kết thúc ngày trước `on`, phân công mới bắt đầu từ `on`; không sửa đè.
        """
        return operations.change_assignment(
            tenant_session(), current_principal(), assignment_id, **data
        )


@assignments_blp.route("/<int:assignment_id>/end")
class AssignmentEnd(MethodView):
    @assignments_blp.arguments(SupervisionAssignmentEndSchema)
    @assignments_blp.response(200, SupervisionAssignmentSchema)
    def post(self, data, assignment_id):
        """Kết thúc phân công (vẫn giữ trong lịch sử)"""
        return operations.end_assignment(
            tenant_session(), current_principal(), assignment_id, **data
        )
