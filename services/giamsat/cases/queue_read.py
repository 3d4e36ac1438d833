"""The queue as the API lists it, read as plain rows and dumped as plain dicts (issue 17).

`CaseSummarySchema` stays the API's documented shape (the OpenAPI text is drawn from it);
`summaries` produces the same JSON without marshmallow or ORM objects (a test holds the two
equal). The unfiltered queue — what a commune's staff opens all day — runs statements built
once here, the subtree check a bound array (`scoped_by_roots`); any filter builds its
statement from `case_queue_query`, the one place filters are defined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, String, any_, bindparam, func, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from giamsat.cases import protection, workflow
from giamsat.cases.models import Case, CaseStatus, CaseTag, ClassificationCategory
from giamsat.cases.queries import MAX_QUERY, case_queue_query
from giamsat.cases.search import rank_of
from giamsat.core import clock
from giamsat.core.db import UNPREPARED
from giamsat.http.counts import COUNT_STATEMENT, window
from giamsat.units.models import Unit
from giamsat.units.queries import scoped_by_roots, visible_roots

_cases, _units = Case.__table__, Unit.__table__
_LABELS = {status.value: label for status, label in workflow.STATUS_LABELS.items()}
_AWAITING = CaseStatus.awaiting_response.value
_tags, _categories = CaseTag.__table__, ClassificationCategory.__table__

#: What a summary shows, as Core columns: no ORM entity, no enum conversion (the stored
#: values are the API's strings).
_COLUMNS = (
    _cases.c.id,
    _cases.c.seq,
    _cases.c.year,
    _cases.c.unit_id,
    _units.c.name.label("unit_name"),
    _cases.c.received_on,
    type_coerce(_cases.c.channel, String).label("channel"),
    type_coerce(_cases.c.kind, String).label("kind"),
    _cases.c.title,
    type_coerce(_cases.c.status, String).label("status"),
    _cases.c.due_on,
    type_coerce(_cases.c.reporter_mode, String).label("reporter_mode"),
    _cases.c.organization_id,
    _cases.c.department_id,
)
_WITH_UNIT = _cases.join(_units, _units.c.id == _cases.c.unit_id)
_PAGE = bindparam("page_limit", type_=Integer), bindparam("page_offset", type_=Integer)

#: The unfiltered queue, newest first (`case_queue_query(principal)` with no filter).
_QUEUE = scoped_by_roots(select(*_COLUMNS).select_from(_WITH_UNIT), _cases.c.unit_id).order_by(
    _cases.c.received_on.desc(), _cases.c.id.desc()
)
_QUEUE_PAGE = _QUEUE.limit(_PAGE[0]).offset(_PAGE[1])
#: Its capped count (`http.counts.capped_count`'s statement, built once).
_QUEUE_COUNT = select(func.count()).select_from(
    scoped_by_roots(select(_cases.c.id), _cases.c.unit_id)
    .limit(bindparam("count_limit", type_=Integer))
    .subquery()
)
#: The codes of the page's tags, in the order of `Case.tags` (by sort order).
_TAG_CODES = (
    select(_tags.c.case_id, _categories.c.code)
    .join_from(_tags, _categories, _categories.c.id == _tags.c.category_id)
    .where(_tags.c.case_id == any_(bindparam("case_ids", type_=ARRAY(Integer))))
    .order_by(_categories.c.sort_order)
)


@dataclass(frozen=True)
class QueueRead:
    """One request's queue: the statements and their parameters, executed by the pager."""

    page: Select
    count: Select
    params: dict[str, Any]
    search: str  #: `q` when the page is ranked (its cursor carries the rank)

    def rows(self, session: Session, limit: int, offset: int) -> list:
        params = self.params | {"page_limit": limit, "page_offset": offset}
        return list(session.execute(self.page, params | window(offset + limit)))

    def total(self, session: Session, cap: int) -> tuple[int, bool]:
        params = self.params | {"count_limit": cap + 1} | window(cap + 1)
        counted = session.scalar(self.count, params) or 0
        return (cap, False) if counted > cap else (counted, True)

    def dump(self, session: Session, rows: list) -> list[dict[str, Any]]:
        return summaries(session, rows)

    def cursor_key(self, row) -> tuple:
        """The row's (rank,) received_on, id: the `after=` of the next page."""
        if self.search:
            return (rank_of(row, self.search), row.received_on, row.id)  # type: ignore[arg-type]
        return (row.received_on, row.id)


def queue_read(principal, filters: dict[str, Any]) -> QueueRead:
    """The queue `GET /cases` answers with `filters` (its query arguments), for `principal`."""
    if _unfiltered(filters):
        return QueueRead(_QUEUE_PAGE, _QUEUE_COUNT, visible_roots(principal), "")
    stmt = case_queue_query(principal, **filters)
    q = (filters.get("q") or "")[:MAX_QUERY]
    q = q if q.strip() else ""
    columns = (*_COLUMNS, _cases.c.concerned) if q else _COLUMNS
    listing = stmt.with_only_columns(*columns, maintain_column_froms=True).join_from(
        Case, _units, _units.c.id == _cases.c.unit_id
    )
    limit, offset = _PAGE
    # A search counts its match set, not its ranks (`http.counts.COUNT_STATEMENT`).
    options = stmt.get_execution_options()
    counted = options.get(COUNT_STATEMENT)
    count = select(func.count()).select_from(
        (stmt.with_only_columns(Case.id) if counted is None else counted)
        .order_by(None)
        .limit(bindparam("count_limit", type_=Integer))
        .subquery()
    )
    # A search's count is planned for its words too, like its page (`core.db.UNPREPARED`).
    count = count.execution_options(**{UNPREPARED: options.get(UNPREPARED, False)})
    return QueueRead(listing.limit(limit).offset(offset), count, {}, q)


def _unfiltered(filters: dict[str, Any]) -> bool:
    """No filter given (`include_subunits` alone filters nothing; `overdue=False` does)."""
    return all(
        value is None or value == "" for key, value in filters.items() if key != "include_subunits"
    )


def summaries(session: Session, rows: list) -> list[dict[str, Any]]:
    """The rows as `CaseSummarySchema` dumps their cases (same keys, same values)."""
    tags: dict[int, list[str]] = {}
    if rows:
        for case_id, code in session.execute(_TAG_CODES, {"case_ids": [r.id for r in rows]}):
            tags.setdefault(case_id, []).append(code)
    masks = protection.masks_now()
    today = clock.today()
    return [
        {
            "id": r.id,
            "number": f"{r.seq}/{r.year}",
            "unit_id": r.unit_id,
            "unit_name": r.unit_name,
            "received_on": r.received_on.isoformat(),
            "channel": r.channel,
            "kind": r.kind,
            "title": r.title,
            "status": r.status,
            "status_label": _LABELS[r.status],
            "due_on": _iso(r.due_on),
            "is_overdue": r.status == _AWAITING and r.due_on is not None and r.due_on < today,
            "reporter": masks[r.reporter_mode or "anonymous"],
            "tags": tags.get(r.id, []),
            "organization_id": r.organization_id,
            "department_id": r.department_id,
        }
        for r in rows
    ]


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
