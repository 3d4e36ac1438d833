"""Indicator computations over the programme's channels kept as records (supervision
channels): meetings attended, voter meetings and opinion collection, the issues raised."""

from __future__ import annotations

from sqlalchemy import Select, func, null, select

from giamsat.reports.indicators import Window, _rows, computation
from giamsat.supervision.channels.models import CitizenIssue, CitizenMeeting, MeetingAttendance


@computation("supervision.meetings_attended")
def meetings_attended(window: Window) -> Select:
    """Meetings of the same-level party committee, People's Council and People's Committee the
    Front attended, held in the window, sliced by body (the Front's own: no organization)."""
    M = MeetingAttendance
    return (
        select(*_rows(M.unit_id, null(), M.body, func.count()))
        .where(window.dates(M.held_on), window.units(M.unit_id))
        .group_by(M.unit_id, M.body)
    )


@computation("supervision.citizen_meetings")
def citizen_meetings(window: Window) -> Select:
    C = CitizenMeeting
    return (
        select(*_rows(C.unit_id, null(), C.kind, func.count()))
        .where(window.dates(C.held_on), window.units(C.unit_id))
        .group_by(C.unit_id, C.kind)
    )


@computation("supervision.citizen_issues")
def citizen_issues(window: Window) -> Select:
    """Issues raised at the voter meetings and opinion collections held in the window."""
    C = CitizenMeeting
    return (
        select(*_rows(CitizenIssue.unit_id, null(), null(), func.count()))
        .join(C, C.id == CitizenIssue.meeting_id)
        .where(window.dates(C.held_on), window.units(CitizenIssue.unit_id))
        .group_by(CitizenIssue.unit_id)
    )
