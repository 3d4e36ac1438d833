"""The classification catalogue as data: seeded from `data/catalogue.toml`, edited by admins."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.cases.models import ClassificationCategory
from giamsat.core import audit
from giamsat.core.errors import Forbidden, NotFound, ValidationFailed

CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.toml"
CONFIDENCE_LEVELS = ("CONFIRMED", "PARTIAL", "UNCONFIRMED")
MAX_LABEL = 500


@dataclass(frozen=True)
class CategorySeed:
    code: str
    group_code: str
    group_label: str
    label: str
    confidence: str
    source: str
    sort_order: int


@lru_cache(maxsize=1)
def load_catalogue(path: Path = CATALOGUE_FILE) -> tuple[CategorySeed, ...]:
    """The seed entries in file order; a malformed file fails loudly (it ships with the code)."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    groups = raw["groups"]
    seeds = []
    for order, item in enumerate(raw["category"], start=1):
        if item["confidence"] not in CONFIDENCE_LEVELS:
            raise ValueError(f"{item['code']}: confidence must be one of {CONFIDENCE_LEVELS}")
        seeds.append(
            CategorySeed(
                code=item["code"],
                group_code=item["group"],
                group_label=groups[item["group"]],
                label=item["label"],
                confidence=item["confidence"],
                source=item.get("source", ""),
                sort_order=order * 10,
            )
        )
    codes = [s.code for s in seeds]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate category codes in the catalogue")
    return tuple(seeds)


def provision_tenant(session: Session, progress: Callable[[str], None] = lambda line: None) -> int:
    """Add missing categories and refresh untouched ones; rows an admin changed stay as they are.

    Idempotent. Returns how many rows were added or updated. Flushes only."""
    existing = {c.code: c for c in session.scalars(select(ClassificationCategory))}
    changed = 0
    for seed in load_catalogue():
        row = existing.get(seed.code)
        if row is None:
            session.add(
                ClassificationCategory(
                    code=seed.code,
                    group_code=seed.group_code,
                    group_label=seed.group_label,
                    label=seed.label,
                    confidence=seed.confidence,
                    source=seed.source,
                    sort_order=seed.sort_order,
                    is_active=True,
                    is_overridden=False,
                )
            )
            changed += 1
            continue
        if row.is_overridden:
            continue
        fresh = {
            "group_code": seed.group_code,
            "group_label": seed.group_label,
            "label": seed.label,
            "confidence": seed.confidence,
            "source": seed.source,
            "sort_order": seed.sort_order,
        }
        if any(getattr(row, k) != v for k, v in fresh.items()):
            for key, value in fresh.items():
                setattr(row, key, value)
            changed += 1
    session.flush()
    progress(f"      case categories: {changed} added or updated")
    return changed


def update_category(
    session: Session,
    principal,
    category_id: int,
    *,
    label: str | None = None,
    is_active: bool | None = None,
) -> ClassificationCategory:
    """Rename or (de)activate a category (tenant admin only); marks it overridden, audited."""
    if not principal.is_tenant_admin:
        raise Forbidden("Chỉ quản trị viên của tỉnh được sửa danh mục phân loại.")
    category = session.get(ClassificationCategory, category_id)
    if category is None:
        raise NotFound("Không tìm thấy mục phân loại.")
    before = audit.snapshot(category)
    if label is not None:
        label = " ".join(label.split())
        if not label:
            raise ValidationFailed("Hãy nhập tên mục phân loại.", field="label")
        if len(label) > MAX_LABEL:
            raise ValidationFailed(f"Tên mục phân loại dài quá {MAX_LABEL} ký tự.", field="label")
        category.label = label
    if is_active is not None:
        category.is_active = is_active
    changes = audit.diff(before, audit.snapshot(category))
    if changes:
        category.is_overridden = True
        session.flush()
        audit.record(
            session,
            principal,
            action="update",
            object_type="case_category",
            object_id=category.id,
            changes=audit.diff(before, audit.snapshot(category)),
        )
    return category


def categories_by_code(
    session: Session, codes, *, field: str = "tags"
) -> list[ClassificationCategory]:
    """Active categories for `codes` (order kept, duplicates dropped); unknown → 422."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not wanted:
        return []
    found = {
        c.code: c
        for c in session.scalars(
            select(ClassificationCategory).where(
                ClassificationCategory.code.in_(wanted), ClassificationCategory.is_active.is_(True)
            )
        )
    }
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationFailed(
            "Mã phân loại không có trong danh mục: " + ", ".join(unknown) + ".", field=field
        )
    return [found[c] for c in wanted]
