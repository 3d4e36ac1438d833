"""Totals of lists that stay cheap however large the province: counted up to a cap."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

#: Beyond this many rows a list says "more than 10,000" instead of counting every row: the
#: count reads at most COUNT_CAP + 1 rows of the (scoped, filtered) statement.
COUNT_CAP = 10_000


def capped_count(session: Session, stmt: Select, cap: int | None = None) -> tuple[int, bool]:
    """`(total, is_exact)`: the exact number of rows of `stmt` when it is at most `cap`,
    otherwise `(cap, False)` — a lower bound, shown as "hơn 10.000"."""
    cap = COUNT_CAP if cap is None else cap
    limited = stmt.order_by(None).limit(cap + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(limited)) or 0
    if counted > cap:
        return cap, False
    return counted, True
