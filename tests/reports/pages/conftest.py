"""Fixtures of the report pages: CSRF on, the tenants' buckets, seeded periods and indicators,
a few records in alpha and their computed figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from giamsat.core.db import utcnow
from giamsat.core.vietnamese import normalise_spaces
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import PeriodKind, Report, ReportPeriod, ReportStatus
from giamsat.reports.provisioning import provision_tenant
from giamsat.units.models import Unit
from giamsat.units.official_data import get_province
from tests.plugins.reports import SPACED, add_activity, add_case

#: The day the records are dated: inside the yearly, six-monthly and Q1 2026 windows.
RECORD_DAY = dt.date(2026, 3, 1)


@pytest.fixture()
def app(app):
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@dataclass
class Seeded:
    yearly: int  # Năm 2026: due 14/12/2026, in the future on the pages' today
    q2: int  # Quý II năm 2026: due long past
    q3: int  # Quý III năm 2026: due long past
    beta_yearly: int


def _period(session, kind, year, number=1) -> ReportPeriod:
    return session.scalar(
        select(ReportPeriod).where(
            ReportPeriod.kind == kind, ReportPeriod.year == year, ReportPeriod.number == number
        )
    )


@pytest.fixture()
def seeded(tenant_session, world) -> Seeded:
    """Periods of 2026–2027 in both tenants; in alpha: 3 supervision sessions and 2 cases at
    commune X (the cases at its residential area), 1 session at commune Y; figures computed."""
    today = dt.date(2026, 11, 26)
    with tenant_session("beta") as session:
        provision_tenant(session, today=today)
        beta_yearly = _period(session, PeriodKind.yearly, 2026).id
        session.commit()
    a = world.alpha
    with tenant_session("alpha") as session:
        provision_tenant(session, today=today)
        for _ in range(3):
            add_activity(session, a.commune_x, a.org_mttq, RECORD_DAY)
        add_activity(session, a.commune_y, a.org_mttq, RECORD_DAY)
        for _ in range(2):
            add_case(session, a.commune_x, RECORD_DAY, area_id=a.area_x)
        for period in session.scalars(select(ReportPeriod).where(ReportPeriod.year == 2026)):
            recompute_period(session, period)
        seeded = Seeded(
            _period(session, PeriodKind.yearly, 2026).id,
            _period(session, PeriodKind.quarterly, 2026, 2).id,
            _period(session, PeriodKind.quarterly, 2026, 3).id,
            beta_yearly,
        )
        session.commit()
    return seeded


@pytest.fixture()
def put_report(tenant_session, world):
    """`put_report(period_id, unit_id, status, late=False)` — a report row as if submitted
    (on time or late) without going through the pages: for the dashboard's numbers."""

    def make(period_id: int, unit_id: int, status: ReportStatus, *, late: bool = False) -> int:
        with tenant_session("alpha") as session:
            submitted = status in (
                ReportStatus.submitted,
                ReportStatus.accepted,
                ReportStatus.returned,
            )
            report = Report(
                period_id=period_id,
                unit_id=unit_id,
                status=status,
                results="Kết quả",
                first_submitted_at=utcnow() if submitted else None,
                submitted_at=utcnow() if submitted else None,
                is_late=late if submitted else None,
            )
            session.add(report)
            session.commit()
            return report.id

    return make


NINH_BINH = 37


@pytest.fixture()
def province_129(tenant_session, world, seeded):
    """Alpha's province with Ninh Bình's communes below it: X and Y plus 127 official names
    (the official data writes one, "Xã  Xuân Giang", with a double space) — 129 units."""
    a = world.alpha
    official = [c.name for c in get_province(NINH_BINH).communes]
    names = [n for n in official if normalise_spaces(n) != normalise_spaces(SPACED)][:126]
    names.append(SPACED)  # as the official data writes it
    with tenant_session("alpha") as session:
        province = session.get(Unit, a.province)
        ids = []
        for index, name in enumerate(names):
            unit = Unit(
                level_code="commune",
                name=name,
                kind="xã",
                official_code=f"NB{index:03d}",
                parent_id=province.id,
                valid_from=dt.date(2025, 7, 1),
            )
            session.add(unit)
            session.flush()
            unit.path = f"{province.path}{unit.id}/"
            ids.append(unit.id)
        session.commit()
    return [a.commune_x, a.commune_y, *ids]


@pytest.fixture()
def q3_states(province_129, put_report, seeded):
    """Quý III (due long past): 30 on time, 10 late, 5 returned, the other 84 missing."""
    units = province_129
    for unit_id in units[:30]:
        put_report(seeded.q3, unit_id, ReportStatus.submitted)
    for unit_id in units[30:40]:
        put_report(seeded.q3, unit_id, ReportStatus.accepted, late=True)
    for unit_id in units[40:45]:
        put_report(seeded.q3, unit_id, ReportStatus.returned)
    return units
