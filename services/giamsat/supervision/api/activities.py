"""REST resources of supervision activities and their comments."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.core.errors import NotFound
from giamsat.http.api import (
    SelectPage,
    TenantBlueprint,
    current_principal,
    keyset_page,
    tenant_session,
)
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.activities import (
    SupervisionActivityCreateSchema,
    SupervisionActivityQueryArgsSchema,
    SupervisionActivitySchema,
    SupervisionActivityUpdateSchema,
    SupervisionCommentCreateSchema,
    SupervisionCommentSchema,
)
from giamsat.supervision.schemas.fields import TagsSchema

activities_blp = TenantBlueprint(
    "supervision_activities",
    __name__,
    "/supervision/activities",
    description="Hoạt động giám sát (chuyên đề, thường xuyên, qua hòm thư, qua đối thoại, qua "
    "Ban TTND), hội nghị quán triệt, và ý kiến góp ý.",
)


@activities_blp.route("")
class Activities(MethodView):
    @activities_blp.arguments(SupervisionActivityQueryArgsSchema, location="query")
    @activities_blp.response(200, SupervisionActivitySchema(many=True))
    @activities_blp.paginate(keyset_page(lambda a: (a.starts_on, a.id)))
    def get(self, args):
        """Hoạt động giám sát, mới nhất trước"""
        return queries.list_activities_query(tenant_session(), current_principal(), **args).options(
            *queries.ACTIVITY_LIST_LOADING
        )

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
        return operations.add_comment(tenant_session(), current_principal(), activity_id, **data)


@activities_blp.route("/<int:activity_id>/comments/<int:comment_id>/tags")
class CommentTags(MethodView):
    @activities_blp.arguments(TagsSchema)
    @activities_blp.response(200, SupervisionCommentSchema)
    def put(self, data, activity_id, comment_id):
        """Thay phân loại của một ý kiến góp ý (danh mục chung với hồ sơ; `[]` bỏ hết)"""
        session, principal = tenant_session(), current_principal()
        if queries.get_comment(session, comment_id, principal).activity_id != activity_id:
            raise NotFound("Không tìm thấy ý kiến góp ý.")
        return operations.set_comment_tags(session, principal, comment_id, data["tags"])
