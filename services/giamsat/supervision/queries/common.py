"""Helpers every supervision read shares: accent-folded search, unit scoping, a scoped get."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from giamsat.core.errors import NotFound
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, scoped


def fold(text: str | None) -> str:
    """Lowercase, no diacritics, đ→d, single spaces: "Nguyễn  Văn Ấn" → "nguyen van an"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _in_unit(
    stmt: Select, unit_column, session: Session, principal, unit_id: int | None, subtree: bool
) -> Select:
    """Scope to what the principal sees, then (optionally) to one visible unit or its subtree."""
    stmt = scoped(stmt, unit_column, principal)
    if unit_id is None:
        return stmt
    unit = get_unit(session, unit_id, principal)  # 404 for a unit out of scope
    if not subtree:
        return stmt.where(unit_column == unit.id)
    return stmt.where(unit_column.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))


def _get(session: Session, model, object_id: int, principal, message: str):
    obj = session.scalar(
        scoped(select(model).where(model.id == object_id), model.unit_id, principal)
    )
    if obj is None:
        raise NotFound(message)
    return obj
