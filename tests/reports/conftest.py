"""Fixtures of the reports tests: seeded indicators and periods, principals and leaders
(record factories are in `tests.plugins.reports`)."""

from __future__ import annotations

import pytest

from giamsat.accounts.models import RoleAssignment, User
from giamsat.identity import Principal, Role
from giamsat.reports.models import PeriodKind
from giamsat.reports.provisioning import provision_tenant
from tests.plugins.reports import SEQ, TODAY, period_of


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
        user = User(
            username=f"reports-{role.value}-{unit_id}-{next(SEQ)}",
            full_name="Lãnh đạo",
            password_hash="x",
            locale="vi",
        )
        session.add(user)
        session.flush()
        session.add(RoleAssignment(user_id=user.id, role=role, unit_id=unit_id))
        session.flush()
        session.refresh(user)
        return Principal.of(user)

    return make
