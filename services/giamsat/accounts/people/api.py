"""REST resources of people management: `/users`, their roles, disabling and enabling."""

from __future__ import annotations

from flask import current_app, url_for
from flask.views import MethodView

from giamsat.accounts.people import operations
from giamsat.accounts.people.queries import get_person, people_query
from giamsat.accounts.people.schemas import (
    GrantArgsSchema,
    PersonCreatedSchema,
    PersonCreateSchema,
    PersonGrantSchema,
    PersonQueryArgsSchema,
    PersonSchema,
    PersonUpdateSchema,
)
from giamsat.accounts.people.scope import require_people_manager
from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session


class _Created:
    """The new user as the schema reads it, plus how the credential travels."""

    def __init__(self, result: operations.Onboarded):
        self.delivery, self.temporary_password = result.delivery, result.temporary_password
        self._user = result.user

    def __getattr__(self, name: str):
        return getattr(self._user, name)


users_blp = TenantBlueprint(
    "users",
    __name__,
    "/users",
    description="Người dùng và vai trò, do quản trị tỉnh (cả tỉnh) và quản trị đơn vị (đơn vị "
    "mình và cấp dưới) quản lý. Người ngoài phạm vi trả 404.",
)


@users_blp.before_request
def _managers_only():
    # Before the body is even read: staff and readers learn nothing from a 422.
    require_people_manager(current_principal())


@users_blp.route("")
class Users(MethodView):
    @users_blp.arguments(PersonQueryArgsSchema, location="query")
    @users_blp.response(200, PersonSchema(many=True))
    @users_blp.paginate(SelectPage)
    def get(self, args):
        """Người dùng trong phạm vi quản trị, xếp theo tên"""
        return people_query(
            current_principal(), search=args["q"], unit_id=args["unit_id"], active=args["is_active"]
        )

    @users_blp.arguments(PersonCreateSchema)
    @users_blp.response(201, PersonCreatedSchema)
    def post(self, data):
        """Thêm người dùng với một vai trò

        Khi máy chủ bật gửi thư mời (GIAMSAT_INVITE_BY_EMAIL) và người có thư điện tử: hệ thống
        gửi liên kết đăng nhập một lần. Nếu không: trả mật khẩu tạm một lần duy nhất.
        """
        result = operations.onboard_person(
            tenant_session(),
            current_principal(),
            by_email=current_app.config["GIAMSAT"].invite_by_email,
            **data,
        )
        location = url_for("users.UserById", user_id=result.user.id)
        return _Created(result), {"Location": location}


@users_blp.route("/<int:user_id>")
class UserById(MethodView):
    @users_blp.response(200, PersonSchema)
    def get(self, user_id):
        """Một người dùng (kèm lần đăng nhập cuối)"""
        return get_person(tenant_session(), current_principal(), user_id)

    @users_blp.arguments(PersonUpdateSchema)
    @users_blp.response(200, PersonSchema)
    def patch(self, data, user_id):
        """Sửa họ tên, thư điện tử, số điện thoại, ngôn ngữ"""
        return operations.update_person(tenant_session(), current_principal(), user_id, **data)


@users_blp.route("/<int:user_id>/disable")
class DisableUser(MethodView):
    @users_blp.response(200, PersonSchema)
    def post(self, user_id):
        """Khóa tài khoản: mọi phiên và mã truy cập của người này ngừng ngay"""
        return operations.set_active(tenant_session(), current_principal(), user_id, False)


@users_blp.route("/<int:user_id>/enable")
class EnableUser(MethodView):
    @users_blp.response(200, PersonSchema)
    def post(self, user_id):
        """Mở lại tài khoản đã khóa"""
        return operations.set_active(tenant_session(), current_principal(), user_id, True)


@users_blp.route("/<int:user_id>/roles")
class UserRoles(MethodView):
    @users_blp.arguments(GrantArgsSchema)
    @users_blp.response(201, PersonGrantSchema)
    def post(self, data, user_id):
        """Giao một vai trò tại một đơn vị (và tổ chức)

        Chỉ tại đơn vị mình quản trị hoặc cấp dưới; sai thì 422 với lỗi ở `unit_id`.
        """
        return operations.grant_role(tenant_session(), current_principal(), user_id, **data)


@users_blp.route("/<int:user_id>/roles/<int:grant_id>")
class UserRole(MethodView):
    @users_blp.response(204)
    def delete(self, user_id, grant_id):
        """Thu hồi một vai trò"""
        operations.withdraw_role(tenant_session(), current_principal(), user_id, grant_id)


BLUEPRINTS = (users_blp,)
