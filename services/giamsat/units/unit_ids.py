"""Unit ids taken from the sequence ahead of the INSERT, so new units get their materialized
paths before they are written and a whole batch goes in one INSERT (no flush per unit)."""

from __future__ import annotations

from sqlalchemy import Sequence, func, select
from sqlalchemy.orm import Session


def reserve_unit_ids(session: Session, count: int) -> list[int]:
    """`count` fresh unit ids in one round trip."""
    if not count:
        return []
    # The serial of units.id; schema-less, so the tenant's schema_translate_map places it.
    sequence = Sequence("units_id_seq")
    stmt = select(sequence.next_value()).select_from(func.generate_series(1, count))
    return list(session.scalars(stmt))
