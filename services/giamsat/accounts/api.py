"""REST resources of the current user: who am I, and my personal API tokens."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from giamsat.accounts.operations import revoke_api_token
from giamsat.accounts.queries import api_tokens_query, get_api_token
from giamsat.accounts.schemas import (
    ApiTokenCreateSchema,
    ApiTokenQueryArgsSchema,
    ApiTokenSchema,
    ApiTokenStateSchema,
    MeSchema,
)
from giamsat.http.api import SelectPage, TenantBlueprint, current_user, tenant_session

me_blp = TenantBlueprint(
    "me", __name__, "/me", description="Người dùng đang gọi API và các mã truy cập cá nhân của họ."
)

BLUEPRINTS = (me_blp,)


@me_blp.route("")
class Me(MethodView):
    @me_blp.response(200, MeSchema)
    def get(self):
        """Người dùng đang gọi API

        Kèm các vai trò: mỗi vai trò gắn với một đơn vị và có hiệu lực cho cả cây con của nó.
        """
        return current_user()


@me_blp.route("/tokens")
class MyTokens(MethodView):
    @me_blp.arguments(ApiTokenQueryArgsSchema, location="query")
    @me_blp.response(200, ApiTokenSchema(many=True))
    @me_blp.paginate(SelectPage)
    def get(self, args):
        """Các mã truy cập của tôi, mới nhất trước

        Mặc định không kèm mã đã thu hồi. Danh sách không bao giờ chứa mã đầy đủ.
        """
        return api_tokens_query(current_user().id, include_revoked=args["include_revoked"])

    @me_blp.arguments(ApiTokenCreateSchema)
    @me_blp.alt_response(403, description="Luôn luôn: mã truy cập không tạo được mã khác.")
    def post(self, data):
        """Tạo mã truy cập mới — không làm được qua API

        Mã truy cập chỉ tạo được trên trang “Mã truy cập API” khi đã đăng nhập bằng trình duyệt:
        một mã bị lộ không tự sinh thêm mã để sống sót khi bị thu hồi. Luôn trả 403.
        """
        abort(
            403,
            message="Mã truy cập chỉ tạo được trên trang “Mã truy cập API” khi đăng nhập "
            "bằng trình duyệt, không tạo được bằng một mã truy cập khác.",
        )


@me_blp.route("/tokens/<int:token_id>")
class MyTokenById(MethodView):
    @me_blp.etag
    @me_blp.response(200, ApiTokenSchema)
    def get(self, token_id):
        """Một mã truy cập của tôi

        Trả về ETag, dùng làm If-Match khi thu hồi.
        """
        row = get_api_token(tenant_session(), current_user().id, token_id)
        me_blp.set_etag(row, ApiTokenStateSchema)
        return row

    @me_blp.etag
    @me_blp.response(204)
    def delete(self, token_id):
        """Thu hồi mã truy cập

        Mã bị thu hồi không dùng được nữa (401). Cần If-Match với ETag vừa đọc.
        """
        row = get_api_token(tenant_session(), current_user().id, token_id)
        me_blp.check_etag(row, ApiTokenStateSchema)
        revoke_api_token(tenant_session(), current_user(), row.id)
