"""The national view's world: alpha and beta with Quý I/2026 figures and reports — in alpha
commune X submitted late and Y on time (accepted by the province): one late unit; in beta X
submitted on time and Y not at all: one missing unit once the deadline passed. Platform
accounts of both roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from giamsat.accounts.models import User
from giamsat.identity import Principal
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.reports.operations import accept_report, open_report, submit_report, update_report
from giamsat.reports.province_summary import refresh_province_summary
from giamsat.reports.provisioning import provision_tenant
from giamsat.tenancy.operators import PlatformRole, create_operator
from tests.plugins.reports import TODAY, add_activity, add_case, period_of

VN = dt.timezone(dt.timedelta(hours=7))
#: Quý I/2026 is due 19/3/2026 (records 15/12/2025–14/3/2026).
ON_TIME = dt.datetime(2026, 3, 18, 10, 0, tzinfo=VN)
LATE = dt.datetime(2026, 3, 25, 9, 0, tzinfo=VN)
#: A day after the deadline: a unit that has not submitted is missing.
AFTER_DUE = dt.date(2026, 4, 2)
PLATFORM_PASSWORD = "platform-password-long"


@dataclass
class NationalWorld:
    alpha: ReportPeriod
    beta: ReportPeriod


def _principal(session, world_tenant, who: str) -> Principal:
    return Principal.of(session.get(User, world_tenant.users[who]))


def _submit(session, world_tenant, who: str, unit_id: int, period, at: dt.datetime) -> int:
    principal = _principal(session, world_tenant, who)
    report, _ = open_report(session, principal, period_id=period.id, unit_id=unit_id)
    update_report(session, principal, report.id, narrative={"results": "Đã giám sát."})
    submit_report(session, principal, report.id, now=at)
    return report.id


def _records(session, tw, cases_x: int, cases_y: int, activities: int) -> None:
    for day in range(cases_x):
        add_case(session, tw.commune_x, dt.date(2026, 1, 5 + day), organization_id=tw.org_mttq)
    for day in range(cases_y):
        add_case(session, tw.commune_y, dt.date(2026, 2, 1 + day), area_id=tw.area_y)
    for day in range(activities):
        add_activity(session, tw.commune_x, tw.org_mttq, dt.date(2026, 1, 20 + day))


@pytest.fixture()
def national_world(tenant_session, world) -> NationalWorld:
    periods = {}
    for slug, counts in (("alpha", (3, 2, 1)), ("beta", (1, 4, 2))):
        session = tenant_session(slug)
        tw = getattr(world, slug)
        provision_tenant(session, today=TODAY)
        _records(session, tw, *counts)
        period = period_of(session, PeriodKind.quarterly, 2026, 1)
        recompute_period(session, period)
        refresh_province_summary(session, period)
        if slug == "alpha":
            _submit(session, tw, "x-admin", tw.commune_x, period, LATE)
            y_report = _submit(session, tw, "y-admin", tw.commune_y, period, ON_TIME)
            accept_report(session, _principal(session, tw, "admin"), y_report)
        else:
            _submit(session, tw, "x-admin", tw.commune_x, period, ON_TIME)
        session.commit()
        periods[slug] = period
    return NationalWorld(**periods)


@pytest.fixture()
def platform_account(db):
    """`platform_account("central")` — a platform account of that role (username = role)."""

    def make(role: str):
        shared = db.session()
        account = create_operator(
            shared,
            username=f"{role}-account",
            full_name=f"Tài khoản {role}",
            password=PLATFORM_PASSWORD,
            role=PlatformRole(role),
        )
        shared.commit()
        return account

    return make


def login_platform(pages, role: str):
    return pages.post(
        "/platform/login", {"username": f"{role}-account", "password": PLATFORM_PASSWORD}
    )
