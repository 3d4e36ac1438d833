"""Fixtures of the cases API tests: callers per fixture user, and the tenants' buckets."""
from __future__ import annotations

import pytest

from tests.api.helpers import ApiCaller


@pytest.fixture()
def app(settings, db, monkeypatch):
    from giamsat.app import create_app

    app = create_app(settings=settings, database=db)
    app.config.update(TESTING=True)
    return app


@pytest.fixture()
def as_user(client, api_token):
    """`as_user("alpha", "x-staff")` — an ApiCaller for that fixture user."""

    def make(slug: str, who: str) -> ApiCaller:
        return ApiCaller(client, slug, api_token(slug, who))

    return make


@pytest.fixture()
def audit_count(tenant_session):
    """`audit_count("alpha", object_type="case", action="create")` — matching audit entries."""
    from sqlalchemy import func, select

    from giamsat.core.audit import AuditEntry

    def count(slug: str, **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(AuditEntry)
                                  .filter_by(**where))

    return count
