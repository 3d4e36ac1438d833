"""A yearly review while its unit writes it: created (by the year-end job or from the page)
as a draft prefilled with the figures, refreshed, its narratives edited, then submitted to the
parent. Flush only; never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import audit, clock
from giamsat.core.db import utcnow
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.core.validation import Errors
from giamsat.identity import SystemActor
from giamsat.reports.operations.common import AUTHORS, check_role
from giamsat.reports.yearly_review.figures import review_figures, review_figures_of
from giamsat.reports.yearly_review.models import ReviewStatus, YearlyReview, YearlyReviewText
from giamsat.reports.yearly_review.queries import find_review, get_review
from giamsat.reports.yearly_review.sections import list_sections
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.queries import get_unit

#: From this day (month, day) of a year, the year-end job opens that year's drafts: the yearly
#: report is due before 15/12 (seed programme IV.3), the review is written beside it.
DRAFTS_OPEN_ON = (12, 1)
#: Longest text of one section (a typo guard far above a real review's section).
TEXT_MAX = 50_000
FIRST_YEAR = 2000


def _check_year(year, today: dt.date) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed(
            f"Năm đánh giá phải từ {FIRST_YEAR} đến năm nay ({today.year}).", field="year"
        )
    return year


def _check_reviewing_unit(unit: Unit) -> None:
    if unit.level.is_residential_area:
        raise ValidationFailed(
            "Khu dân cư không lập bản đánh giá riêng: số liệu của khu dân cư được tính vào bản "
            "đánh giá của xã, phường.",
            field="unit_id",
        )
    if not unit.is_current():
        raise ValidationFailed("Đơn vị không còn tồn tại.", field="unit_id")


def _new_draft(
    session: Session, unit: Unit, year: int, figures: dict, created_by_id: int | None
) -> YearlyReview:
    review = YearlyReview(
        unit_id=unit.id,
        year=year,
        status=ReviewStatus.draft,
        figures=figures,
        figures_at=utcnow(),
        created_by_id=created_by_id,
    )
    session.add(review)
    session.flush()
    return review


def open_review(
    session: Session, principal, *, unit_id: int, year, today: dt.date | None = None
) -> tuple[YearlyReview, bool]:
    """The unit's review of `year`, created as a prefilled draft when missing; an existing
    draft takes the latest figures. Returns (review, created).

    NotFound (unit not visible), Forbidden (no author role), ValidationFailed (a residential
    area, a former unit, a year in the future or before 2000)."""
    today = today or clock.today()
    unit = get_unit(session, unit_id, principal)
    check_role(principal, unit, AUTHORS, "lập bản đánh giá năm của đơn vị này")
    year = _check_year(year, today)
    existing = find_review(session, unit.id, year)
    if existing is not None:
        if existing.is_editable:
            _refresh(session, principal, existing, today)
        return existing, False
    _check_reviewing_unit(unit)
    figures = review_figures(session, unit.id, year, today)
    review = _new_draft(session, unit, year, figures, principal.user_id)
    _audit(session, principal, review, "create", {"year": [None, year]})
    return review, True


def _refresh(session: Session, principal, review: YearlyReview, today: dt.date) -> None:
    before = review.figures
    review.figures = review_figures(session, review.unit_id, review.year, today)
    review.figures_at = utcnow()
    review.version += 1
    session.flush()
    if before != review.figures:
        _audit(session, principal, review, "refresh", {"figures": [before, review.figures]})


def _writable(session: Session, principal, review_id: int, version: int | None) -> YearlyReview:
    review = get_review(session, principal, review_id)
    check_role(principal, review.unit, AUTHORS, "sửa bản đánh giá năm này")
    if not review.is_editable:
        raise Conflict("Bản đánh giá đã gửi cấp trên nên không sửa được nữa.", field="status")
    if version is not None and version != review.version:
        raise Conflict(
            "Bản đánh giá vừa được người khác thay đổi. Hãy tải lại trang rồi sửa lại.",
            field="version",
        )
    return review


def refresh_review(
    session: Session,
    principal,
    review_id: int,
    *,
    version: int | None = None,
    today: dt.date | None = None,
) -> YearlyReview:
    """The latest figures into a draft; the narratives stay."""
    review = _writable(session, principal, review_id, version)
    _refresh(session, principal, review, today or clock.today())
    return review


def update_review(
    session: Session,
    principal,
    review_id: int,
    *,
    texts: dict[int, str],
    version: int | None = None,
) -> YearlyReview:
    """The narratives of a draft, {section id: text}. Every problem at once and nothing
    written (ValidationFailed, fields `section-<id>`); Conflict once submitted or stale."""
    review = _writable(session, principal, review_id, version)
    sections = {s.id: s for s in list_sections(session)}
    errors = Errors()
    cleaned: dict[int, str] = {}
    for section_id, raw in texts.items():
        field = f"section-{section_id}"
        section = sections.get(section_id)
        if section is None:
            errors.add(field, "Tỉnh không còn yêu cầu mục này trong bản đánh giá.")
            continue
        value = errors.text(raw, field, label=section.title, max_length=TEXT_MAX, single_line=False)
        if value is not None:
            cleaned[section_id] = value
    errors.raise_if_any("Bản đánh giá chưa lưu được: hãy sửa các mục được đánh dấu.")
    existing = {t.section_id: t for t in review.texts}
    changes = {}
    for section_id, value in cleaned.items():
        row = existing.get(section_id)
        if row is None:
            row = YearlyReviewText(section_id=section_id, content="")
            review.texts.append(row)
        if row.content != value:
            changes[f"section-{section_id}"] = [len(row.content), len(value)]  # lengths only
        row.content = value
        row.section_title = sections[section_id].title
    review.version += 1
    session.flush()
    _audit(session, principal, review, "update", changes)
    return review


def submit_review(
    session: Session, principal, review_id: int, *, version: int | None = None
) -> YearlyReview:
    """Send the draft to the parent: every section the province asks for must be written."""
    review = _writable(session, principal, review_id, version)
    written = {t.section_id for t in review.texts if t.content.strip()}
    errors = Errors()
    for section in list_sections(session):
        if section.id not in written:
            errors.add(f"section-{section.id}", f"Hãy viết mục “{section.title}” trước khi gửi.")
    errors.raise_if_any(
        "Bản đánh giá chưa gửi được: còn mục chưa viết (xem các mục được đánh dấu)."
    )
    review.status = ReviewStatus.submitted
    review.submitted_at = utcnow()
    review.submitted_by_id = principal.user_id
    review.version += 1
    session.flush()
    _audit(session, principal, review, "submit", {"status": ["draft", "submitted"]})
    return review


def create_year_end_drafts(session: Session, today: dt.date | None = None) -> int:
    """The year-end job: from DRAFTS_OPEN_ON, a draft for every current unit that writes a
    review and has none for this year yet. Idempotent; returns how many were created."""
    today = today or clock.today()
    if (today.month, today.day) < DRAFTS_OPEN_ON:
        return 0
    have = select(YearlyReview.unit_id).where(YearlyReview.year == today.year)
    units = session.scalars(
        select(Unit)
        .join(UnitLevel, UnitLevel.code == Unit.level_code)
        .where(
            Unit.valid_to.is_(None),
            UnitLevel.is_residential_area.is_(False),
            Unit.id.not_in(have),
        )
        .order_by(Unit.path)
    ).all()
    # Every unit's figures in one pass (a fixed number of queries for the whole province).
    figures = review_figures_of(session, [u.id for u in units], today.year, today)
    for unit in units:
        review = _new_draft(session, unit, today.year, figures[unit.id], None)
        _audit(session, SystemActor(), review, "create", {"year": [None, today.year]})
    return len(units)


def _audit(session: Session, actor, review: YearlyReview, action: str, changes: dict) -> None:
    audit.record(
        session,
        actor,
        action=action,
        object_type="yearly_review",
        object_id=review.id,
        changes=changes,
    )
