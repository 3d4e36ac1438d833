"""The narrative sections the province asks every yearly review for: seeded once from
`data/review_sections.toml`, then the province's own data (add, rename, reorder, retire)."""

from __future__ import annotations

import tomllib
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Forbidden, NotFound
from giamsat.core.validation import Errors
from giamsat.reports.yearly_review.models import ReviewSection

TITLE_MAX = 300
GUIDANCE_MAX = 4000


def default_sections() -> list[dict]:
    text = resources.files("giamsat.reports").joinpath("data/review_sections.toml")
    return tomllib.loads(text.read_text("utf-8"))["section"]


def seed_sections(session: Session) -> int:
    """The default sections for a province that has none yet; an edited list is left alone."""
    if session.scalar(select(func.count()).select_from(ReviewSection)):
        return 0
    rows = default_sections()
    for order, row in enumerate(rows, start=1):
        session.add(
            ReviewSection(
                title=row["title"],
                guidance=row.get("guidance", ""),
                sort_order=order * 10,
                is_active=True,
            )
        )
    session.flush()
    return len(rows)


def list_sections(session: Session, *, active_only: bool = True) -> list[ReviewSection]:
    stmt = select(ReviewSection).order_by(ReviewSection.sort_order, ReviewSection.id)
    if active_only:
        stmt = stmt.where(ReviewSection.is_active.is_(True))
    return list(session.scalars(stmt))


def _check_admin(principal) -> None:
    if not principal.is_tenant_admin:
        raise Forbidden("Chỉ quản trị của tỉnh được sửa các mục của bản đánh giá năm.")


def _values(title, guidance, sort_order) -> dict:
    errors = Errors()
    values = {
        "title": errors.text(title, "title", label="Tên mục", required=True, max_length=TITLE_MAX),
        "guidance": errors.text(
            guidance, "guidance", label="Hướng dẫn", max_length=GUIDANCE_MAX, single_line=False
        ),
        "sort_order": errors.count(sort_order, "sort_order", label="Thứ tự", required=True),
    }
    errors.raise_if_any()
    return values


def create_section(
    session: Session, principal, *, title, guidance="", sort_order: int | None = None
) -> ReviewSection:
    """A new section, last unless `sort_order` says otherwise (ValidationFailed on bad input)."""
    _check_admin(principal)
    if sort_order is None:
        last = session.scalar(select(func.max(ReviewSection.sort_order))) or 0
        sort_order = last + 10
    section = ReviewSection(**_values(title, guidance, sort_order), is_active=True)
    session.add(section)
    session.flush()
    audit.record(
        session,
        principal,
        action="create",
        object_type="review_section",
        object_id=section.id,
        changes={"title": [None, section.title]},
    )
    return section


def update_section(
    session: Session, principal, section_id: int, *, title, guidance, sort_order, is_active: bool
) -> ReviewSection:
    _check_admin(principal)
    section = session.get(ReviewSection, section_id)
    if section is None:
        raise NotFound("Không tìm thấy mục này.")
    before = audit.snapshot(section)
    for name, value in _values(title, guidance, sort_order).items():
        setattr(section, name, value)
    section.is_active = bool(is_active)
    session.flush()
    audit.record(
        session,
        principal,
        action="update",
        object_type="review_section",
        object_id=section.id,
        changes=audit.diff(before, audit.snapshot(section)),
    )
    return section
