"""Public-intake fixtures: CSRF on, a fresh rate-limit namespace per test, master keys."""
from __future__ import annotations

import re
import uuid

import pytest

from giamsat.cases.protection import using_master_keys
from giamsat.cases.public.ratelimit import RateLimiter
from giamsat.cases.public.views import LIMITER_KEY
from giamsat.core.queue import redis_connection
from giamsat.units.models import TenantRule

#: A test master key ("pub" id, 32 bytes of 7).
MASTER_KEYS = "pub:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt-code">([\d ]+)<')


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
    app.extensions[LIMITER_KEY] = RateLimiter(redis_connection(settings.redis_url),
                                              limiter_prefix)
    return app


class Browser:
    """Someone with a browser and no account: reads pages, posts their forms with the token."""

    def __init__(self, client, address: str = "198.51.100.7"):
        self.client = client
        self.address = address

    def get(self, url, **kwargs):
        return self.client.get(url, environ_base={"REMOTE_ADDR": self.address}, **kwargs)

    def token(self, url: str) -> str:
        match = CSRF_INPUT.search(self.get(url).get_data(as_text=True))
        assert match, f"{url} hands out no CSRF token"
        return match.group(1)

    def post(self, url, data, *, token_from: str | None = None, csrf: bool = True):
        data = dict(data)
        if csrf:
            data.setdefault("csrf_token", self.token(token_from or url))
        return self.client.post(url, data=data, environ_base={"REMOTE_ADDR": self.address})

    def submit(self, slug: str, unit_id: int, **fields):
        data = {"kind": "petition", "title": "Đường thôn bị hỏng",
                "content": "Đường liên thôn hỏng nặng từ tháng trước, chưa ai sửa.",
                "concerned": "", "reporter_mode": "anonymous", "consent": "y"}
        data.update(fields)
        return self.post(f"/t/{slug}/gop-y/{unit_id}", data)

    def lookup(self, slug: str, code: str):
        return self.post(f"/t/{slug}/tra-cuu", {"code": code})


@pytest.fixture()
def browser(client):
    return Browser(client)


@pytest.fixture()
def other_browser(app):
    return Browser(app.test_client(), address="203.0.113.9")


def receipt_code(response) -> str:
    match = RECEIPT.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1).strip()


@pytest.fixture()
def set_rule(tenant_session):
    """`set_rule("alpha", key, value)` — a tenant rule inside the test transaction."""

    def put(slug: str, key: str, value) -> None:
        session = tenant_session(slug)
        session.merge(TenantRule(key=key, value=value, source="test"))
        session.commit()

    return put
