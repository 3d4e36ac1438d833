"""The boards of a unit (Ban TTND, Ban GSĐTCĐ): terms and members; and the rule tying an
activity or a recommendation to a board of its own unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.core.validation import Errors, check
from giamsat.supervision.board_models import BoardKind, BoardMember, BoardRole, SupervisionBoard
from giamsat.supervision.labels import BOARD_KIND_LABELS, BOARD_ROLE_LABELS, vietnamese
from giamsat.supervision.models import ActivityKind
from giamsat.supervision.operations.common import (
    choice,
    record_change,
    require_writer,
    unit_of,
    writable_unit,
)
from giamsat.supervision.queries.boards import get_board, get_board_member
from giamsat.units.models import Unit

#: A term is five years today (Điều lệ MTTQ); ten is room enough for any local practice.
LONGEST_TERM_YEARS = 10


def _year(value: Any, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise ValidationFailed(f"{label} không hợp lệ (một năm, ví dụ 2024).", field=field)
    return value


def _board_values(board: SupervisionBoard, values: Mapping[str, Any]) -> None:
    if "kind" in values:
        board.kind = choice(BoardKind, values["kind"], "kind", BOARD_KIND_LABELS)
    if "term_start_year" in values:
        board.term_start_year = _year(
            values["term_start_year"], "term_start_year", "Năm bắt đầu nhiệm kỳ"
        )
    if "term_end_year" in values:
        board.term_end_year = _year(
            values["term_end_year"], "term_end_year", "Năm kết thúc nhiệm kỳ"
        )
    if board.term_end_year < board.term_start_year:
        raise ValidationFailed(
            "Năm kết thúc nhiệm kỳ không được trước năm bắt đầu.", field="term_end_year"
        )
    if board.term_end_year - board.term_start_year > LONGEST_TERM_YEARS:
        raise ValidationFailed(
            f"Nhiệm kỳ dài quá {LONGEST_TERM_YEARS} năm; kiểm tra lại năm.", field="term_end_year"
        )
    if "decision" in values:
        board.decision = check(
            values["decision"], "decision", "text", label="Quyết định thành lập", max_length=300
        )
    if "note" in values:
        board.note = check(values["note"], "note", "text", label="Ghi chú", single_line=False)


def create_board(
    session: Session,
    principal,
    *,
    unit_id: int,
    kind: BoardKind | str,
    term_start_year: int,
    term_end_year: int,
    **values: Any,
) -> SupervisionBoard:
    """Record a board of a unit for one term. Optional: decision, note."""
    unit = writable_unit(session, principal, unit_id)
    if unit.level.is_residential_area:
        raise ValidationFailed(
            "Ban được thành lập ở xã, phường (không ở khu dân cư).", field="unit_id"
        )
    board = SupervisionBoard(unit_id=unit.id, members=[])
    _board_values(
        board,
        {
            "kind": kind,
            "term_start_year": term_start_year,
            "term_end_year": term_end_year,
            **values,
        },
    )
    session.add(board)
    session.flush()
    record_change(session, principal, "create", board, None)
    return board


def update_board(session: Session, principal, board_id: int, **values: Any) -> SupervisionBoard:
    board = get_board(session, board_id, principal)
    require_writer(principal, unit_of(session, board))
    before = audit.snapshot(board)
    _board_values(board, values)
    session.flush()
    record_change(session, principal, "update", board, before)
    return board


def _member_values(member: BoardMember, values: Mapping[str, Any]) -> None:
    errors = Errors()
    if "full_name" in values:
        member.full_name = errors.text(
            values["full_name"], "full_name", label="Họ và tên", required=True, max_length=200
        )  # type: ignore[assignment]
    if "role" in values:
        member.role = errors.choice(
            BoardRole, values["role"], "role", labels=vietnamese(BOARD_ROLE_LABELS)
        )  # type: ignore[assignment]
    for key, label in (("from_on", "Ngày bắt đầu"), ("to_on", "Ngày thôi tham gia")):
        if key in values:
            setattr(member, key, errors.date(values[key], key, label=label))
    if "note" in values:
        member.note = errors.text(values["note"], "note", label="Ghi chú", max_length=300)  # type: ignore[assignment]
    errors.raise_if_any()
    if member.from_on and member.to_on and member.to_on < member.from_on:
        raise ValidationFailed("Ngày thôi tham gia không được trước ngày bắt đầu.", field="to_on")


def add_board_member(
    session: Session,
    principal,
    board_id: int,
    *,
    full_name: str,
    role: BoardRole | str = BoardRole.member,
    **values: Any,
) -> BoardMember:
    """A member of a board. Optional: from_on, to_on, note."""
    board = get_board(session, board_id, principal)
    require_writer(principal, unit_of(session, board))
    member = BoardMember(unit_id=board.unit_id, board_id=board.id)
    _member_values(member, {"full_name": full_name, "role": role, **values})
    session.add(member)
    session.flush()
    session.refresh(board, ["members"])
    record_change(session, principal, "create", member, None)
    return member


def update_board_member(session: Session, principal, member_id: int, **values: Any) -> BoardMember:
    """Edit a member; giving `to_on` records that they left the board (history stays)."""
    member = get_board_member(session, member_id, principal)
    require_writer(principal, unit_of(session, member))
    before = audit.snapshot(member)
    _member_values(member, values)
    session.flush()
    session.refresh(member.board, ["members"])
    record_change(session, principal, "update", member, before)
    return member


# --- a board's own work ---------------------------------------------------------------------------


def board_of_unit(session: Session, principal, board_id: Any, unit: Unit) -> SupervisionBoard:
    """The board `board_id` if it is one of `unit`'s own boards, else a field error."""
    if isinstance(board_id, bool) or not isinstance(board_id, int):
        raise ValidationFailed("Không tìm thấy ban.", field="board_id")
    try:
        board = get_board(session, board_id, principal)
    except NotFound:
        raise ValidationFailed("Không tìm thấy ban.", field="board_id") from None
    if board.unit_id != unit.id:
        raise ValidationFailed(
            "Ban phải là ban của chính đơn vị ghi hoạt động hoặc kiến nghị.", field="board_id"
        )
    return board


def check_board_activity(board: SupervisionBoard | None, kind: ActivityKind, day: dt.date) -> None:
    """Keep `ActivityKind.via_peoples_inspection` and Ban TTND's own activities one thing: an
    activity of a Ban TTND is of that kind, and an activity of a Ban GSĐTCĐ never is. (An
    activity of that kind without a board stays possible: older records, or a board not yet
    entered.) A board's activity falls within its term."""
    if board is None:
        return
    if board.kind == BoardKind.ttnd and kind != ActivityKind.via_peoples_inspection:
        raise ValidationFailed(
            "Hoạt động của Ban Thanh tra nhân dân có hình thức "
            "“Giám sát qua Ban Thanh tra nhân dân”.",
            field="kind",
        )
    if board.kind == BoardKind.gsdtcd and kind == ActivityKind.via_peoples_inspection:
        raise ValidationFailed(
            "Hoạt động của Ban Giám sát đầu tư của cộng đồng không chọn hình thức "
            "“Giám sát qua Ban Thanh tra nhân dân”.",
            field="kind",
        )
    if not board.term_start_year <= day.year <= board.term_end_year:
        raise ValidationFailed(
            f"Ngày {day:%d/%m/%Y} nằm ngoài nhiệm kỳ {board.term_start_year}–"
            f"{board.term_end_year} của ban.",
            field="board_id",
        )
