"""Fixtures for page tests: CSRF stays on, and a client that logs in and posts like a browser."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from giamsat.core.audit import AuditEntry
from giamsat.tenancy.names import schema_for
from giamsat.units.models import Unit

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture()
def app(app):
    # Decided: page tests run with CSRF protection exactly as in production. Forms are posted
    # with the token a page handed out (see `Pages.post`); test_csrf.py checks refusals.
    app.config.update(WTF_CSRF_ENABLED=True)
    return app




class Pages:
    """A test client that behaves like a person with a browser."""

    def __init__(self, client, world):
        self.client = client
        self.world = world

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def csrf_token(self) -> str:
        # Every page carries the language form, hence a token bound to this browser's session.
        match = CSRF_INPUT.search(self.client.get("/").get_data(as_text=True))
        assert match, "the page shell hands out no CSRF token"
        return match.group(1)

    def post(self, url, data=None, *, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.client.post(url, data=data, **kwargs)

    def login(self, slug: str, who: str, password: str | None = None):
        response = self.post(f"/t/{slug}/login", {
            "username": f"{slug}-{who}", "password": password or self.world.password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


@pytest.fixture()
def pages(client, world):
    return Pages(client, world)


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


def text_of(response) -> str:
    """The page text without tags, whitespace collapsed: what a reader sees."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#34;", '"').replace(
        "&#39;", "'").replace("&amp;", "&")
