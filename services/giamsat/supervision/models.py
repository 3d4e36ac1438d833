"""The supervision register: people, assignments, plans, activities, recommendations (the
dialogues are in `dialogue_models`, importable from here too)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.cases.models import ClassificationCategory
from giamsat.core import clock
from giamsat.core.db import TenantBase, TimestampMixin, utcnow
from giamsat.supervision.board_models import SupervisionBoard
from giamsat.supervision.dialogue_models import Dialogue as Dialogue
from giamsat.supervision.dialogue_models import DialogueCommitment as DialogueCommitment
from giamsat.supervision.dialogue_models import DialogueIssue as DialogueIssue
from giamsat.supervision.dialogue_models import dialogue_issue_tags as dialogue_issue_tags
from giamsat.supervision.enums import (
    ActivityKind,
    AddresseeKind,
    ExpectedAnswer,
    ManagementLevel,
    PersonTier,
    Place,
    PlanStatus,
    RecommendationStatus,
)
from giamsat.supervision.enums import CommitmentStatus as CommitmentStatus
from giamsat.supervision.enums import DialogueStatus as DialogueStatus
from giamsat.supervision.model_parts import enum_type, tag_table, tagged
from giamsat.units.models import Department, Organization, Unit


class SupervisedPerson(TimestampMixin, TenantBase):
    """A head, key cadre or cadre/party member on a unit's register (đối tượng giám sát)."""

    __tablename__ = "supervised_people"
    __table_args__ = (
        # The natural key that catches duplicates in imports: same unit, same folded name,
        # same birth year and same workplace. An unknown birth year counts as a value.
        UniqueConstraint(
            "unit_id",
            "name_key",
            "birth_year",
            "workplace_key",
            name="uq_supervised_people_natural_key",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint(
            "birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", name="birth_year_range"
        ),
        # The register's order, by name (migration 0021).
        Index("ix_supervised_people_name_order", "name_key", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The unit whose register this is; every read is scoped on it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: full_name folded (lowercase, no diacritics, đ→d, single spaces) for duplicate checks.
    name_key: Mapped[str] = mapped_column(String(200))
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    #: Chức vụ, e.g. "Bí thư Đảng ủy xã".
    position: Mapped[str] = mapped_column(String(300), default="")
    tier: Mapped[PersonTier] = mapped_column(enum_type(PersonTier, "supervision_person_tier"))
    #: Cơ quan công tác, e.g. "UBND xã Gia Viễn".
    workplace_agency: Mapped[str] = mapped_column(String(300), default="")
    #: Đơn vị (department inside the agency), e.g. "Phòng Kinh tế".
    workplace_unit: Mapped[str] = mapped_column(String(300), default="")
    #: workplace_agency folded like name_key.
    workplace_key: Mapped[str] = mapped_column(String(300), default="")
    #: The residential area (khu dân cư) the person lives in, when it is in the tree.
    residence_area_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: Nơi cư trú as written (address, or an area outside the tree).
    residence: Mapped[str] = mapped_column(String(300), default="")
    management_level: Mapped[ManagementLevel] = mapped_column(
        enum_type(ManagementLevel, "supervision_management_level"), default=ManagementLevel.other
    )
    is_party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: False once the person left the register (moved, retired); history stays.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id], lazy="joined")
    residence_area: Mapped[Unit | None] = relationship(foreign_keys=[residence_area_id])


class CasePerson(TenantBase):
    """A case is about this person on a register (người bị phản ánh), as a staff member
    confirmed it. Never made by matching alone; the case's free-text `concerned` stays."""

    __tablename__ = "case_people"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("supervised_people.id"), primary_key=True, index=True
    )
    #: Who confirmed it (a user id, as cases keep it) and when.
    confirmed_by_id: Mapped[int | None] = mapped_column(Integer)
    confirmed_by_label: Mapped[str] = mapped_column(String(120), default="")
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: "proposal" (a proposed match confirmed), "search" (found by hand) or "new_person".
    how: Mapped[str] = mapped_column(String(20), default="proposal")

    person: Mapped[SupervisedPerson] = relationship(lazy="joined")


class SupervisionAssignment(TimestampMixin, TenantBase):
    """Which organization of a unit supervises a person, at the workplace or the residence
    (phân công giám sát). A change closes the row (valid_to) and opens a new one."""

    __tablename__ = "supervision_assignments"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_order"),
        # At most one open assignment per person, organization and place.
        Index(
            "uq_supervision_assignments_open",
            "person_id",
            "organization_id",
            "place",
            unique=True,
            postgresql_where="valid_to IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("supervised_people.id"), index=True)
    place: Mapped[Place] = mapped_column(enum_type(Place, "supervision_place"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    #: Last day of the assignment; None while it runs.
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    #: The assignment this one replaced, when it came from a change.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_assignments.id"))

    person: Mapped[SupervisedPerson] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class SupervisionPlan(TimestampMixin, TenantBase):
    """The yearly supervision plan of one organization at one unit (kế hoạch giám sát)."""

    __tablename__ = "supervision_plans"
    __table_args__ = (
        UniqueConstraint("unit_id", "organization_id", "year", name="uq_supervision_plans_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PlanStatus] = mapped_column(
        enum_type(PlanStatus, "supervision_plan_status"), default=PlanStatus.draft
    )
    approved_on: Mapped[dt.date | None] = mapped_column(Date)

    organization: Mapped[Organization] = relationship(lazy="joined")


#: People supervised in an activity (link activity ↔ person).
activity_people = Table(
    "supervision_activity_people",
    TenantBase.metadata,
    Column(
        "activity_id", ForeignKey("supervision_activities.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("person_id", ForeignKey("supervised_people.id"), primary_key=True, index=True),
)


comment_tags = tag_table("supervision_comment_tags", "comment_id", "supervision_comments")
recommendation_tags = tag_table("recommendation_tags", "recommendation_id", "recommendations")


class SupervisionActivity(TimestampMixin, TenantBase):
    """One supervision session or dissemination conference (cuộc giám sát, hội nghị quán triệt)."""

    __tablename__ = "supervision_activities"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="date_order"),
        CheckConstraint("participants_count >= 0", name="participants_not_negative"),
        # The list's order: first pages walk activities in page order and stop (migration 0021).
        Index("ix_supervision_activities_start_order", text("starts_on DESC"), text("id DESC")),
        Index(
            "ix_supervision_activities_unit_start_order",
            "unit_id",
            text("starts_on DESC"),
            text("id DESC"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_plans.id"), index=True)
    #: The Ban TTND / Ban GSĐTCĐ of the unit when the activity is that board's own work.
    board_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_boards.id"), index=True)
    #: The committee's department that owns the activity (Ban DC-PL…), of the same unit.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("unit_departments.id"))
    kind: Mapped[ActivityKind] = mapped_column(enum_type(ActivityKind, "supervision_activity_kind"))
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    participants_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Thành phần tham dự, as written.
    participants: Mapped[str] = mapped_column(Text, default="")
    #: Kết quả giám sát.
    findings: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(lazy="joined")
    board: Mapped[SupervisionBoard | None] = relationship()
    department: Mapped[Department | None] = relationship()
    people: Mapped[list[SupervisedPerson]] = relationship(
        secondary=activity_people, lazy="selectin", order_by=SupervisedPerson.full_name
    )
    comments: Mapped[list[SupervisionComment]] = relationship(
        back_populates="activity", lazy="selectin", order_by="SupervisionComment.id"
    )


class SupervisionComment(TimestampMixin, TenantBase):
    """A comment given during an activity (ý kiến góp ý), to one person or in general."""

    __tablename__ = "supervision_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Copied from the activity so comments are scoped like everything else.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_activities.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("supervised_people.id"), index=True)
    content: Mapped[str] = mapped_column(Text)

    activity: Mapped[SupervisionActivity] = relationship(back_populates="comments")
    person: Mapped[SupervisedPerson | None] = relationship(lazy="joined")
    tags: Mapped[list[ClassificationCategory]] = tagged(comment_tags)


class Recommendation(TimestampMixin, TenantBase):
    """A recommendation issued after supervision (kiến nghị) and the answer expected to it."""

    __tablename__ = "recommendations"
    __table_args__ = (
        CheckConstraint("due_on >= issued_on", name="due_after_issue"),
        Index("ix_recommendations_unit_status_due", "unit_id", "status", "due_on"),
        # The list's order, most urgent first (migration 0021).
        Index("ix_recommendations_due_order", "due_on", "id"),
        Index("ix_recommendations_unit_due_order", "unit_id", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_activities.id"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("supervised_people.id"), index=True)
    #: The board that issued it; taken from the activity when the recommendation has one.
    board_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_boards.id"), index=True)
    addressee_kind: Mapped[AddresseeKind] = mapped_column(
        enum_type(AddresseeKind, "recommendation_addressee_kind")
    )
    #: Nơi nhận kiến nghị, e.g. "Đảng ủy xã Gia Viễn".
    addressee_name: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    expected_answer: Mapped[ExpectedAnswer] = mapped_column(
        enum_type(ExpectedAnswer, "recommendation_expected_answer")
    )
    #: issued_on + the tenant's recommendation_response_days, in working days.
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_type(RecommendationStatus, "recommendation_status"),
        default=RecommendationStatus.awaiting,
    )
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(lazy="joined")
    tags: Mapped[list[ClassificationCategory]] = tagged(recommendation_tags)
    board: Mapped[SupervisionBoard | None] = relationship()
    reminders: Mapped[list[RecommendationReminder]] = relationship(
        back_populates="recommendation",
        lazy="selectin",
        order_by="RecommendationReminder.reminded_on",
    )

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        return self.status == RecommendationStatus.awaiting and self.due_on < today


class RecommendationReminder(TimestampMixin, TenantBase):
    """A follow-up reminder sent about a recommendation (đôn đốc)."""

    __tablename__ = "recommendation_reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    reminded_on: Mapped[dt.date] = mapped_column(Date)
    #: How and what, e.g. "Công văn số 12/CV-MTTQ đôn đốc trả lời".
    note: Mapped[str] = mapped_column(Text, default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="reminders")
