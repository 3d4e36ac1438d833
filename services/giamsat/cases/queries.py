"""Reads of cases, always through the one scoping helper: queues, search, history, links."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select, tuple_, union
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
from giamsat.core import clock
from giamsat.core.domain import Hook, implementations
from giamsat.core.errors import NotFound
from giamsat.units.models import Unit
from giamsat.units.queries import scoped

#: Trigram similarity above which another case's words count as "similar" (0..1).
SIMILARITY_THRESHOLD = 0.3
MAX_QUERY = 200


def fold(text: str) -> str:
    """Python twin of `shared.fold`: lower case, diacritics removed (đ → d too)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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


#: More text to find a case by: `(pattern) -> select of case ids` (letters: OCR text of its
#: scans). A select, not a clause: each part of the search then uses its own trigram index.
CASE_TEXT_MATCHES: Hook[Callable[[str], Any]] = Hook("case_text_matches")


def _search_extensions() -> list:
    """Other domains' text about a case (e.g. the OCR text of a scanned letter): the
    implementations of CASE_TEXT_MATCHES they declare, so cases never imports them."""
    return implementations(CASE_TEXT_MATCHES)


def search_clause(q: str):
    """Accent-insensitive match of every word of `q` in the case's words ("nguyen van an"
    finds "Nguyễn Văn An") or in other domains' text about it; served by trigram indexes on
    folded text."""
    folded = func.shared.fold(SEARCH_TEXT)
    extensions = _search_extensions()
    conditions = []
    for word in fold(q).split():
        pattern = _like(word)
        # `id IN (own words UNION other text)`: an OR with a correlated EXISTS would make
        # PostgreSQL test every case of the province in page order instead of using the indexes.
        own = select(Case.id).where(folded.ilike(pattern, escape="\\"))
        conditions.append(Case.id.in_(union(own, *(matches(pattern) for matches in extensions))))
    return and_(*conditions)


#: Search ranks, best first: every word in the title, in the people concerned, elsewhere (the
#: content or other domains' text, e.g. a letter's OCR text).
RANK_TITLE, RANK_CONCERNED, RANK_OTHER = 3, 2, 1


def search_rank(q: str):
    """The rank of a matching case for `q` (RANK_TITLE…RANK_OTHER), on folded text."""
    words = fold(q).split()
    if not words:
        return literal(RANK_OTHER)

    def has_every_word(column):
        folded = func.shared.fold(column)
        return and_(*(folded.ilike(_like(word), escape="\\") for word in words))

    return case(
        (has_every_word(Case.title), RANK_TITLE),
        (has_every_word(Case.concerned), RANK_CONCERNED),
        else_=RANK_OTHER,
    )


def rank_of(found: Case, q: str) -> int:
    """Python twin of `search_rank` for one case (the API's cursor of a search page)."""
    words = fold(q).split()
    if words and all(word in fold(found.title) for word in words):
        return RANK_TITLE
    if words and all(word in fold(found.concerned) for word in words):
        return RANK_CONCERNED
    return RANK_OTHER


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
    order = (Case.received_on, Case.id)
    if q and q.strip():
        stmt = stmt.where(search_clause(q[:MAX_QUERY]))
        order = (search_rank(q[:MAX_QUERY]), *order)
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
        reasons.append(func.shared.fold(Case.concerned).ilike(_like(concerned), escape="\\"))
        reasons.append(
            func.similarity(func.shared.fold(Case.concerned), concerned) >= SIMILARITY_THRESHOLD
        )
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
