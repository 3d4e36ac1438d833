"""The channels kept as records reach the figures: meetings attended (no longer typed by hand),
voter meetings and opinion collection, the issues raised there; they roll up to the province."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import Indicator
from giamsat.reports.queries import read_figures
from giamsat.supervision.channels.models import (
    CitizenIssue,
    CitizenMeeting,
    CitizenMeetingKind,
    MeetingAttendance,
    MeetingBody,
)

D = dt.date


def _attended(session, unit_id: int, held_on: dt.date, body: MeetingBody) -> None:
    session.add(
        MeetingAttendance(
            unit_id=unit_id, held_on=held_on, body=body, title="Họp", attended_by="Chủ tịch"
        )
    )
    session.flush()


def _meeting(session, unit_id: int, held_on: dt.date, kind: CitizenMeetingKind, issues: int):
    meeting = CitizenMeeting(unit_id=unit_id, kind=kind, held_on=held_on, place="Nhà văn hóa")
    session.add(meeting)
    session.flush()
    for n in range(issues):
        session.add(CitizenIssue(unit_id=unit_id, meeting_id=meeting.id, content=f"Ý kiến {n}"))
    session.flush()


def test_meetings_attended_are_counted_from_records_and_roll_up(alpha, world, period):
    w = world.alpha
    indicator = alpha.scalar(
        select(Indicator).where(Indicator.code == "activities.meetings_attended")
    )
    assert not indicator.is_manual and indicator.computation == "supervision.meetings_attended"
    _attended(alpha, w.commune_x, D(2026, 1, 5), MeetingBody.party_committee)
    _attended(alpha, w.commune_x, D(2026, 2, 5), MeetingBody.peoples_council)
    _attended(alpha, w.commune_y, D(2026, 3, 1), MeetingBody.peoples_council)
    _attended(alpha, w.commune_y, D(2026, 3, 20), MeetingBody.peoples_committee)  # next quarter
    _attended(alpha, w.province, D(2026, 1, 8), MeetingBody.peoples_committee)
    recompute_period(alpha, period)

    x = read_figures(alpha, period.id, w.commune_x).own
    assert x["activities.meetings_attended"] == 2
    assert x["activities.meetings_attended.party_committee"] == 1
    assert x["activities.meetings_attended.peoples_council"] == 1
    assert "activities.meetings_attended.peoples_committee" not in x
    province = read_figures(alpha, period.id, w.province)
    assert province.own["activities.meetings_attended"] == 1
    assert province.consolidated["activities.meetings_attended"] == 4
    assert province.consolidated["activities.meetings_attended.peoples_council"] == 2
    # The Front's own record: no organization's figures carry it.
    org = read_figures(alpha, period.id, w.province, w.org_mttq).consolidated
    assert "activities.meetings_attended" not in org


def test_voter_meetings_and_their_issues_roll_up(alpha, world, period):
    w = world.alpha
    _meeting(alpha, w.commune_x, D(2026, 1, 15), CitizenMeetingKind.voter_meeting, issues=3)
    _meeting(alpha, w.commune_y, D(2026, 2, 2), CitizenMeetingKind.opinion_collection, issues=1)
    _meeting(alpha, w.commune_y, D(2025, 12, 1), CitizenMeetingKind.voter_meeting, issues=5)
    recompute_period(alpha, period)
    province = read_figures(alpha, period.id, w.province).consolidated
    assert province["activities.citizen_meetings"] == 2
    assert province["activities.citizen_meetings.voter_meeting"] == 1
    assert province["activities.citizen_meetings.opinion_collection"] == 1
    assert province["activities.citizen_issues"] == 4
    assert read_figures(alpha, period.id, w.commune_x).own["activities.citizen_issues"] == 3
