"""The boards of a commune (Ban TTND, Ban GSĐTCĐ): list, add, one board with its members and
its own supervision work, edit, members."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.supervision import operations, queries
from giamsat.supervision.board_forms import BoardForm, BoardMemberForm
from giamsat.supervision.board_models import BoardKind
from giamsat.supervision.views import bp
from giamsat.supervision.views.common import (
    FORM_TEMPLATE,
    can_write,
    default_unit,
    enum_arg,
    form_context,
    require_some_writable_unit,
    require_writer_of,
    unit_arg,
    unit_choices,
    values,
    visible_units,
    writable_units,
)
from giamsat.units.models import Unit

BOARD_FIELDS = ["kind", "term_start_year", "term_end_year", "decision", "note"]
MEMBER_FIELDS = ["full_name", "role", "from_on", "to_on", "note"]


@bp.get("/boards")
@login_required
def boards():
    filters = dict(unit_id=unit_arg(), kind=enum_arg(BoardKind, "kind"))
    page = paginate(queries.list_boards_query(tenant_session(), current_principal(), **filters))
    return render_template(
        "supervision/boards.html",
        page=page,
        filters=filters,
        units=visible_units(),
        can_write=bool(writable_units()),
    )


@bp.route("/boards/new", methods=["GET", "POST"])
@login_required
def create_board():
    units = [u for u in require_some_writable_unit() if not u.level.is_residential_area]
    form = BoardForm()
    form.unit_id.choices = unit_choices(units)
    default_unit(form.unit_id, units)
    names = ["unit_id", *BOARD_FIELDS]
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Thêm Ban Thanh tra nhân dân hoặc Ban Giám sát đầu tư của cộng đồng"),
            fields=names,
            intro=_("Mỗi nhiệm kỳ ghi một lần; thành viên thêm ở trang của ban."),
            action=url_for("supervision_pages.create_board"),
            cancel=url_for("supervision_pages.boards"),
        ),
        run=lambda: operations.create_board(
            tenant_session(), current_principal(), **values(form, names)
        ),
        then=lambda item: done(
            _(
                "Đã thêm ban, nhiệm kỳ %(start)s–%(end)s.",
                start=item.term_start_year,
                end=item.term_end_year,
            ),
            url_for("supervision_pages.board", board_id=item.id),
        ),
    )


@bp.get("/boards/<int:board_id>")
@login_required
def board(board_id: int):
    session, principal = tenant_session(), current_principal()
    item = queries.get_board(session, board_id, principal)
    activities = list(
        session.scalars(queries.list_activities_query(session, principal, board_id=item.id))
    )
    recommendations = list(
        session.scalars(queries.list_recommendations_query(session, principal, board_id=item.id))
    )
    return render_template(
        "supervision/board.html",
        board=item,
        unit=session.get(Unit, item.unit_id),
        activities=activities,
        recommendations=recommendations,
        can_write=can_write(item.unit_id),
    )


@bp.route("/boards/<int:board_id>/edit", methods=["GET", "POST"])
@login_required
def edit_board(board_id: int):
    item = queries.get_board(tenant_session(), board_id, current_principal())
    require_writer_of(item)
    form = BoardForm(obj=item)
    del form.unit_id
    back = url_for("supervision_pages.board", board_id=item.id)

    def prefill():
        form.kind.data = item.kind.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa ban"),
            fields=BOARD_FIELDS,
            cancel=back,
            action=url_for("supervision_pages.edit_board", board_id=item.id),
        ),
        run=lambda: operations.update_board(
            tenant_session(), current_principal(), item.id, **values(form, BOARD_FIELDS)
        ),
        then=lambda _board: done(_("Đã lưu ban."), back),
    )


@bp.route("/boards/<int:board_id>/members/new", methods=["GET", "POST"])
@login_required
def add_board_member(board_id: int):
    item = queries.get_board(tenant_session(), board_id, current_principal())
    require_writer_of(item)
    form = BoardMemberForm()
    back = url_for("supervision_pages.board", board_id=item.id)
    return form_page(
        form,
        FORM_TEMPLATE,
        context=form_context(
            heading=_("Thêm thành viên của ban"),
            fields=MEMBER_FIELDS,
            cancel=back,
            action=url_for("supervision_pages.add_board_member", board_id=item.id),
        ),
        run=lambda: operations.add_board_member(
            tenant_session(), current_principal(), item.id, **values(form, MEMBER_FIELDS)
        ),
        then=lambda member: done(_("Đã thêm “%(name)s” vào ban.", name=member.full_name), back),
    )


@bp.route("/boards/members/<int:member_id>/edit", methods=["GET", "POST"])
@login_required
def edit_board_member(member_id: int):
    member = queries.get_board_member(tenant_session(), member_id, current_principal())
    require_writer_of(member)
    form = BoardMemberForm(obj=member)
    back = url_for("supervision_pages.board", board_id=member.board_id)

    def prefill():
        form.role.data = member.role.value

    return form_page(
        form,
        FORM_TEMPLATE,
        prefill=prefill,
        context=form_context(
            heading=_("Sửa thành viên “%(name)s”", name=member.full_name),
            fields=MEMBER_FIELDS,
            intro=_(
                "Khi thành viên thôi tham gia, ghi ngày thôi: người đó vẫn còn trong lịch sử của ban."
            ),
            cancel=back,
            action=url_for("supervision_pages.edit_board_member", member_id=member.id),
        ),
        run=lambda: operations.update_board_member(
            tenant_session(), current_principal(), member.id, **values(form, MEMBER_FIELDS)
        ),
        then=lambda _member: done(_("Đã lưu thành viên “%(name)s”.", name=member.full_name), back),
    )
