"""Reads of cases, always through the one scoping helper: queues, search, history, links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session

from giamsat.cases.models import (
    SEARCH_TEXT,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CaseTag,
    Channel,
    ClassificationCategory,
)
from giamsat.cases.search import fold, like, ranked_search
from giamsat.core import clock
from giamsat.core.domain import Hook, implementations
from giamsat.core.errors import NotFound
from giamsat.units.models import Unit
from giamsat.units.queries import scoped

#: Trigram similarity above which another case's words count as "similar" (0..1).
SIMILARITY_THRESHOLD = 0.3
MAX_QUERY = 200


def get_case(session: Session, case_id: int, principal) -> Case:
    """A case of a unit the principal may see; NotFound otherwise (same as a missing id)."""
    case = session.scalar(scoped(select(Case).where(Case.id == case_id), Case.unit_id, principal))
    if case is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return case


def get_attachment(session: Session, case: Case, attachment_id: int) -> CaseAttachment:
    attachment = session.scalar(
        select(CaseAttachment).where(
            CaseAttachment.id == attachment_id, CaseAttachment.case_id == case.id
        )
    )
    if attachment is None:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    return attachment


def list_attachments(session: Session, case: Case) -> list[CaseAttachment]:
    return list(
        session.scalars(
            select(CaseAttachment)
            .where(CaseAttachment.case_id == case.id)
            .order_by(CaseAttachment.id)
        )
    )


def overdue_clause(today: dt.date | None = None):
    """Awaiting an answer past its due date (quá hạn trả lời)."""
    today = today or clock.today()
    return and_(Case.status == CaseStatus.awaiting_response, Case.due_on < today)


def is_overdue(case: Case, today: dt.date | None = None) -> bool:
    today = today or clock.today()
    return (
        case.status == CaseStatus.awaiting_response
        and case.due_on is not None
        and case.due_on < today
    )


def case_queue_query(
    principal,
    *,
    unit_id: int | None = None,
    status=None,
    kind=None,
    channel=None,
    tag: str | None = None,
    organization_id: int | None = None,
    department_id: int | None = None,
    overdue: bool | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    q: str | None = None,
    include_subunits: bool = False,
    today: dt.date | None = None,
    after: tuple | None = None,
) -> Select:
    """A unit's queue (or every visible case), filtered; newest first. A search (`q`) is
    ranked: title matches first, then the people concerned, then the rest, newest first in each.

    `unit_id` alone is that unit's own queue; with `include_subunits` its whole subtree.
    `after` (a keyset cursor: received_on, id of the last row seen; with `q` the row's rank
    first) starts after that row."""
    stmt = scoped(select(Case), Case.unit_id, principal)
    if unit_id is not None:
        if include_subunits:
            sub = select(Unit.path).where(Unit.id == unit_id).scalar_subquery()
            stmt = stmt.where(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(sub))))
        else:
            stmt = stmt.where(Case.unit_id == unit_id)
    if status:
        stmt = stmt.where(Case.status == CaseStatus(status))
    if kind:
        stmt = stmt.where(Case.kind == CaseKind(kind))
    if channel:
        stmt = stmt.where(Case.channel == Channel(channel))
    if tag:
        stmt = stmt.where(
            exists().where(
                CaseTag.case_id == Case.id,
                CaseTag.category_id == ClassificationCategory.id,
                ClassificationCategory.code == tag,
            )
        )
    if organization_id is not None:
        stmt = stmt.where(Case.organization_id == organization_id)
    if department_id is not None:
        stmt = stmt.where(Case.department_id == department_id)
    if overdue is True:
        stmt = stmt.where(overdue_clause(today))
    elif overdue is False:
        stmt = stmt.where(~overdue_clause(today))
    if received_from:
        stmt = stmt.where(Case.received_on >= received_from)
    if received_to:
        stmt = stmt.where(Case.received_on <= received_to)
    if q and q.strip():
        return ranked_search(stmt, q[:MAX_QUERY], after)
    order = (Case.received_on, Case.id)
    if after is not None:
        stmt = stmt.where(tuple_(*order) < tuple_(*after))
    return stmt.order_by(*(column.desc() for column in order))


def case_history(session: Session, case: Case) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    )


def linked_status(session: Session, case: Case) -> dict | None:
    """For a transferred case: where it went and how it stands there — a narrow view that the
    original unit may see without seeing the next case itself. Follows a chain of transfers."""
    if case.next_case_id is None:
        return None
    nxt, hops = session.get(Case, case.next_case_id), 0
    while nxt.next_case_id is not None and hops < 20:
        nxt, hops = session.get(Case, nxt.next_case_id), hops + 1
    return {
        "case_id": nxt.id,
        "number": nxt.number,
        "unit_id": nxt.unit_id,
        "unit_name": nxt.unit.name,
        "status": nxt.status.value,
        "due_on": nxt.due_on,
        "is_overdue": is_overdue(nxt),
        "closed_at": nxt.closed_at,
    }


def origin_summary(session: Session, case: Case, principal) -> dict | None:
    """The case this one continues: its number and unit (the id only when visible)."""
    if case.origin_case_id is None:
        return None
    origin = session.get(Case, case.origin_case_id)
    visible = principal is not None and principal.sees_path(origin.unit.path)
    return {
        "case_id": origin.id if visible else None,
        "number": origin.number,
        "unit_name": origin.unit.name,
    }


#: Cases whose words are not their own yet: `() -> clause on Case` (letters: a scanned letter
#: not read yet carries the upload's placeholder, the same for every letter of an opening).
CASE_TEXT_PENDING: Hook[Callable[[], Any]] = Hook("case_text_pending")


def _text_pending(session: Session, case: Case):
    """(clause: another case's words are placeholders, is this case's?) — None, False without
    implementations."""
    clauses = [pending() for pending in implementations(CASE_TEXT_PENDING)]
    if not clauses:
        return None, False
    pending = or_(*clauses)
    mine = session.scalar(select(Case.id).where(Case.id == case.id, pending)) is not None
    return pending, mine


def related_cases(session: Session, case: Case, principal, limit: int = 5) -> list[dict]:
    """Hints: other visible cases about the same people concerned, or with similar words
    (placeholder words, e.g. of letters not read yet, are no likeness)."""
    folded = func.shared.fold(SEARCH_TEXT)
    mine = func.shared.fold(case.title + " " + case.content + " " + case.concerned)
    similarity = func.similarity(folded, mine)
    pending, mine_pending = _text_pending(session, case)
    reasons = []
    if not mine_pending:
        similar = similarity >= SIMILARITY_THRESHOLD
        reasons.append(similar if pending is None else and_(similar, ~pending))
    concerned = fold(case.concerned).strip()
    if concerned:
        reasons.append(Case.search_concerned.ilike(like(concerned), escape="\\"))
        reasons.append(func.similarity(Case.search_concerned, concerned) >= SIMILARITY_THRESHOLD)
    if not reasons:
        return []
    stmt = scoped(select(Case, similarity.label("score")), Case.unit_id, principal).where(
        Case.id != case.id, or_(*reasons)
    )
    # The other end of a transfer is the same case, not a hint.
    linked = [i for i in (case.origin_case_id, case.next_case_id) if i]
    if linked:
        stmt = stmt.where(Case.id.not_in(linked))
    stmt = stmt.where(or_(Case.origin_case_id.is_(None), Case.origin_case_id != case.id))
    rows = session.execute(stmt.order_by(similarity.desc(), Case.id.desc()).limit(limit)).all()
    hints = []
    for other, score in rows:
        same_person = bool(concerned) and (
            concerned in fold(other.concerned)
            or fold(other.concerned).strip() in concerned
            and bool(fold(other.concerned).strip())
        )
        hints.append(
            {
                "case": other,
                "score": round(float(score or 0), 3),
                "reason": "same_concerned" if same_person else "similar_text",
            }
        )
    return hints


def list_categories(session: Session, active_only: bool = True) -> list[ClassificationCategory]:
    stmt = select(ClassificationCategory)
    if active_only:
        stmt = stmt.where(ClassificationCategory.is_active.is_(True))
    return list(
        session.scalars(stmt.order_by(ClassificationCategory.sort_order, ClassificationCategory.id))
    )


def categories_query(active_only: bool = False) -> Select:
    stmt = select(ClassificationCategory)
    if active_only:
        stmt = stmt.where(ClassificationCategory.is_active.is_(True))
    return stmt.order_by(ClassificationCategory.sort_order, ClassificationCategory.id)
