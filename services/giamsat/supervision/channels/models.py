"""The channels of the programme kept as records (issue 19, point 3): voter-meeting and
opinion-collection sessions with the issues raised there, attendance at the meetings of the
same-level party committee, People's Council and People's Committee, and the register of
respected people and core members of each residential area."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core.db import TenantBase, TimestampMixin, string_enum
from giamsat.units.models import Unit


def _enum(cls, name):
    return string_enum(cls, name, length=40)


class CitizenMeetingKind(str, enum.Enum):
    voter_meeting = "voter_meeting"  #: tiếp xúc cử tri
    opinion_collection = "opinion_collection"  #: lấy ý kiến nhân dân


class MeetingBody(str, enum.Enum):
    """The same-level body whose meeting the Front attended (dự họp)."""

    party_committee = "party_committee"  #: cấp ủy
    peoples_council = "peoples_council"  #: HĐND
    peoples_committee = "peoples_committee"  #: UBND


class RespectedKind(str, enum.Enum):
    respected = "respected"  #: người có uy tín
    core_member = "core_member"  #: lực lượng cốt cán


class RespectedRole(str, enum.Enum):
    """What a respected person or core member may be called on for."""

    box_witness = "box_witness"  #: chứng kiến mở hòm thư
    key_keeper = "key_keeper"  #: giữ chìa khóa hòm thư
    source = "source"  #: cung cấp thông tin


class CitizenMeeting(TimestampMixin, TenantBase):
    """A voter meeting or a collection of public opinion (tiếp xúc cử tri, lấy ý kiến)."""

    __tablename__ = "citizen_meetings"
    __table_args__ = (CheckConstraint("participants_count >= 0", name="participants_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[CitizenMeetingKind] = mapped_column(
        _enum(CitizenMeetingKind, "citizen_meeting_kind")
    )
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300))
    #: What it was about, e.g. "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã".
    title: Mapped[str] = mapped_column(String(300), default="")
    participants_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Thành phần tham dự, as written.
    participants: Mapped[str] = mapped_column(Text, default="")

    issues: Mapped[list[CitizenIssue]] = relationship(
        back_populates="meeting", lazy="selectin", order_by="CitizenIssue.id"
    )


class CitizenIssue(TimestampMixin, TenantBase):
    """An issue raised at a meeting (ý kiến, kiến nghị của cử tri), where it was forwarded
    and the answer; it keeps the case or recommendation opened from it."""

    __tablename__ = "citizen_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Copied from the meeting so issues are scoped like everything else.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("citizen_meetings.id", ondelete="CASCADE"), index=True
    )
    content: Mapped[str] = mapped_column(Text)
    #: Chuyển đến, e.g. "UBND xã".
    forwarded_to: Mapped[str] = mapped_column(String(300), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id"), index=True
    )

    meeting: Mapped[CitizenMeeting] = relationship(back_populates="issues")


class MeetingAttendance(TimestampMixin, TenantBase):
    """One meeting of a same-level body attended by the Front (dự họp), counted in reports."""

    __tablename__ = "meeting_attendances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    body: Mapped[MeetingBody] = mapped_column(_enum(MeetingBody, "meeting_body"))
    #: e.g. "Kỳ họp thứ 5 HĐND xã khóa I".
    title: Mapped[str] = mapped_column(String(300))
    #: Who attended for the Front, e.g. "Chủ tịch UBMTTQ xã".
    attended_by: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")


class RespectedPerson(TimestampMixin, TenantBase):
    """A respected person or core member of a residential area (người có uy tín, cốt cán).
    The contact is personal data: lists mask it, roll-ups and exports never carry it."""

    __tablename__ = "respected_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The commune (or ward) whose register this is; every read is scoped on it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: full_name folded (lowercase, no diacritics) for the accent-insensitive search.
    name_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RespectedKind] = mapped_column(_enum(RespectedKind, "respected_kind"))
    #: RespectedRole values.
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    #: Phone or address, as given.
    contact: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    area: Mapped[Unit] = relationship(foreign_keys=[area_id], lazy="joined")

    @property
    def role_members(self) -> list[RespectedRole]:
        return [RespectedRole(r) for r in self.roles or ()]
