"""Indicator computations over the cases themselves: intake by channel, kind and anonymity,
forwarding by recipient, answers by timeliness, overdue ones; and the cases closed or archived
(from their events). Each family is one `Scan`: a recompute reads the cases once for the six
counts (and their events once for the two), not once per count."""

from __future__ import annotations

from sqlalchemy import and_, case, distinct, func, literal, or_

from giamsat.cases.models import Case, CaseEvent, ReporterMode
from giamsat.reports.indicators import CASE_UNIT, Window, _case_units, _intake
from giamsat.reports.scans import Part, Scan, scan


@scan
def cases(window: Window) -> Scan:
    end = window.ends_on
    timeliness = case(
        (or_(Case.due_on.is_(None), Case.responded_on <= Case.due_on), literal("on_time")),
        else_=literal("late"),
    )
    count = func.count()
    intake = _intake(window)  # one object: the fused statement's WHERE names it once
    return Scan(
        unit=CASE_UNIT,
        org=Case.organization_id,
        where=_case_units(window),
        parts={
            "cases.received": Part(intake, count, Case.channel),
            "cases.received_by_kind": Part(intake, count, Case.kind),
            "cases.received_anonymous": Part(
                and_(intake, Case.reporter_mode == ReporterMode.anonymous), count
            ),
            "cases.forwarded": Part(window.dates(Case.forwarded_on), count, Case.recipient_kind),
            "cases.answered": Part(window.dates(Case.responded_on), count, timeliness),
            "cases.overdue_unanswered": Part(
                and_(
                    Case.forwarded_on <= end,
                    Case.due_on < end,
                    or_(Case.responded_on.is_(None), Case.responded_on > end),
                ),
                count,
            ),
        },
    )


@scan
def case_events(window: Window) -> Scan:
    """A case counts once however many close (archive) events it had in the window."""
    once = func.count(distinct(Case.id))
    return Scan(
        unit=CASE_UNIT,
        org=Case.organization_id,
        where=and_(window.instants(CaseEvent.at), _case_units(window)),
        parts={
            "cases.resolved": Part(CaseEvent.action == "close", once, additive=False),
            "cases.archived": Part(CaseEvent.action == "archive", once, additive=False),
        },
        joins=lambda stmt: stmt.join(CaseEvent, CaseEvent.case_id == Case.id),
    )
