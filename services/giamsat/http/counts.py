"""Totals of lists that stay cheap however large the province: counted up to a cap."""

from __future__ import annotations

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session

#: Beyond this many rows a list says "more than 10,000" instead of counting every row: the
#: count reads at most COUNT_CAP + 1 rows of the (scoped, filtered) statement.
COUNT_CAP = 10_000

#: The rows a pager reads (offset + page size), for statements that read each of their ordered
#: parts only that far (a search's ranks, `cases.search`): pagers pass it as a parameter.
#: Unset, it is LIMIT NULL: every row.
PAGE_WINDOW = "page_window"


#: Execution option naming a statement with the same rows, cheaper to count (a search whose
#: ranks partition one match set: the match set). Set it last: a `where` added afterwards
#: would not reach it.
COUNT_STATEMENT = "count_statement"


def page_window():
    """A LIMIT that the pager sets (`{PAGE_WINDOW: rows}`); rendered as a number in the SQL
    so PostgreSQL plans for that many rows."""
    return bindparam(PAGE_WINDOW, None, type_=Integer, literal_execute=True)


def window(rows: int) -> dict[str, int]:
    """Execution parameters of a page that reads `rows` rows of its statement."""
    return {PAGE_WINDOW: rows}


def capped_count(session: Session, stmt: Select, cap: int | None = None) -> tuple[int, bool]:
    """`(total, is_exact)`: the exact number of rows of `stmt` when it is at most `cap`,
    otherwise `(cap, False)` — a lower bound, shown as "hơn 10.000"."""
    cap = COUNT_CAP if cap is None else cap
    stmt = stmt.get_execution_options().get(COUNT_STATEMENT, stmt)
    limited = stmt.order_by(None).limit(cap + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(limited), window(cap + 1)) or 0
    if counted > cap:
        return cap, False
    return counted, True
