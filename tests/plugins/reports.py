"""Reports test helpers: the tests' "today", periods by kind, bare records to aggregate, and
reading the report pages' redirects and field errors."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from sqlalchemy import select

from giamsat.cases.models import Case, CaseKind, Channel, ReporterMode
from giamsat.reports.models import ReportPeriod
from giamsat.supervision.models import ActivityKind, SupervisionActivity

#: The tests' "today": the seeded years are 2026 and 2027.
TODAY = dt.date(2026, 1, 10)

#: The official data writes one Ninh Bình commune with a double space: it must neither sort
#: first nor show so.
SPACED = "Xã  Xuân Giang"

#: One sequence for every row the reports tests make up (case numbers, usernames): never twice.
SEQ = itertools.count(1)


def period_of(session, kind, year, number=1) -> ReportPeriod:
    return session.scalar(
        select(ReportPeriod).where(
            ReportPeriod.kind == kind, ReportPeriod.year == year, ReportPeriod.number == number
        )
    )


def add_case(
    session,
    unit_id: int,
    received_on: dt.date,
    *,
    area_id: int | None = None,
    organization_id: int | None = None,
    channel: Channel = Channel.in_person,
    kind: CaseKind = CaseKind.petition,
    reporter_mode: ReporterMode = ReporterMode.confidential,
    **extra,
) -> Case:
    """A bare case row (the cases domain's own rules are tested there)."""
    case = Case(
        unit_id=unit_id,
        area_id=area_id,
        organization_id=organization_id,
        year=received_on.year,
        seq=next(SEQ),
        received_on=received_on,
        channel=channel,
        kind=kind,
        reporter_mode=reporter_mode,
        title="Phản ánh",
        content="Nội dung",
        concerned="",
        **extra,
    )
    session.add(case)
    session.flush()
    return case


def add_activity(
    session,
    unit_id: int,
    organization_id: int,
    starts_on: dt.date,
    *,
    kind: ActivityKind = ActivityKind.thematic,
    participants: int = 0,
) -> SupervisionActivity:
    activity = SupervisionActivity(
        unit_id=unit_id,
        organization_id=organization_id,
        kind=kind,
        title="Giám sát",
        starts_on=starts_on,
        ends_on=starts_on,
        participants_count=participants,
    )
    session.add(activity)
    session.flush()
    return activity


def report_id_from(response) -> int:
    match = re.search(r"/reports/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def field_error(response, field_id: str) -> str:
    """The report pages' error paragraph carries the field's id itself (no `-error` suffix)."""
    match = re.search(
        rf'<p class="error" id="{re.escape(field_id)}">(.*?)</p>',
        response.get_data(as_text=True),
        re.S,
    )
    return " ".join(match.group(1).split()) if match else ""
