"""What each kind of notification says and links to, built from the object it is about.

Only the object's title (or name), its number and dates go into a notification: never a case's
content, never anything from a reporter's identity.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.cases.models import Case
from giamsat.core import clock
from giamsat.letters.models import Letter
from giamsat.notifications.notify import Notice
from giamsat.reports.models import PeriodKind, Report, ReportExport, ReportPeriod
from giamsat.supervision.models import Recommendation
from giamsat.units.models import Unit


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def case_notice(case: Case, kind: str, event_key: str, **params) -> Notice:
    return Notice(
        kind=kind,
        unit_id=case.unit_id,
        event_key=event_key,
        title=case.title,
        params={"number": case.number, "due_on": _iso(case.due_on), **params},
        link_endpoint="cases_pages.show",
        link_values={"case_id": case.id},
    )


def recommendation_notice(rec: Recommendation, kind: str, event_key: str, **params) -> Notice:
    # The addressee names the recommendation; its content stays on its page.
    return Notice(
        kind=kind,
        unit_id=rec.unit_id,
        event_key=event_key,
        title=rec.addressee_name,
        params={"due_on": _iso(rec.due_on), **params},
        link_endpoint="supervision_pages.recommendation",
        link_values={"recommendation_id": rec.id},
    )


def report_notice(report: Report, period: ReportPeriod, kind: str, event_key: str) -> Notice:
    return Notice(
        kind=kind,
        unit_id=report.unit_id,
        event_key=event_key,
        title=period.title,
        params={"due_on": _iso(period.due_on)},
        link_endpoint="reports_pages.report",
        link_values={"report_id": report.id},
    )


def period_notice(
    period: ReportPeriod, unit_id: int, kind: str, event_key: str, **params
) -> Notice:
    return Notice(
        kind=kind,
        unit_id=unit_id,
        event_key=event_key,
        title=period.title,
        params={"due_on": _iso(period.due_on), **params},
        link_endpoint="reports_pages.calendar",
        link_values={"unit": unit_id, "year": period.year},
    )


def letter_notice(letter: Letter, event_key: str, kind: str = "letter_ocr_failed") -> Notice:
    case = letter.case
    return Notice(
        kind=kind,
        unit_id=letter.unit_id,
        event_key=event_key,
        title=case.title,
        params={"number": case.number},
        link_endpoint="letters_pages.letter",
        link_values={"letter_id": letter.id},
    )


def export_notice(export: ReportExport, period: ReportPeriod, kind: str, event_key: str) -> Notice:
    # Only the one who asked hears: the file is theirs to fetch, not the whole unit's news.
    return Notice(
        kind=kind,
        unit_id=export.unit_id,
        event_key=event_key,
        title=period.title,
        link_endpoint="reports_pages.export_status",
        link_values={"export_id": export.id},
        user_id=export.requested_by_id,
    )


def reporting_units(session: Session, period: ReportPeriod) -> list[Unit]:
    """Units expected to report for the period: Front units (not residential areas) with a
    unit above them to report to; for an ad hoc request, those below the requesting unit."""
    day = period.ends_on
    units = [
        u
        for u in session.scalars(select(Unit).order_by(Unit.path))
        if u.parent_id is not None
        and not u.level.is_residential_area
        and u.is_current(min(day, clock.today()))
    ]
    if period.kind == PeriodKind.ad_hoc and period.requested_by_unit_id is not None:
        top = session.get(Unit, period.requested_by_unit_id)
        units = [u for u in units if u.path.startswith(top.path) and u.id != top.id]
    return units


def notices_for(session: Session, kind: str, object_id: int, event_key: str) -> list[Notice]:
    """The notices of an event recorded by a trigger (empty when the object is gone)."""
    if kind.startswith("case_"):
        case = session.get(Case, object_id)
        return [case_notice(case, kind, event_key)] if case is not None else []
    if kind in ("report_returned", "report_accepted"):
        report = session.get(Report, object_id)
        if report is None:
            return []
        return [report_notice(report, session.get(ReportPeriod, report.period_id), kind, event_key)]
    if kind == "report_requested":
        period = session.get(ReportPeriod, object_id)
        if period is None:
            return []
        return [
            period_notice(period, unit.id, kind, event_key)
            for unit in reporting_units(session, period)
        ]
    if kind in ("report_export_done", "report_export_failed"):
        export = session.get(ReportExport, object_id)
        if export is None or export.requested_by_id is None:
            return []
        return [export_notice(export, session.get(ReportPeriod, export.period_id), kind, event_key)]
    if kind in ("letter_ocr_failed", "letter_ocr_done"):
        letter = session.get(Letter, object_id)
        return [letter_notice(letter, event_key, kind)] if letter is not None else []
    raise ValueError(f"unknown notification kind {kind!r}")
