"""REST resources of dialogues, their issues and commitments, and the commitments' follow-up."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.core.errors import NotFound
from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.dialogues import (
    SupervisionCommitmentCreateSchema,
    SupervisionCommitmentQueryArgsSchema,
    SupervisionCommitmentReportSchema,
    SupervisionCommitmentSchema,
    SupervisionDialogueCreateSchema,
    SupervisionDialogueQueryArgsSchema,
    SupervisionDialogueSchema,
    SupervisionDialogueUpdateSchema,
    SupervisionIssueCreateSchema,
    SupervisionIssueSchema,
)
from giamsat.supervision.schemas.fields import TagsSchema

dialogues_blp = TenantBlueprint(
    "supervision_dialogues",
    __name__,
    "/supervision/dialogues",
    description="Đối thoại giữa Nhân dân, hội viên với người đứng đầu cấp ủy, chính quyền: "
    "vấn đề nêu ra và cam kết.",
)
commitments_blp = TenantBlueprint(
    "supervision_commitments",
    __name__,
    "/supervision/commitments",
    description="Theo dõi cam kết tại các buổi đối thoại cho tới khi thực hiện hoặc báo cáo "
    "không thực hiện.",
)


@dialogues_blp.route("")
class Dialogues(MethodView):
    @dialogues_blp.arguments(SupervisionDialogueQueryArgsSchema, location="query")
    @dialogues_blp.response(200, SupervisionDialogueSchema(many=True))
    @dialogues_blp.paginate(SelectPage)
    def get(self, args):
        """Buổi đối thoại, mới nhất trước"""
        return queries.list_dialogues_query(tenant_session(), current_principal(), **args)

    @dialogues_blp.arguments(SupervisionDialogueCreateSchema)
    @dialogues_blp.response(201, SupervisionDialogueSchema)
    def post(self, data):
        """Lên lịch (hoặc ghi lại) một buổi đối thoại"""
        return operations.create_dialogue(tenant_session(), current_principal(), **data)


@dialogues_blp.route("/<int:dialogue_id>")
class DialogueById(MethodView):
    @dialogues_blp.etag
    @dialogues_blp.response(200, SupervisionDialogueSchema)
    def get(self, dialogue_id):
        """Một buổi đối thoại, với vấn đề nêu ra và cam kết"""
        return queries.get_dialogue(tenant_session(), dialogue_id, current_principal())

    @dialogues_blp.etag
    @dialogues_blp.arguments(SupervisionDialogueUpdateSchema)
    @dialogues_blp.response(200, SupervisionDialogueSchema)
    def patch(self, data, dialogue_id):
        """Sửa buổi đối thoại, ví dụ ghi đã tổ chức (cần If-Match)"""
        session = tenant_session()
        dialogue = queries.get_dialogue(session, dialogue_id, current_principal())
        dialogues_blp.check_etag(dialogue, SupervisionDialogueSchema)
        return operations.update_dialogue(session, current_principal(), dialogue.id, **data)


@dialogues_blp.route("/<int:dialogue_id>/issues")
class DialogueIssues(MethodView):
    @dialogues_blp.arguments(SupervisionIssueCreateSchema)
    @dialogues_blp.response(201, SupervisionIssueSchema)
    def post(self, data, dialogue_id):
        """Ghi một vấn đề nêu ra tại buổi đối thoại"""
        return operations.add_dialogue_issue(
            tenant_session(), current_principal(), dialogue_id, **data
        )


@dialogues_blp.route("/<int:dialogue_id>/issues/<int:issue_id>/tags")
class DialogueIssueTags(MethodView):
    @dialogues_blp.arguments(TagsSchema)
    @dialogues_blp.response(200, SupervisionIssueSchema)
    def put(self, data, dialogue_id, issue_id):
        """Thay phân loại của một vấn đề nêu ra (danh mục chung với hồ sơ; `[]` bỏ hết)"""
        session, principal = tenant_session(), current_principal()
        if queries.get_dialogue_issue(session, issue_id, principal).dialogue_id != dialogue_id:
            raise NotFound("Không tìm thấy vấn đề nêu ra.")
        return operations.set_issue_tags(session, principal, issue_id, data["tags"])


@dialogues_blp.route("/<int:dialogue_id>/commitments")
class DialogueCommitments(MethodView):
    @dialogues_blp.arguments(SupervisionCommitmentCreateSchema)
    @dialogues_blp.response(201, SupervisionCommitmentSchema)
    def post(self, data, dialogue_id):
        """Ghi một cam kết tại buổi đối thoại (theo dõi cho tới khi có kết quả)"""
        return operations.add_commitment(tenant_session(), current_principal(), dialogue_id, **data)


@commitments_blp.route("")
class Commitments(MethodView):
    @commitments_blp.arguments(SupervisionCommitmentQueryArgsSchema, location="query")
    @commitments_blp.response(200, SupervisionCommitmentSchema(many=True))
    @commitments_blp.paginate(SelectPage)
    def get(self, args):
        """Cam kết cần theo dõi (`overdue=true`: quá hạn mà chưa thực hiện)"""
        return queries.list_commitments_query(tenant_session(), current_principal(), **args)


@commitments_blp.route("/<int:commitment_id>")
class CommitmentById(MethodView):
    @commitments_blp.etag
    @commitments_blp.response(200, SupervisionCommitmentSchema)
    def get(self, commitment_id):
        """Một cam kết"""
        return queries.get_commitment(tenant_session(), commitment_id, current_principal())


@commitments_blp.route("/<int:commitment_id>/report")
class CommitmentReport(MethodView):
    @commitments_blp.arguments(SupervisionCommitmentReportSchema)
    @commitments_blp.response(200, SupervisionCommitmentSchema)
    def post(self, data, commitment_id):
        """Báo cáo kết quả: `kept` (đã thực hiện) hoặc `broken` (không thực hiện)"""
        return operations.report_commitment(
            tenant_session(), current_principal(), commitment_id, **data
        )
