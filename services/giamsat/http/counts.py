"""Totals of lists that stay cheap however large the province: counted up to a cap."""

from __future__ import annotations

from sqlalchemy import Integer, Select, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from giamsat.core.db import UNPREPARED

#: Beyond this many rows a list says "more than 1,000" instead of counting every row: the
#: count reads at most COUNT_CAP + 1 rows of the (scoped, filtered) statement. 1,000 and not
#: 10,000: a broad filter over a province (every awaiting case, every complaint) matches tens
#: of thousands of rows, and reading 10,001 of them was most of a first page's time
#: (`bench/lists.py`); nobody pages past fifty pages of twenty, deep pages go by cursor.
COUNT_CAP = 1_000

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
    otherwise `(cap, False)` — a lower bound, shown as "hơn 1.000"."""
    cap = COUNT_CAP if cap is None else cap
    counted = session.scalar(capped_count_statement(stmt, cap), window(cap + 1)) or 0
    if counted > cap:
        return cap, False
    return counted, True


def capped_count_statement(stmt: Select, cap: int | None = None) -> Select:
    """The COUNT that `capped_count` sends: of at most `cap + 1` rows of `stmt` (or of its
    COUNT_STATEMENT); executed with `window(cap + 1)`."""
    cap = COUNT_CAP if cap is None else cap
    options = stmt.get_execution_options()
    stmt = options.get(COUNT_STATEMENT, stmt)
    # Only the rows, not their columns: the statement's FROM and WHERE stay, its selected
    # entity (and its ORM loader options) go, so the count compiles small and PostgreSQL may
    # answer from an index alone.
    rows = stmt.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
    counted = select(func.count()).select_from(rows.limit(cap + 1).subquery())
    # A statement sent unprepared (its plan depends on its values) is counted the same way.
    return counted.execution_options(**{UNPREPARED: options.get(UNPREPARED, False)})


def thousands(value: int) -> str:
    """A count as Vietnamese write it: 10000 → "10.000"."""
    return f"{value:,}".replace(",", ".")
