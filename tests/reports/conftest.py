"""Fixtures of the reports tests: seeded indicators and periods, principals, record factories."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from giamsat.accounts.models import RoleAssignment, User
from giamsat.identity import Role
from giamsat.identity import Principal
from giamsat.cases.models import Case, CaseKind, Channel, ReporterMode
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.reports.provisioning import provision_tenant
from giamsat.supervision.models import ActivityKind, SupervisionActivity
from sqlalchemy import select

# The job runtime's fixtures (live database, Redis queues, burst worker), reused by test_jobs.
from tests.jobs.conftest import (  # noqa: F401
    live_db,
    queue_prefix,
    redis_conn,
    runtime,
    work_burst,
)

#: The tests' "today": the seeded years are 2026 and 2027.
TODAY = dt.date(2026, 1, 10)

_SEQ = itertools.count(1)


@pytest.fixture()
def alpha(tenant_session, world):
    """One session on alpha with the reports catalogue and 2026–2027 periods seeded."""
    session = tenant_session("alpha")
    provision_tenant(session, today=TODAY)
    session.flush()
    return session


@pytest.fixture()
def period(alpha):
    """Quý I năm 2026: records 15/12/2025–14/3/2026, due 19/3/2026."""
    return period_of(alpha, PeriodKind.quarterly, 2026, 1)


def period_of(session, kind, year, number=1) -> ReportPeriod:
    return session.scalar(select(ReportPeriod).where(
        ReportPeriod.kind == kind, ReportPeriod.year == year, ReportPeriod.number == number))


@pytest.fixture()
def principal(world):
    """`principal(session, "x-admin")` — the Principal of a fixture user of alpha."""
    def make(session, who: str, slug: str = "alpha") -> Principal:
        return Principal.of(session.get(User, getattr(world, slug).users[who]))
    return make


@pytest.fixture()
def leader_at(world):
    """`leader_at(session, unit_id)` — a new leader user at that unit, as a Principal."""
    def make(session, unit_id: int, role: Role = Role.leader) -> Principal:
        user = User(username=f"reports-{role.value}-{unit_id}-{next(_SEQ)}",
                    full_name="Lãnh đạo", password_hash="x", locale="vi")
        session.add(user)
        session.flush()
        session.add(RoleAssignment(user_id=user.id, role=role, unit_id=unit_id))
        session.flush()
        session.refresh(user)
        return Principal.of(user)
    return make


def add_case(session, unit_id: int, received_on: dt.date, *, area_id: int | None = None,
             organization_id: int | None = None, channel: Channel = Channel.in_person,
             kind: CaseKind = CaseKind.petition,
             reporter_mode: ReporterMode = ReporterMode.confidential, **extra) -> Case:
    """A bare case row (the cases domain's own rules are tested there)."""
    case = Case(unit_id=unit_id, area_id=area_id, organization_id=organization_id,
                year=received_on.year, seq=next(_SEQ), received_on=received_on, channel=channel,
                kind=kind, reporter_mode=reporter_mode, title="Phản ánh", content="Nội dung",
                concerned="", **extra)
    session.add(case)
    session.flush()
    return case


def add_activity(session, unit_id: int, organization_id: int, starts_on: dt.date, *,
                 kind: ActivityKind = ActivityKind.thematic,
                 participants: int = 0) -> SupervisionActivity:
    activity = SupervisionActivity(unit_id=unit_id, organization_id=organization_id, kind=kind,
                                   title="Giám sát", starts_on=starts_on, ends_on=starts_on,
                                   participants_count=participants)
    session.add(activity)
    session.flush()
    return activity
