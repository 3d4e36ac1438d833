"""Fixtures of the cases API tests: callers per fixture user, and the tenants' buckets."""

from __future__ import annotations

import pytest


@pytest.fixture()
def app(settings, db, monkeypatch, keep_job_runtime):
    from giamsat.app import create_app

    app = create_app(settings=settings, database=db)
    app.config.update(TESTING=True)
    return app


@pytest.fixture()
def audit_count(tenant_session):
    """`audit_count("alpha", object_type="case", action="create")` — matching audit entries."""
    from sqlalchemy import func, select

    from giamsat.core.audit import AuditEntry

    def count(slug: str, **where) -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(AuditEntry).filter_by(**where))

    return count
