"""Recommendations after supervision (kiến nghị): issue with a due date in working days,
then the answer, a withdrawal, or follow-up reminders (đôn đốc)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Conflict, NotFound, ValidationFailed
from giamsat.core.validation import check
from giamsat.supervision import queries
from giamsat.supervision.labels import ADDRESSEE_KIND_LABELS, EXPECTED_ANSWER_LABELS
from giamsat.supervision.models import (
    AddresseeKind,
    ExpectedAnswer,
    Recommendation,
    RecommendationReminder,
    RecommendationStatus,
)
from giamsat.supervision.operations.boards import board_of_unit
from giamsat.supervision.operations.common import (
    choice,
    organization_at,
    record_change,
    require_writer,
    today,
    unit_of,
    writable_unit,
)
from giamsat.supervision.operations.tags import checked_tags, with_tags
from giamsat.units.queries import get_rule, work_calendar

#: Default answer time when the tenant sets neither rule (QĐ 124-QĐ/TW Art. 8, [PARTIAL]).
DEFAULT_RESPONSE_DAYS = 20


def response_days(session: Session) -> int:
    """Working days an addressee has to answer: the tenant's recommendation_response_days,
    else its response_days, else 20."""
    days = get_rule(session, "recommendation_response_days", None)
    if days is None:
        days = get_rule(session, "response_days", DEFAULT_RESPONSE_DAYS)
    return days if isinstance(days, int) and days > 0 else DEFAULT_RESPONSE_DAYS


def due_date(session: Session, issued_on: dt.date) -> dt.date:
    return work_calendar(session).add_working_days(issued_on, response_days(session))


def _long_text(value, field: str, label: str) -> str:
    return check(value, field, "text", label=label, required=True, single_line=False)


def issue_recommendation(
    session: Session,
    principal,
    *,
    unit_id: int,
    organization_id: int,
    addressee_kind: AddresseeKind | str,
    addressee_name: str,
    content: str,
    expected_answer: ExpectedAnswer | str,
    issued_on: dt.date | None = None,
    activity_id: int | None = None,
    person_id: int | None = None,
    tag_codes: Iterable[str] = (),
    board_id: int | None = None,
) -> Recommendation:
    """Record a recommendation; its due date is counted in working days from `issued_on`;
    `tag_codes` from the classification catalogue (TW4 manifestations…).

    `board_id`: the Ban TTND / Ban GSĐTCĐ of this unit issuing it; a recommendation after a
    board's activity is that board's without saying so."""
    unit = writable_unit(session, principal, unit_id)
    org = organization_at(session, organization_id, unit)
    tags = checked_tags(session, tag_codes)
    issued_on = issued_on or today()
    if issued_on > today():
        raise ValidationFailed("Ngày kiến nghị không được sau hôm nay.", field="issued_on")
    rec = Recommendation(
        unit_id=unit.id,
        organization_id=org.id,
        addressee_kind=choice(
            AddresseeKind, addressee_kind, "addressee_kind", ADDRESSEE_KIND_LABELS
        ),
        addressee_name=check(
            addressee_name,
            "addressee_name",
            "text",
            label="Nơi nhận kiến nghị",
            required=True,
            max_length=300,
        ),
        content=_long_text(content, "content", "Nội dung kiến nghị"),
        expected_answer=choice(
            ExpectedAnswer, expected_answer, "expected_answer", EXPECTED_ANSWER_LABELS
        ),
        issued_on=issued_on,
        due_on=due_date(session, issued_on),
        status=RecommendationStatus.awaiting,
        tags=tags,
    )
    if activity_id is not None:
        try:
            activity = queries.get_activity(session, activity_id, principal)
        except NotFound:
            raise ValidationFailed(
                "Không tìm thấy hoạt động giám sát.", field="activity_id"
            ) from None
        if activity.unit_id != unit.id:
            raise ValidationFailed("Hoạt động giám sát phải của cùng đơn vị.", field="activity_id")
        rec.activity_id = activity.id
        if activity.board_id is not None:
            if board_id is not None and board_id != activity.board_id:
                raise ValidationFailed(
                    "Kiến nghị sau hoạt động của một ban thuộc về chính ban đó.", field="board_id"
                )
            board_id = activity.board_id
    if board_id is not None:
        rec.board_id = board_of_unit(session, principal, board_id, unit).id
    if person_id is not None:
        try:
            rec.person_id = queries.get_person(session, person_id, principal).id
        except NotFound:
            raise ValidationFailed(
                "Không tìm thấy người thuộc diện giám sát.", field="person_id"
            ) from None
    session.add(rec)
    session.flush()
    record_change(session, principal, "create", rec, None, with_tags(rec))
    return rec


def _awaiting(session: Session, principal, recommendation_id: int) -> Recommendation:
    rec = queries.get_recommendation(session, recommendation_id, principal)
    require_writer(principal, unit_of(session, rec))
    if rec.status != RecommendationStatus.awaiting:
        raise Conflict("Kiến nghị này không còn chờ trả lời.")
    return rec


def answer_recommendation(
    session: Session,
    principal,
    recommendation_id: int,
    *,
    outcome: ExpectedAnswer | str,
    answer: str,
    answered_on: dt.date | None = None,
) -> Recommendation:
    """Record the answer received: tiếp thu (accept) or giải trình (explain)."""
    rec = _awaiting(session, principal, recommendation_id)
    outcome = choice(ExpectedAnswer, outcome, "outcome")
    answered_on = answered_on or today()
    if answered_on < rec.issued_on or answered_on > today():
        raise ValidationFailed(
            "Ngày trả lời phải từ ngày kiến nghị đến hôm nay.", field="answered_on"
        )
    before = audit.snapshot(rec)
    rec.status = (
        RecommendationStatus.answered_accepted
        if outcome == ExpectedAnswer.accept
        else RecommendationStatus.answered_explained
    )
    rec.answer = _long_text(answer, "answer", "Nội dung trả lời")
    rec.answered_on = answered_on
    session.flush()
    record_change(session, principal, "answer", rec, before)
    return rec


def withdraw_recommendation(
    session: Session, principal, recommendation_id: int, *, reason: str
) -> Recommendation:
    rec = _awaiting(session, principal, recommendation_id)
    before = audit.snapshot(rec)
    rec.status = RecommendationStatus.withdrawn
    rec.withdrawn_reason = _long_text(reason, "reason", "Lý do rút kiến nghị")
    session.flush()
    record_change(session, principal, "withdraw", rec, before)
    return rec


def remind_recommendation(
    session: Session,
    principal,
    recommendation_id: int,
    *,
    note: str,
    reminded_on: dt.date | None = None,
) -> RecommendationReminder:
    """Record a follow-up reminder (đôn đốc) about an unanswered recommendation."""
    rec = _awaiting(session, principal, recommendation_id)
    reminded_on = reminded_on or today()
    if reminded_on < rec.issued_on or reminded_on > today():
        raise ValidationFailed(
            "Ngày đôn đốc phải từ ngày kiến nghị đến hôm nay.", field="reminded_on"
        )
    reminder = RecommendationReminder(
        unit_id=rec.unit_id,
        recommendation_id=rec.id,
        reminded_on=reminded_on,
        note=_long_text(note, "note", "Nội dung đôn đốc"),
    )
    session.add(reminder)
    session.flush()
    session.refresh(rec, ["reminders"])
    record_change(session, principal, "create", reminder, None)
    return reminder
