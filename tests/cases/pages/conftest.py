"""Fixtures of the staff case pages: CSRF on, master keys, the tenants' buckets, a leader."""

from __future__ import annotations

import base64

import pytest

from giamsat.identity import Role

#: A test master key ("pages" id, 32 bytes of 9). In the environment, so the live server's
#: thread (browser test) finds it too.
MASTER_KEYS = f"pages:{base64.b64encode(bytes([9]) * 32).decode()}"


@pytest.fixture(autouse=True)
def master_keys(monkeypatch):
    monkeypatch.setenv("GIAMSAT_MASTER_KEYS", MASTER_KEYS)


@pytest.fixture()
def app(app):
    # Page tests run with CSRF protection exactly as in production.
    app.config.update(WTF_CSRF_ENABLED=True)
    if "cases_pages" not in app.blueprints:  # until cases/__init__.py lists it
        from giamsat.cases.views import bp

        app.register_blueprint(bp)
    return app


@pytest.fixture()
def leader(add_user, world):
    """A Lãnh đạo (leader) of commune X of alpha: "alpha-x-leader"."""
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    return "x-leader"
