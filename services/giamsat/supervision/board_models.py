"""The commune's boards that supervise on the people's behalf: Ban Thanh tra nhân dân (Ban TTND)
and Ban Giám sát đầu tư của cộng đồng (Ban GSĐTCĐ), each elected for a term, with members.

Their own work is ordinary supervision activities and recommendations carrying a `board_id`
(see `models`), so it rolls up in reports like the Front's."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core.db import TenantBase, TimestampMixin, string_enum
from giamsat.units.models import Unit


class BoardKind(str, enum.Enum):
    ttnd = "ttnd"  #: Ban Thanh tra nhân dân
    gsdtcd = "gsdtcd"  #: Ban Giám sát đầu tư của cộng đồng


class BoardRole(str, enum.Enum):
    head = "head"  #: Trưởng ban
    deputy = "deputy"  #: Phó Trưởng ban
    member = "member"  #: Thành viên


class SupervisionBoard(TimestampMixin, TenantBase):
    """One board of one unit for one term (nhiệm kỳ), e.g. Ban TTND xã Đông, 2024–2026."""

    __tablename__ = "supervision_boards"
    __table_args__ = (
        CheckConstraint("term_end_year >= term_start_year", name="term_order"),
        CheckConstraint("term_start_year BETWEEN 1990 AND 2100", name="term_start_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The commune (or other unit) the board is elected at; every read is scoped on it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[BoardKind] = mapped_column(string_enum(BoardKind, "supervision_board_kind"))
    term_start_year: Mapped[int] = mapped_column(SmallInteger)
    term_end_year: Mapped[int] = mapped_column(SmallInteger)
    #: How the decision establishing it is cited, e.g. "Quyết định số 05/QĐ-MTTQ ngày 3/2/2024".
    decision: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship(lazy="joined")
    members: Mapped[list[BoardMember]] = relationship(
        back_populates="board",
        lazy="selectin",
        order_by="(BoardMember.to_on.is_not(None), BoardMember.role, BoardMember.full_name)",
    )


class BoardMember(TimestampMixin, TenantBase):
    """A member of a board, from/to the dates of their membership (to_on None: still serving)."""

    __tablename__ = "supervision_board_members"
    __table_args__ = (
        CheckConstraint("to_on IS NULL OR from_on IS NULL OR to_on >= from_on", name="date_order"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Copied from the board so members are scoped like everything else.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_boards.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[BoardRole] = mapped_column(string_enum(BoardRole, "supervision_board_role"))
    from_on: Mapped[dt.date | None] = mapped_column(Date)
    to_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")

    board: Mapped[SupervisionBoard] = relationship(back_populates="members")
