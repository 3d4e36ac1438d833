"""The tables of the yearly review: the province's narrative sections, one review per (unit,
year) with its prefilled figures, and the text each review gives for each section."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giamsat.core.db import TenantBase, TimestampMixin, string_enum
from giamsat.units.models import Unit


class ReviewStatus(str, enum.Enum):
    draft = "draft"  #: dự thảo, đơn vị đang soạn
    submitted = "submitted"  #: đã gửi cấp trên


class ReviewSection(TimestampMixin, TenantBase):
    """A narrative section the province asks every review for (tenant data, editable by the
    province's administrators; seeded from the seed programme's headings)."""

    __tablename__ = "review_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: What the section should say, shown under its box.
    guidance: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    #: A retired section is no longer asked for; reviews that answered it keep their text.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class YearlyReview(TimestampMixin, TenantBase):
    """The yearly review of one unit (its own records and its residential areas')."""

    __tablename__ = "yearly_reviews"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_yearly_reviews_unit_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The reviewing unit; scoping goes through this column.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[ReviewStatus] = mapped_column(
        string_enum(ReviewStatus, "yearly_review_status"), default=ReviewStatus.draft
    )
    #: {"current": {code: n}, "previous": {code: n}} — see figures.FIGURES; zeros kept.
    figures: Mapped[dict] = mapped_column(JSONB, default=dict)
    figures_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(Integer)
    #: None when the year-end job made the draft.
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    #: Bumped on every change: a guard against lost updates.
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship(lazy="joined")
    texts: Mapped[list[YearlyReviewText]] = relationship(
        back_populates="review", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def is_editable(self) -> bool:
        return self.status == ReviewStatus.draft


class YearlyReviewText(TenantBase):
    """What one review says under one section; the title is kept as it was when written."""

    __tablename__ = "yearly_review_texts"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("yearly_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    section_id: Mapped[int] = mapped_column(ForeignKey("review_sections.id"), primary_key=True)
    section_title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[YearlyReview] = relationship(back_populates="texts")
