"""Reads of the channels, every one scoped to the units the principal sees."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from giamsat.supervision.channels.models import (
    CitizenIssue,
    CitizenMeeting,
    CitizenMeetingKind,
    MeetingAttendance,
    MeetingBody,
    RespectedKind,
    RespectedPerson,
)
from giamsat.supervision.queries.common import _get, _in_unit, _like, fold


def get_meeting(session: Session, meeting_id: int, principal) -> CitizenMeeting:
    return _get(
        session,
        CitizenMeeting,
        meeting_id,
        principal,
        "Không tìm thấy buổi tiếp xúc cử tri, lấy ý kiến.",
    )


def get_issue(session: Session, issue_id: int, principal) -> CitizenIssue:
    return _get(session, CitizenIssue, issue_id, principal, "Không tìm thấy ý kiến của cử tri.")


def list_meetings_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    kind: CitizenMeetingKind | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
) -> Select:
    stmt = _in_unit(
        select(CitizenMeeting), CitizenMeeting.unit_id, session, principal, unit_id, subtree
    )
    if kind is not None:
        stmt = stmt.where(CitizenMeeting.kind == kind)
    if held_from is not None:
        stmt = stmt.where(CitizenMeeting.held_on >= held_from)
    if held_to is not None:
        stmt = stmt.where(CitizenMeeting.held_on <= held_to)
    return stmt.order_by(CitizenMeeting.held_on.desc(), CitizenMeeting.id.desc())


def get_attendance(session: Session, attendance_id: int, principal) -> MeetingAttendance:
    return _get(session, MeetingAttendance, attendance_id, principal, "Không tìm thấy lượt dự họp.")


def list_attendances_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    body: MeetingBody | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
) -> Select:
    A = MeetingAttendance
    stmt = _in_unit(select(A), A.unit_id, session, principal, unit_id, subtree)
    if body is not None:
        stmt = stmt.where(A.body == body)
    if held_from is not None:
        stmt = stmt.where(A.held_on >= held_from)
    if held_to is not None:
        stmt = stmt.where(A.held_on <= held_to)
    return stmt.order_by(A.held_on.desc(), A.id.desc())


def get_respected(session: Session, person_id: int, principal) -> RespectedPerson:
    return _get(
        session,
        RespectedPerson,
        person_id,
        principal,
        "Không tìm thấy người có uy tín, cốt cán.",
    )


def list_respected_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    area_id: int | None = None,
    kind: RespectedKind | None = None,
    role: str | None = None,
    q: str | None = None,
    active: bool | None = True,
) -> Select:
    """The register, by name; `role` keeps those who may be called on for it."""
    P = RespectedPerson
    stmt = _in_unit(select(P), P.unit_id, session, principal, unit_id, subtree)
    if area_id is not None:
        stmt = stmt.where(P.area_id == area_id)
    if kind is not None:
        stmt = stmt.where(P.kind == kind)
    if role:
        stmt = stmt.where(P.roles.contains([role]))
    if q and fold(q):
        stmt = stmt.where(P.name_key.like(_like(fold(q))))
    if active is not None:
        stmt = stmt.where(P.is_active.is_(active))
    return stmt.order_by(P.name_key, P.id)
