"""REST resources of recommendations, their answers and reminders."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.http.api import (
    TenantBlueprint,
    current_principal,
    keyset_page,
    tenant_session,
)
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.fields import TagsSchema
from giamsat.supervision.schemas.recommendations import (
    SupervisionAnswerSchema,
    SupervisionRecommendationCreateSchema,
    SupervisionRecommendationQueryArgsSchema,
    SupervisionRecommendationSchema,
    SupervisionReminderCreateSchema,
    SupervisionReminderSchema,
    SupervisionWithdrawSchema,
)

recommendations_blp = TenantBlueprint(
    "supervision_recommendations",
    __name__,
    "/supervision/recommendations",
    description="Kiến nghị sau giám sát, hạn trả lời theo ngày làm việc, theo dõi, đôn đốc.",
)


@recommendations_blp.route("")
class Recommendations(MethodView):
    @recommendations_blp.arguments(SupervisionRecommendationQueryArgsSchema, location="query")
    @recommendations_blp.response(200, SupervisionRecommendationSchema(many=True))
    @recommendations_blp.paginate(keyset_page(lambda r: (r.due_on, r.id)))
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
        return queries.get_recommendation(tenant_session(), recommendation_id, current_principal())


@recommendations_blp.route("/<int:recommendation_id>/tags")
class RecommendationTags(MethodView):
    @recommendations_blp.arguments(TagsSchema)
    @recommendations_blp.response(200, SupervisionRecommendationSchema)
    def put(self, data, recommendation_id):
        """Thay phân loại của kiến nghị (danh mục chung với hồ sơ; `[]` bỏ hết)"""
        return operations.set_recommendation_tags(
            tenant_session(), current_principal(), recommendation_id, data["tags"]
        )


@recommendations_blp.route("/<int:recommendation_id>/answer")
class RecommendationAnswer(MethodView):
    @recommendations_blp.arguments(SupervisionAnswerSchema)
    @recommendations_blp.response(200, SupervisionRecommendationSchema)
    def post(self, data, recommendation_id):
        """Ghi trả lời nhận được (tiếp thu hoặc giải trình); chỉ khi đang chờ trả lời"""
        return operations.answer_recommendation(
            tenant_session(), current_principal(), recommendation_id, **data
        )


@recommendations_blp.route("/<int:recommendation_id>/reminders")
class RecommendationReminders(MethodView):
    @recommendations_blp.arguments(SupervisionReminderCreateSchema)
    @recommendations_blp.response(201, SupervisionReminderSchema)
    def post(self, data, recommendation_id):
        """Ghi một lần đôn đốc trả lời"""
        return operations.remind_recommendation(
            tenant_session(), current_principal(), recommendation_id, **data
        )


@recommendations_blp.route("/<int:recommendation_id>/withdraw")
class RecommendationWithdrawal(MethodView):
    @recommendations_blp.arguments(SupervisionWithdrawSchema)
    @recommendations_blp.response(200, SupervisionRecommendationSchema)
    def post(self, data, recommendation_id):
        """Rút lại kiến nghị đang chờ trả lời (ghi lý do)"""
        return operations.withdraw_recommendation(
            tenant_session(), current_principal(), recommendation_id, **data
        )
