"""Fixtures of the supervision tests: audit and people counts, and people made through the API
(sample rows and XLSX files are in `tests.plugins.supervision`)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.core.audit import AuditEntry
from giamsat.supervision.models import SupervisedPerson
from tests.plugins.supervision import NEW_PERSON


# Test-side reads close their session at once: sessions of one schema share a connection
# through SAVEPOINTs, which must be released in the order they were opened.
@pytest.fixture()
def audit_count(tenant_session):
    """`audit_count("alpha", object_type="supervised_people", action="import")`."""

    def count(slug: str, **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(AuditEntry).filter_by(**where))

    return count


@pytest.fixture()
def people_count(tenant_session):
    def count(slug: str = "alpha", **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(
                select(func.count()).select_from(SupervisedPerson).filter_by(**where)
            )

    return count


@pytest.fixture()
def make_person(as_user, world):
    """`make_person(slug="alpha", unit="commune_x", who="x-staff", **fields)` → person JSON."""

    def make(slug: str = "alpha", unit: str = "commune_x", who: str = "x-staff", **fields):
        body = {"unit_id": getattr(getattr(world, slug), unit), **NEW_PERSON, **fields}
        response = as_user(slug, who).post("supervision/people", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make
