"""Reads of yearly reviews, scoped to the units the principal sees, and a parent's roll-up of
the reviews below it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core.errors import NotFound
from giamsat.reports.yearly_review.models import ReviewSection, ReviewStatus, YearlyReview
from giamsat.reports.yearly_review.sections import list_sections
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.queries import get_unit, scoped


def get_review(session: Session, principal, review_id: int) -> YearlyReview:
    """A review of a visible unit; NotFound for a missing or invisible one alike."""
    review = session.scalar(
        scoped(
            select(YearlyReview).where(YearlyReview.id == review_id),
            YearlyReview.unit_id,
            principal,
        )
    )
    if review is None:
        raise NotFound("Không tìm thấy bản đánh giá năm.")
    return review


def find_review(session: Session, unit_id: int, year: int) -> YearlyReview | None:
    """Unscoped lookup by natural key (callers have checked the unit)."""
    return session.scalar(
        select(YearlyReview).where(YearlyReview.unit_id == unit_id, YearlyReview.year == year)
    )


def section_texts(review: YearlyReview, sections: list[ReviewSection]) -> list[tuple[str, str]]:
    """(title, text) of the sections asked for now, then of retired ones the review answered."""
    by_section = {t.section_id: t for t in review.texts}
    rows = [(s.title, by_section[s.id].content if s.id in by_section else "") for s in sections]
    asked = {s.id for s in sections}
    rows += [
        (t.section_title, t.content)
        for t in review.texts
        if t.section_id not in asked and t.content
    ]
    return rows


@dataclass
class RolledUnit:
    unit: Unit
    review: YearlyReview | None

    @property
    def status(self) -> str:
        return self.review.status.value if self.review else "missing"

    @property
    def counts(self) -> bool:
        return self.review is not None and self.review.status == ReviewStatus.submitted


@dataclass
class RollUp:
    """A unit's review with those of every reviewing unit below it: figures of the submitted
    reviews summed (this year and the previous), narratives listed by unit under each section."""

    unit: Unit
    year: int
    units: list[RolledUnit]
    current: Counter = field(default_factory=Counter)
    previous: Counter = field(default_factory=Counter)
    #: section title → [(unit name, text)] in tree order.
    narratives: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def counted(self) -> list[RolledUnit]:
        return [u for u in self.units if u.counts]

    @property
    def waiting(self) -> list[RolledUnit]:
        return [u for u in self.units if not u.counts]


def build_rollup(session: Session, principal, unit_id: int, year: int) -> RollUp:
    """The roll-up of a visible unit: itself and every current reviewing unit below it."""
    top = get_unit(session, unit_id, principal)
    units = session.scalars(
        select(Unit)
        .join(UnitLevel, UnitLevel.code == Unit.level_code)
        .where(
            Unit.path.startswith(top.path),
            Unit.valid_to.is_(None),
            UnitLevel.is_residential_area.is_(False),
        )
        .order_by(Unit.path)
    ).all()
    reviews = {
        r.unit_id: r
        for r in session.scalars(
            select(YearlyReview).where(
                YearlyReview.year == year, YearlyReview.unit_id.in_([u.id for u in units])
            )
        )
    }
    rollup = RollUp(top, year, [RolledUnit(u, reviews.get(u.id)) for u in units])
    sections = list_sections(session)
    for rolled in rollup.counted:
        review = rolled.review
        assert review is not None
        rollup.current.update(review.figures.get("current", {}))
        rollup.previous.update(review.figures.get("previous", {}))
        for title, text in section_texts(review, sections):
            if text.strip():
                rollup.narratives.setdefault(title, []).append((rolled.unit.name, text))
    return rollup
