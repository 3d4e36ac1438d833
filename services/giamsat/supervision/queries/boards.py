"""Reads of the boards (Ban TTND, Ban GSĐTCĐ) and their members, scoped like the register."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from giamsat.supervision.board_models import BoardKind, BoardMember, SupervisionBoard
from giamsat.supervision.queries.common import _get, _in_unit


def get_board(session: Session, board_id: int, principal) -> SupervisionBoard:
    return _get(session, SupervisionBoard, board_id, principal, "Không tìm thấy ban.")


def get_board_member(session: Session, member_id: int, principal) -> BoardMember:
    return _get(session, BoardMember, member_id, principal, "Không tìm thấy thành viên của ban.")


def list_boards_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    kind: BoardKind | None = None,
    year: int | None = None,
) -> Select:
    """Boards, the latest term first; `year` keeps the boards whose term covers it."""
    B = SupervisionBoard
    stmt = _in_unit(select(B), B.unit_id, session, principal, unit_id, subtree)
    if kind is not None:
        stmt = stmt.where(B.kind == kind)
    if year is not None:
        stmt = stmt.where(B.term_start_year <= year, B.term_end_year >= year)
    return stmt.order_by(B.term_start_year.desc(), B.unit_id, B.kind, B.id)


def boards_of_unit(session: Session, principal, unit_id: int) -> list[SupervisionBoard]:
    """The boards of exactly this unit (the ones its activities may belong to)."""
    return list(
        session.scalars(list_boards_query(session, principal, unit_id=unit_id, subtree=False))
    )
