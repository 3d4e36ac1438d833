"""Fixtures for page tests: CSRF stays on, and a client that logs in and posts like a browser."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from giamsat.core.audit import AuditEntry
from giamsat.units.models import Unit
from tests.plugins.pages import CSRF_INPUT, Pages, text_of  # noqa: F401 — used by page tests


@pytest.fixture()
def app(app):
    # Decided: page tests run with CSRF protection exactly as in production. Forms are posted
    # with the token a page handed out (see `Pages.post`); test_csrf.py checks refusals.
    app.config.update(WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture()
def count_units(tenant_session):
    def count(slug: str, **where) -> int:
        stmt = select(func.count()).select_from(Unit).filter_by(**where)
        return tenant_session(slug).scalar(stmt)

    return count


@pytest.fixture()
def audit_actions(tenant_session):
    def actions(slug: str, object_type: str | None = None) -> list[str]:
        stmt = select(AuditEntry.action).order_by(AuditEntry.id)
        if object_type:
            stmt = stmt.where(AuditEntry.object_type == object_type)
        return list(tenant_session(slug).scalars(stmt))

    return actions
