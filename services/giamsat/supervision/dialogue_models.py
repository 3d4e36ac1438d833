"""Dialogues between people and the heads of party committees and authorities: the issues
raised there (tagged like every finding) and the commitments followed up until kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.cases.models import ClassificationCategory
from giamsat.core import clock
from giamsat.core.db import TenantBase, TimestampMixin
from giamsat.supervision.enums import CommitmentStatus, DialogueStatus
from giamsat.supervision.model_parts import enum_type, tag_table, tagged
from giamsat.units.models import Organization

dialogue_issue_tags = tag_table("dialogue_issue_tags", "issue_id", "dialogue_issues")


class Dialogue(TimestampMixin, TenantBase):
    """A dialogue between people or members and heads of party committees and authorities."""

    __tablename__ = "dialogues"
    __table_args__ = (CheckConstraint("participants_count >= 0", name="participants_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[DialogueStatus] = mapped_column(
        enum_type(DialogueStatus, "dialogue_status"), default=DialogueStatus.scheduled
    )
    #: Chủ trì.
    chaired_by: Mapped[str] = mapped_column(String(300), default="")
    #: Heads of party committees and authorities present (người đứng đầu tham dự).
    heads_present: Mapped[str] = mapped_column(Text, default="")
    participants_count: Mapped[int] = mapped_column(Integer, default=0)
    participants: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(lazy="joined")
    issues: Mapped[list[DialogueIssue]] = relationship(
        back_populates="dialogue", lazy="selectin", order_by="DialogueIssue.id"
    )
    commitments: Mapped[list[DialogueCommitment]] = relationship(
        back_populates="dialogue", lazy="selectin", order_by="DialogueCommitment.id"
    )


class DialogueIssue(TimestampMixin, TenantBase):
    """An issue raised at a dialogue (vấn đề nêu ra) and the answer given there."""

    __tablename__ = "dialogue_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), index=True
    )
    content: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")

    dialogue: Mapped[Dialogue] = relationship(back_populates="issues")
    tags: Mapped[list[ClassificationCategory]] = tagged(dialogue_issue_tags)


class DialogueCommitment(TimestampMixin, TenantBase):
    """A commitment made at a dialogue (cam kết), followed up until kept or reported broken."""

    __tablename__ = "dialogue_commitments"
    __table_args__ = (Index("ix_dialogue_commitments_unit_status", "unit_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), index=True
    )
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue_issues.id"))
    content: Mapped[str] = mapped_column(Text)
    #: Who committed / is responsible, e.g. "Chủ tịch UBND xã".
    responsible: Mapped[str] = mapped_column(String(300), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_type(CommitmentStatus, "dialogue_commitment_status"), default=CommitmentStatus.open
    )
    #: The follow-up report that closed it (kết quả theo dõi).
    report: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[dt.date | None] = mapped_column(Date)

    dialogue: Mapped[Dialogue] = relationship(back_populates="commitments")

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        return (
            self.status == CommitmentStatus.open and self.due_on is not None and self.due_on < today
        )
