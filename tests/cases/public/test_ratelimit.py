"""Rate limits of the public pages: per address and per unit, and when Redis is down."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from giamsat.cases.models import Case
from giamsat.cases.public.ratelimit import (
    LOOKUP_PER_ADDRESS,
    SUBMIT_PER_ADDRESS,
    SUBMIT_PER_UNIT,
    LimiterUnavailable,
    RateLimiter,
    address_subject,
)
from giamsat.cases.public.views import LIMITER_KEY
from giamsat.core.queue import redis_connection
from tests.plugins.cases import Browser, receipt_code
from tests.plugins.pages import text_of

DEAD_REDIS = "redis://127.0.0.1:1/0"


def _count(tenant_session) -> int:
    return tenant_session("alpha").scalar(select(func.count()).select_from(Case))


def test_submissions_per_address(browser, other_browser, world, set_rule, tenant_session):
    set_rule("alpha", SUBMIT_PER_ADDRESS.rule_key, 2)
    for _ in range(2):
        assert browser.submit("alpha", world.alpha.commune_x).status_code == 200
    refused = browser.submit("alpha", world.alpha.commune_x)
    assert refused.status_code == 429
    assert "Bạn đã gửi quá nhiều lần trong thời gian ngắn" in text_of(refused)
    assert "Ý kiến này chưa được gửi." in text_of(refused)
    assert _count(tenant_session) == 2
    # Another address is not held back.
    assert other_browser.submit("alpha", world.alpha.commune_x).status_code == 200


def test_submissions_per_unit(app, world, set_rule, tenant_session):
    set_rule("alpha", SUBMIT_PER_UNIT.rule_key, 3)
    senders = [Browser(app.test_client(), address=f"192.0.2.{i}") for i in range(4)]
    for sender in senders[:3]:
        assert sender.submit("alpha", world.alpha.commune_x).status_code == 200
    assert senders[3].submit("alpha", world.alpha.commune_x).status_code == 429
    # Another unit has its own count.
    assert senders[3].submit("alpha", world.alpha.commune_y).status_code == 200
    assert _count(tenant_session) == 4


def test_invalid_forms_do_not_use_up_the_limit(browser, world, set_rule):
    set_rule("alpha", SUBMIT_PER_ADDRESS.rule_key, 1)
    assert browser.submit("alpha", world.alpha.commune_x, title="").status_code == 422
    assert browser.submit("alpha", world.alpha.commune_x).status_code == 200


def test_lookups_wrong_codes_count_then_even_the_right_code_waits(
    browser, other_browser, world, set_rule
):
    set_rule("alpha", LOOKUP_PER_ADDRESS.rule_key, 3)
    code = receipt_code(browser.submit("alpha", world.alpha.commune_x))
    for _ in range(3):
        assert browser.lookup("alpha", "0" * 20).status_code == 404
    refused = browser.lookup("alpha", code)
    assert refused.status_code == 429
    assert "Hãy chờ khoảng 10 phút rồi thử lại" in text_of(refused)
    assert code not in refused.get_data(as_text=True)
    added = browser.post(
        "/t/alpha/tra-cuu/bo-sung", {"code": code, "text": "Thêm"}, token_from="/t/alpha/tra-cuu"
    )
    assert added.status_code == 429
    assert other_browser.lookup("alpha", code).status_code == 200


def test_limits_are_per_tenant(browser, world, set_rule):
    set_rule("alpha", SUBMIT_PER_ADDRESS.rule_key, 1)
    assert browser.submit("alpha", world.alpha.commune_x).status_code == 200
    assert browser.submit("alpha", world.alpha.commune_x).status_code == 429
    assert browser.submit("beta", world.beta.commune_x).status_code == 200


def test_redis_down_submissions_go_through_with_a_warning(
    app, browser, world, tenant_session, caplog
):
    app.extensions[LIMITER_KEY] = RateLimiter(redis_connection(DEAD_REDIS), "x-")
    with caplog.at_level(logging.WARNING, logger="giamsat.cases.public.ratelimit"):
        response = browser.submit("alpha", world.alpha.commune_x)
    assert response.status_code == 200
    assert _count(tenant_session) == 1
    assert "rate limiter unavailable, submit-address allowed unchecked" in caplog.text
    assert browser.address not in caplog.text


def test_redis_down_lookups_are_refused(app, browser, world):
    code = receipt_code(browser.submit("alpha", world.alpha.commune_x))
    app.extensions[LIMITER_KEY] = RateLimiter(redis_connection(DEAD_REDIS), "x-")
    response = browser.lookup("alpha", code)
    assert response.status_code == 503
    assert "Mã của bạn vẫn còn nguyên giá trị" in text_of(response)


def test_fixed_windows_and_hashed_addresses(settings, limiter_prefix):
    redis = redis_connection(settings.redis_url)
    limiter = RateLimiter(redis, limiter_prefix)
    subject = address_subject("198.51.100.7")
    assert "198.51.100.7" not in subject
    start = 7200.0 * 1000  # the start of a window
    assert [
        limiter.hit("alpha", SUBMIT_PER_ADDRESS, subject, 2, now=start + i) for i in range(3)
    ] == [True, True, False]
    # The next window starts afresh; the counter keys expire on their own.
    assert limiter.hit("alpha", SUBMIT_PER_ADDRESS, subject, 2, now=start + 3600)
    key = limiter.key("alpha", SUBMIT_PER_ADDRESS, subject, start)
    assert key.startswith(f"{limiter_prefix}ratelimit:alpha:") and 0 < redis.ttl(key) <= 3660
    dead = RateLimiter(redis_connection(DEAD_REDIS))
    assert dead.hit("alpha", SUBMIT_PER_UNIT, "1", 1) is True
    with pytest.raises(LimiterUnavailable):
        dead.hit("alpha", LOOKUP_PER_ADDRESS, subject, 1)
