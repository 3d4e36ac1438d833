"""Public-intake fixtures: CSRF on, a fresh rate-limit namespace per test, master keys."""

from __future__ import annotations

import uuid

import pytest

from giamsat.cases.protection import using_master_keys
from giamsat.cases.public.ratelimit import RateLimiter
from giamsat.cases.public.views import LIMITER_KEY
from giamsat.core.queue import redis_connection
from giamsat.units.models import TenantRule
from tests.plugins.cases import Browser

#: A test master key ("pub" id, 32 bytes of 7).
MASTER_KEYS = "pub:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="


@pytest.fixture(autouse=True)
def master_keys():
    with using_master_keys(MASTER_KEYS) as keyring:
        yield keyring


@pytest.fixture()
def limiter_prefix(settings):
    """Counters of this test only; deleted afterwards."""
    prefix = f"{settings.queue_prefix}pub{uuid.uuid4().hex[:8]}-"
    yield prefix
    redis = redis_connection(settings.redis_url)
    keys = list(redis.scan_iter(f"{prefix}*"))
    if keys:
        redis.delete(*keys)
    redis.close()


@pytest.fixture()
def app(app, settings, limiter_prefix):
    # Public forms keep CSRF protection exactly as in production.
    app.config.update(WTF_CSRF_ENABLED=True)
    if "cases_public" not in app.blueprints:  # until cases/__init__.py lists it
        from giamsat.cases.public.views import bp

        app.register_blueprint(bp)
    app.extensions[LIMITER_KEY] = RateLimiter(redis_connection(settings.redis_url), limiter_prefix)
    return app


@pytest.fixture()
def browser(client):
    return Browser(client)


@pytest.fixture()
def other_browser(app):
    return Browser(app.test_client(), address="203.0.113.9")


@pytest.fixture()
def set_rule(tenant_session):
    """`set_rule("alpha", key, value)` — a tenant rule inside the test transaction."""

    def put(slug: str, key: str, value) -> None:
        session = tenant_session(slug)
        session.merge(TenantRule(key=key, value=value, source="test"))
        session.commit()

    return put
