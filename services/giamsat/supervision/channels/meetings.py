"""Voter meetings and opinion collection (tiếp xúc cử tri, lấy ý kiến Nhân dân): the sessions,
the issues raised there, where they went and the answers, and the case or recommendation
staff open from an issue (the issue keeps the link)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from giamsat.cases import operations as case_operations
from giamsat.cases.models import Case, CaseKind, Channel
from giamsat.core import audit
from giamsat.core.errors import Conflict
from giamsat.core.validation import Errors
from giamsat.supervision import operations as supervision_operations
from giamsat.supervision.channels import queries
from giamsat.supervision.channels.labels import MEETING_KIND_LABELS
from giamsat.supervision.channels.models import CitizenIssue, CitizenMeeting, CitizenMeetingKind
from giamsat.supervision.labels import vietnamese
from giamsat.supervision.models import Recommendation
from giamsat.supervision.operations.common import (
    record_change,
    require_writer,
    today,
    unit_of,
    writable_unit,
)

#: Both kinds of session reach cases through the voter-meeting channel: opinion collection is
#: the same meeting with the people, and one intake channel keeps the intake figures comparable.
CASE_CHANNEL = Channel.voter_meeting
#: Longest case title taken from the start of an issue when staff give none.
_TITLE_FROM_ISSUE = 120


def _meeting_values(meeting: CitizenMeeting, values: Mapping[str, Any]) -> None:
    """Check every given field, report them all together, then change the meeting."""
    errors = Errors()
    clean: dict[str, Any] = {}
    if "kind" in values:
        clean["kind"] = errors.choice(
            CitizenMeetingKind,
            values["kind"],
            "kind",
            labels=vietnamese(MEETING_KIND_LABELS),
        )
    if "held_on" in values:
        clean["held_on"] = errors.date(
            values["held_on"], "held_on", label="Ngày tổ chức", required=True, not_after=today()
        )
    if "place" in values:
        clean["place"] = errors.text(
            values["place"], "place", label="Địa điểm", required=True, max_length=300
        )
    if "title" in values:
        clean["title"] = errors.text(values["title"], "title", label="Nội dung", max_length=300)
    if "participants_count" in values:
        clean["participants_count"] = (
            errors.count(values["participants_count"], "participants_count", label="Số người dự")
            or 0
        )
    if "participants" in values:
        clean["participants"] = errors.text(
            values["participants"], "participants", label="Thành phần", single_line=False
        )
    errors.raise_if_any()
    for key, value in clean.items():
        setattr(meeting, key, value)


def create_meeting(
    session: Session,
    principal,
    *,
    unit_id: int,
    kind: CitizenMeetingKind | str,
    held_on: dt.date,
    place: str,
    **values: Any,
) -> CitizenMeeting:
    """Record a voter meeting or an opinion collection held at a unit. Optional: title,
    participants_count, participants."""
    unit = writable_unit(session, principal, unit_id)
    meeting = CitizenMeeting(unit_id=unit.id, participants_count=0, participants="", title="")
    _meeting_values(meeting, {"kind": kind, "held_on": held_on, "place": place, **values})
    session.add(meeting)
    session.flush()
    record_change(session, principal, "create", meeting, None)
    return meeting


def update_meeting(session: Session, principal, meeting_id: int, **values: Any) -> CitizenMeeting:
    meeting = queries.get_meeting(session, meeting_id, principal)
    require_writer(principal, unit_of(session, meeting))
    before = audit.snapshot(meeting)
    _meeting_values(meeting, values)
    session.flush()
    record_change(session, principal, "update", meeting, before)
    return meeting


def _issue_values(issue: CitizenIssue, meeting: CitizenMeeting, values: Mapping[str, Any]) -> None:
    errors = Errors()
    clean: dict[str, Any] = {}
    if "content" in values:
        clean["content"] = errors.text(
            values["content"],
            "content",
            label="Ý kiến, kiến nghị",
            required=True,
            single_line=False,
        )
    if "forwarded_to" in values:
        clean["forwarded_to"] = errors.text(
            values["forwarded_to"], "forwarded_to", label="Nơi chuyển đến", max_length=300
        )
    if "answer" in values:
        clean["answer"] = errors.text(
            values["answer"], "answer", label="Trả lời", single_line=False
        )
    if "answered_on" in values:
        clean["answered_on"] = errors.date(
            values["answered_on"],
            "answered_on",
            label="Ngày trả lời",
            not_after=today(),
            not_before=meeting.held_on,
        )
    answer = clean.get("answer", issue.answer) or ""
    answered_on = clean.get("answered_on", issue.answered_on)
    if not errors and answered_on is not None and not answer:
        errors.add("answer", "Hãy nhập nội dung trả lời cho ngày trả lời đã ghi.")
    errors.raise_if_any()
    for key, value in clean.items():
        setattr(issue, key, value)


def add_issue(
    session: Session, principal, meeting_id: int, *, content: str, **values: Any
) -> CitizenIssue:
    """An issue raised at the meeting. Optional: forwarded_to, answer, answered_on."""
    meeting = queries.get_meeting(session, meeting_id, principal)
    require_writer(principal, unit_of(session, meeting))
    issue = CitizenIssue(unit_id=meeting.unit_id, meeting_id=meeting.id, forwarded_to="", answer="")
    _issue_values(issue, meeting, {"content": content, **values})
    session.add(issue)
    session.flush()
    session.refresh(meeting, ["issues"])
    record_change(session, principal, "create", issue, None)
    return issue


def update_issue(session: Session, principal, issue_id: int, **values: Any) -> CitizenIssue:
    """Where the issue was forwarded and the answer received (or a corrected text)."""
    issue = queries.get_issue(session, issue_id, principal)
    require_writer(principal, unit_of(session, issue))
    before = audit.snapshot(issue)
    _issue_values(issue, issue.meeting, values)
    session.flush()
    record_change(session, principal, "update", issue, before)
    return issue


def _writable_issue(session: Session, principal, issue_id: int) -> CitizenIssue:
    issue = queries.get_issue(session, issue_id, principal)
    require_writer(principal, unit_of(session, issue))
    return issue


def _link(session: Session, principal, issue: CitizenIssue, field: str, target_id: int) -> None:
    before = audit.snapshot(issue)
    setattr(issue, field, target_id)
    session.flush()
    record_change(session, principal, "link", issue, before)


def open_case(
    session: Session,
    principal,
    issue_id: int,
    *,
    kind: CaseKind | str = CaseKind.petition,
    title: str | None = None,
    organization_id: int | None = None,
    area_id: int | None = None,
) -> Case:
    """Open a case from the issue through the cases domain's intake (channel: voter meeting,
    received on the day of the meeting, no reporter: the voters spoke in public)."""
    issue = _writable_issue(session, principal, issue_id)
    if issue.case_id is not None:
        raise Conflict("Ý kiến này đã được mở thành hồ sơ vụ việc.")
    meeting = issue.meeting
    if not (title or "").strip():
        title = " ".join(issue.content.split())[:_TITLE_FROM_ISSUE]
    place = vietnamese(MEETING_KIND_LABELS)[meeting.kind]
    content = f"{issue.content}\n\n({place}, {meeting.place}, ngày {meeting.held_on:%d/%m/%Y})"
    case = case_operations.receive_case(
        session,
        principal,
        unit_id=meeting.unit_id,
        received_on=meeting.held_on,
        channel=CASE_CHANNEL,
        kind=kind,
        title=title,
        content=content,
        organization_id=organization_id,
        area_id=area_id,
    )
    _link(session, principal, issue, "case_id", case.id)
    return case


def recommend(
    session: Session,
    principal,
    issue_id: int,
    *,
    organization_id: int,
    addressee_kind: str,
    expected_answer: str,
    addressee_name: str | None = None,
    content: str | None = None,
    issued_on: dt.date | None = None,
) -> Recommendation:
    """Issue a recommendation from the issue (to where it was forwarded unless told)."""
    issue = _writable_issue(session, principal, issue_id)
    if issue.recommendation_id is not None:
        raise Conflict("Đã có kiến nghị từ ý kiến này.")
    rec = supervision_operations.issue_recommendation(
        session,
        principal,
        unit_id=issue.unit_id,
        organization_id=organization_id,
        addressee_kind=addressee_kind,
        addressee_name=addressee_name if addressee_name is not None else issue.forwarded_to,
        content=content if (content or "").strip() else issue.content,
        expected_answer=expected_answer,
        issued_on=issued_on,
    )
    _link(session, principal, issue, "recommendation_id", rec.id)
    return rec
