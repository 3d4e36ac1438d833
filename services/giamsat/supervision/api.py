"""REST resources of the supervision register: people (with XLSX import/export), assignments,
plans, activities, recommendations, dialogues and their commitments."""
from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView

from giamsat.http.api import (
    SelectPage,
    TenantBlueprint,
    current_principal,
    tenant_session,
)
from giamsat.supervision import operations, queries, xlsx
from giamsat.supervision.schemas import (
    SupervisionActivityCreateSchema,
    SupervisionActivityQueryArgsSchema,
    SupervisionActivitySchema,
    SupervisionActivityUpdateSchema,
    SupervisionAnswerSchema,
    SupervisionAssignmentChangeSchema,
    SupervisionAssignmentCreateSchema,
    SupervisionAssignmentEndSchema,
    SupervisionAssignmentQueryArgsSchema,
    SupervisionAssignmentSchema,
    SupervisionCommentCreateSchema,
    SupervisionCommentSchema,
    SupervisionCommitmentCreateSchema,
    SupervisionCommitmentQueryArgsSchema,
    SupervisionCommitmentReportSchema,
    SupervisionCommitmentSchema,
    SupervisionDialogueCreateSchema,
    SupervisionDialogueQueryArgsSchema,
    SupervisionDialogueSchema,
    SupervisionDialogueUpdateSchema,
    SupervisionExportQueryArgsSchema,
    SupervisionImportArgsSchema,
    SupervisionImportFileSchema,
    SupervisionImportPreviewSchema,
    SupervisionImportResultSchema,
    SupervisionIssueCreateSchema,
    SupervisionIssueSchema,
    SupervisionPersonCreateSchema,
    SupervisionPersonOverviewSchema,
    SupervisionPersonQueryArgsSchema,
    SupervisionPersonSchema,
    SupervisionPersonUpdateSchema,
    SupervisionPlanApproveSchema,
    SupervisionPlanCreateSchema,
    SupervisionPlanQueryArgsSchema,
    SupervisionPlanSchema,
    SupervisionPlanUpdateSchema,
    SupervisionRecommendationCreateSchema,
    SupervisionRecommendationQueryArgsSchema,
    SupervisionRecommendationSchema,
    SupervisionReminderCreateSchema,
    SupervisionReminderSchema,
    SupervisionWithdrawSchema,
)

people_blp = TenantBlueprint(
    "supervision_people", __name__, "/supervision/people",
    description="Người thuộc diện giám sát (người đứng đầu, cán bộ chủ chốt, cán bộ, đảng "
                "viên) theo Quy định 124-QĐ/TW; nhập, xuất danh sách Excel.")
assignments_blp = TenantBlueprint(
    "supervision_assignments", __name__, "/supervision/assignments",
    description="Phân công tổ chức giám sát từng người, ở nơi công tác hoặc nơi cư trú, "
                "có lịch sử thay đổi.")
plans_blp = TenantBlueprint(
    "supervision_plans", __name__, "/supervision/plans",
    description="Kế hoạch giám sát hằng năm của từng tổ chức ở từng đơn vị.")
activities_blp = TenantBlueprint(
    "supervision_activities", __name__, "/supervision/activities",
    description="Hoạt động giám sát (chuyên đề, thường xuyên, qua hòm thư, qua đối thoại, qua "
                "Ban TTND), hội nghị quán triệt, và ý kiến góp ý.")
recommendations_blp = TenantBlueprint(
    "supervision_recommendations", __name__, "/supervision/recommendations",
    description="Kiến nghị sau giám sát, hạn trả lời theo ngày làm việc, theo dõi, đôn đốc.")
dialogues_blp = TenantBlueprint(
    "supervision_dialogues", __name__, "/supervision/dialogues",
    description="Đối thoại giữa Nhân dân, hội viên với người đứng đầu cấp ủy, chính quyền: "
                "vấn đề nêu ra và cam kết.")
commitments_blp = TenantBlueprint(
    "supervision_commitments", __name__, "/supervision/commitments",
    description="Theo dõi cam kết tại các buổi đối thoại cho tới khi thực hiện hoặc báo cáo "
                "không thực hiện.")

BLUEPRINTS = (people_blp, assignments_blp, plans_blp, activities_blp, recommendations_blp,
              dialogues_blp, commitments_blp)

_XLSX_DOC = {"type": "string", "format": "binary"}


def _xlsx_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype=xlsx.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- people ---------------------------------------------------------------------------------

@people_blp.route("")
class People(MethodView):
    @people_blp.arguments(SupervisionPersonQueryArgsSchema, location="query")
    @people_blp.response(200, SupervisionPersonSchema(many=True))
    @people_blp.paginate(SelectPage)
    def get(self, args):
        """Danh sách người thuộc diện giám sát, theo tên

        Lọc theo đối tượng, diện quản lý, nơi giám sát (`place`: người đang được phân công ở
        nơi đó) và tìm theo tên hoặc cơ quan.
        """
        return queries.list_people_query(tenant_session(), current_principal(), **args)

    @people_blp.etag
    @people_blp.arguments(SupervisionPersonCreateSchema)
    @people_blp.response(201, SupervisionPersonSchema)
    def post(self, data):
        """Thêm một người vào danh sách của đơn vị

        Trùng họ tên, năm sinh và cơ quan công tác với người đã có: 409.
        """
        person = operations.create_person(tenant_session(), current_principal(), **data)
        return person, {"Location": url_for("supervision_people.PersonById",
                                            person_id=person.id)}


@people_blp.route("/<int:person_id>")
class PersonById(MethodView):
    @people_blp.etag
    @people_blp.response(200, SupervisionPersonSchema)
    def get(self, person_id):
        """Một người thuộc diện giám sát"""
        return queries.get_person(tenant_session(), person_id, current_principal())

    @people_blp.etag
    @people_blp.arguments(SupervisionPersonUpdateSchema)
    @people_blp.response(200, SupervisionPersonSchema)
    def patch(self, data, person_id):
        """Sửa thông tin (hoặc đưa ra khỏi danh sách bằng `is_active: false`)

        Cần tiêu đề If-Match với ETag vừa đọc: thiếu thì 428, đã cũ thì 412.
        """
        session = tenant_session()
        person = queries.get_person(session, person_id, current_principal())
        people_blp.check_etag(person, SupervisionPersonSchema)
        return operations.update_person(session, current_principal(), person.id, **data)


@people_blp.route("/<int:person_id>/overview")
class PersonOverview(MethodView):
    @people_blp.response(200, SupervisionPersonOverviewSchema)
    def get(self, person_id):
        """Tổng hợp về một người

        Phân công, hoạt động giám sát, ý kiến góp ý, kiến nghị và các hồ sơ phản ánh nêu tên
        người này (chỉ thông tin hồ sơ, không bao giờ có danh tính người gửi).
        """
        return queries.person_overview(tenant_session(), person_id, current_principal())


@people_blp.route("/import/preview")
class PeopleImportPreview(MethodView):
    @people_blp.arguments(SupervisionImportFileSchema, location="files")
    @people_blp.arguments(SupervisionImportArgsSchema, location="query")
    @people_blp.response(200, SupervisionImportPreviewSchema)
    def post(self, files, args):
        """Xem trước tệp danh sách (multipart/form-data, trường `file`; `?unit_id=`)

        Không ghi gì. Trả các dòng đọc được và lỗi từng dòng (“Dòng 7: …”). Tệp không đọc được
        (không phải .xlsx, trống, sai cột) trả 422 với một thông báo.
        """
        return xlsx.preview_people_import(tenant_session(), current_principal(),
                                          unit_id=args["unit_id"], fileobj=files["file"].stream)


@people_blp.route("/import")
class PeopleImport(MethodView):
    @people_blp.arguments(SupervisionImportFileSchema, location="files")
    @people_blp.arguments(SupervisionImportArgsSchema, location="query")
    @people_blp.response(201, SupervisionImportResultSchema)
    def post(self, files, args):
        """Nhập tệp danh sách: tất cả hoặc không người nào

        Có dòng lỗi thì 422, `errors.json.file` liệt kê từng lỗi và không nhập người nào.
        """
        people = xlsx.import_people(tenant_session(), current_principal(),
                                          unit_id=args["unit_id"],
                                          fileobj=files["file"].stream)
        return {"imported": len(people), "ids": [p.id for p in people]}


@people_blp.route("/export")
class PeopleExport(MethodView):
    @people_blp.arguments(SupervisionExportQueryArgsSchema, location="query")
    @people_blp.response(200, _XLSX_DOC, content_type=xlsx.XLSX_MIMETYPE)
    def get(self, args):
        """Xuất danh sách ra Excel, cùng mẫu cột với tệp nhập"""
        data = xlsx.export_people(tenant_session(), current_principal(), **args)
        return _xlsx_response(data, "danh-sach-doi-tuong-giam-sat.xlsx")


@people_blp.route("/import/template")
class PeopleImportTemplate(MethodView):
    @people_blp.response(200, _XLSX_DOC, content_type=xlsx.XLSX_MIMETYPE)
    def get(self):
        """Tệp mẫu để điền danh sách (có hướng dẫn và danh sách chọn)"""
        return _xlsx_response(xlsx.template_workbook(), "mau-danh-sach-doi-tuong-giam-sat.xlsx")


# --- assignments ----------------------------------------------------------------------------

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
        return operations.change_assignment(tenant_session(), current_principal(),
                                            assignment_id, **data)


@assignments_blp.route("/<int:assignment_id>/end")
class AssignmentEnd(MethodView):
    @assignments_blp.arguments(SupervisionAssignmentEndSchema)
    @assignments_blp.response(200, SupervisionAssignmentSchema)
    def post(self, data, assignment_id):
        """Kết thúc phân công (vẫn giữ trong lịch sử)"""
        return operations.end_assignment(tenant_session(), current_principal(), assignment_id,
                                         **data)


# --- plans ----------------------------------------------------------------------------------

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


# --- activities -----------------------------------------------------------------------------

@activities_blp.route("")
class Activities(MethodView):
    @activities_blp.arguments(SupervisionActivityQueryArgsSchema, location="query")
    @activities_blp.response(200, SupervisionActivitySchema(many=True))
    @activities_blp.paginate(SelectPage)
    def get(self, args):
        """Hoạt động giám sát, mới nhất trước"""
        return queries.list_activities_query(tenant_session(), current_principal(), **args)

    @activities_blp.arguments(SupervisionActivityCreateSchema)
    @activities_blp.response(201, SupervisionActivitySchema)
    def post(self, data):
        """Ghi một hoạt động giám sát hoặc hội nghị quán triệt

        `person_ids`: những người được giám sát, thuộc danh sách của đơn vị hoặc đơn vị trực
        thuộc.
        """
        return operations.create_activity(tenant_session(), current_principal(), **data)


@activities_blp.route("/<int:activity_id>")
class ActivityById(MethodView):
    @activities_blp.etag
    @activities_blp.response(200, SupervisionActivitySchema)
    def get(self, activity_id):
        """Một hoạt động, với người được giám sát và ý kiến góp ý"""
        return queries.get_activity(tenant_session(), activity_id, current_principal())

    @activities_blp.etag
    @activities_blp.arguments(SupervisionActivityUpdateSchema)
    @activities_blp.response(200, SupervisionActivitySchema)
    def patch(self, data, activity_id):
        """Sửa hoạt động (cần If-Match)"""
        session = tenant_session()
        activity = queries.get_activity(session, activity_id, current_principal())
        activities_blp.check_etag(activity, SupervisionActivitySchema)
        return operations.update_activity(session, current_principal(), activity.id, **data)


@activities_blp.route("/<int:activity_id>/comments")
class ActivityComments(MethodView):
    @activities_blp.response(200, SupervisionCommentSchema(many=True))
    @activities_blp.paginate(SelectPage)
    def get(self, activity_id):
        """Ý kiến góp ý trong một hoạt động"""
        session = tenant_session()
        activity = queries.get_activity(session, activity_id, current_principal())
        return queries.list_comments_query(session, current_principal(), activity_id=activity.id)

    @activities_blp.arguments(SupervisionCommentCreateSchema)
    @activities_blp.response(201, SupervisionCommentSchema)
    def post(self, data, activity_id):
        """Ghi một ý kiến góp ý"""
        return operations.add_comment(tenant_session(), current_principal(), activity_id,
                                      **data)


# --- recommendations ------------------------------------------------------------------------

@recommendations_blp.route("")
class Recommendations(MethodView):
    @recommendations_blp.arguments(SupervisionRecommendationQueryArgsSchema, location="query")
    @recommendations_blp.response(200, SupervisionRecommendationSchema(many=True))
    @recommendations_blp.paginate(SelectPage)
    def get(self, args):
        """Kiến nghị của một đơn vị và các đơn vị trực thuộc, hạn gần nhất trước

        `overdue=true`: chỉ những kiến nghị đang chờ trả lời đã quá hạn; cấp trên xem được
        kiến nghị quá hạn của cấp dưới.
        """
        return queries.list_recommendations_query(tenant_session(), current_principal(), **args)

    @recommendations_blp.arguments(SupervisionRecommendationCreateSchema)
    @recommendations_blp.response(201, SupervisionRecommendationSchema)
    def post(self, data):
        """Ghi một kiến nghị; hạn trả lời tính theo ngày làm việc từ quy định của tỉnh"""
        return operations.issue_recommendation(tenant_session(), current_principal(), **data)


@recommendations_blp.route("/<int:recommendation_id>")
class RecommendationById(MethodView):
    @recommendations_blp.etag
    @recommendations_blp.response(200, SupervisionRecommendationSchema)
    def get(self, recommendation_id):
        """Một kiến nghị, với các lần đôn đốc"""
        return queries.get_recommendation(tenant_session(), recommendation_id,
                                          current_principal())


@recommendations_blp.route("/<int:recommendation_id>/answer")
class RecommendationAnswer(MethodView):
    @recommendations_blp.arguments(SupervisionAnswerSchema)
    @recommendations_blp.response(200, SupervisionRecommendationSchema)
    def post(self, data, recommendation_id):
        """Ghi trả lời nhận được (tiếp thu hoặc giải trình); chỉ khi đang chờ trả lời"""
        return operations.answer_recommendation(tenant_session(), current_principal(),
                                                recommendation_id, **data)


@recommendations_blp.route("/<int:recommendation_id>/reminders")
class RecommendationReminders(MethodView):
    @recommendations_blp.arguments(SupervisionReminderCreateSchema)
    @recommendations_blp.response(201, SupervisionReminderSchema)
    def post(self, data, recommendation_id):
        """Ghi một lần đôn đốc trả lời"""
        return operations.remind_recommendation(tenant_session(), current_principal(),
                                                recommendation_id, **data)


@recommendations_blp.route("/<int:recommendation_id>/withdraw")
class RecommendationWithdrawal(MethodView):
    @recommendations_blp.arguments(SupervisionWithdrawSchema)
    @recommendations_blp.response(200, SupervisionRecommendationSchema)
    def post(self, data, recommendation_id):
        """Rút lại kiến nghị đang chờ trả lời (ghi lý do)"""
        return operations.withdraw_recommendation(tenant_session(), current_principal(),
                                                  recommendation_id, **data)


# --- dialogues and commitments --------------------------------------------------------------

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
        return operations.add_dialogue_issue(tenant_session(), current_principal(),
                                             dialogue_id, **data)


@dialogues_blp.route("/<int:dialogue_id>/commitments")
class DialogueCommitments(MethodView):
    @dialogues_blp.arguments(SupervisionCommitmentCreateSchema)
    @dialogues_blp.response(201, SupervisionCommitmentSchema)
    def post(self, data, dialogue_id):
        """Ghi một cam kết tại buổi đối thoại (theo dõi cho tới khi có kết quả)"""
        return operations.add_commitment(tenant_session(), current_principal(), dialogue_id,
                                         **data)


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
        return operations.report_commitment(tenant_session(), current_principal(),
                                            commitment_id, **data)

