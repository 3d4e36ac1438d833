"""Fixtures of the API tests: callers acting as a fixture user of a tenant with a fresh token."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.core.audit import AuditEntry
from giamsat.units.models import Unit


# Test-side reads close their session at once: sessions of one schema share a connection
# through SAVEPOINTs, which must be released in the order they were opened.
@pytest.fixture()
def read_unit(tenant_session):
    """`read_unit(area_id)` — the unit as stored now (alpha unless `slug` is given)."""

    def read(unit_id: int, slug: str = "alpha") -> Unit:
        with tenant_session(slug) as session:
            return session.get(Unit, unit_id)

    return read


@pytest.fixture()
def unit_count(tenant_session):
    def count(slug: str = "alpha", **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(Unit).filter_by(**where))

    return count


@pytest.fixture()
def audit_count(tenant_session):
    """`audit_count("alpha", object_type="unit", action="create")` — matching audit entries."""

    def count(slug: str, **where) -> int:
        stmt = select(func.count()).select_from(AuditEntry).filter_by(**where)
        with tenant_session(slug) as session:
            return session.scalar(stmt)

    return count
