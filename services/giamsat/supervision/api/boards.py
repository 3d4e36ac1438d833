"""REST resources of the boards (Ban TTND, Ban GSĐTCĐ) and their members."""

from __future__ import annotations

from flask.views import MethodView

from giamsat.http.api import SelectPage, TenantBlueprint, current_principal, tenant_session
from giamsat.supervision import operations, queries
from giamsat.supervision.schemas.boards import (
    BoardCreateSchema,
    BoardMemberCreateSchema,
    BoardMemberSchema,
    BoardMemberUpdateSchema,
    BoardQueryArgsSchema,
    BoardSchema,
    BoardUpdateSchema,
)

boards_blp = TenantBlueprint(
    "supervision_boards",
    __name__,
    "/supervision/boards",
    description="Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng của từng xã, "
    "phường: nhiệm kỳ và thành viên. Việc giám sát của ban là các hoạt động và kiến nghị có "
    "`board_id`.",
)


@boards_blp.route("")
class Boards(MethodView):
    @boards_blp.arguments(BoardQueryArgsSchema, location="query")
    @boards_blp.response(200, BoardSchema(many=True))
    @boards_blp.paginate(SelectPage)
    def get(self, args):
        """Các ban, nhiệm kỳ mới nhất trước"""
        return queries.list_boards_query(tenant_session(), current_principal(), **args)

    @boards_blp.arguments(BoardCreateSchema)
    @boards_blp.response(201, BoardSchema)
    def post(self, data):
        """Ghi một ban của đơn vị cho một nhiệm kỳ"""
        return operations.create_board(tenant_session(), current_principal(), **data)


@boards_blp.route("/<int:board_id>")
class BoardById(MethodView):
    @boards_blp.etag
    @boards_blp.response(200, BoardSchema)
    def get(self, board_id):
        """Một ban, với các thành viên"""
        return queries.get_board(tenant_session(), board_id, current_principal())

    @boards_blp.etag
    @boards_blp.arguments(BoardUpdateSchema)
    @boards_blp.response(200, BoardSchema)
    def patch(self, data, board_id):
        """Sửa ban (cần If-Match)"""
        session = tenant_session()
        board = queries.get_board(session, board_id, current_principal())
        boards_blp.check_etag(board, BoardSchema)
        return operations.update_board(session, current_principal(), board.id, **data)


@boards_blp.route("/<int:board_id>/members")
class BoardMembers(MethodView):
    @boards_blp.arguments(BoardMemberCreateSchema)
    @boards_blp.response(201, BoardMemberSchema)
    def post(self, data, board_id):
        """Thêm một thành viên"""
        return operations.add_board_member(tenant_session(), current_principal(), board_id, **data)


@boards_blp.route("/members/<int:member_id>")
class BoardMemberById(MethodView):
    @boards_blp.response(200, BoardMemberSchema)
    def get(self, member_id):
        """Một thành viên"""
        return queries.get_board_member(tenant_session(), member_id, current_principal())

    @boards_blp.arguments(BoardMemberUpdateSchema)
    @boards_blp.response(200, BoardMemberSchema)
    def patch(self, data, member_id):
        """Sửa thành viên; `to_on` ghi ngày thôi tham gia ban"""
        return operations.update_board_member(
            tenant_session(), current_principal(), member_id, **data
        )
