"""Structured logs: context fields on every line, and no secret ever written."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest
from flask import Flask, g

from giamsat.core.logging import (
    REDACTED,
    add_context_provider,
    configure_logging,
    log_context,
    redact,
    redact_text,
    request_fields,
)


@pytest.fixture()
def json_log():
    """A logger writing JSON lines through the real handler `configure_logging` installs."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    configure_logging(json=True, level="DEBUG", stream=stream)
    logger = logging.getLogger("giamsat.test")

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield logger, lines
    for handler in root.handlers[:]:
        if handler not in saved[1]:
            root.removeHandler(handler)
    root.setLevel(saved[0])


def test_lines_are_json_with_context_fields(json_log):
    logger, lines = json_log
    with log_context(tenant="alpha", job_id="outbox-7"):
        with log_context(request_id=None):  # None binds nothing
            logger.info("đã gửi %d nhắc việc", 3, extra={"case_id": 42})
    logger.warning("outside")
    first, second = lines()
    assert first["message"] == "đã gửi 3 nhắc việc"
    assert (first["tenant"], first["job_id"], first["case_id"]) == ("alpha", "outbox-7", 42)
    assert "request_id" not in first
    assert first["level"] == "INFO" and first["logger"] == "giamsat.test"
    assert "tenant" not in second


def test_secrets_are_redacted_everywhere(json_log):
    logger, lines = json_log
    logger.info("login %s", {"username": "a", "password": "hunter2"})
    logger.info(
        "token issued",
        extra={
            "api_token": "gs_abc",
            "reporter_phone": "0912345678",
            "payload": {"secret": "s3", "ok": 1},
        },
    )
    logger.info(
        "db at postgresql+psycopg://giamsat:pw123@db/giamsat, "
        "header Authorization: Bearer eyJhbGciOi"
    )
    try:
        raise ValueError("reporter_name=Nguyễn Văn A; phone ok")
    except ValueError:
        logger.exception("intake failed")
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines())
    for secret in ("hunter2", "gs_abc", "0912345678", "s3", "pw123", "eyJhbGciOi", "Nguyễn"):
        assert secret not in text
    login, issued, url, failed = lines()
    assert login["message"] == f"login {{'username': 'a', 'password': '{REDACTED}'}}"
    assert issued["api_token"] == REDACTED and issued["reporter_phone"] == REDACTED
    assert issued["payload"] == {"secret": REDACTED, "ok": 1}
    assert f"giamsat:{REDACTED}@db" in url["message"]
    assert "ValueError: reporter_name=[REDACTED]; phone ok" in failed["error"]


def test_redact_keeps_harmless_text():
    assert redact_text("passed 3 checks for unit_id=4") == "passed 3 checks for unit_id=4"
    assert redact({"ids": [1, 2], "Password_Hash": "x"}) == {
        "ids": [1, 2],
        "Password_Hash": REDACTED,
    }


def test_request_fields_come_from_the_request(json_log):
    logger, lines = json_log
    add_context_provider(request_fields)
    app = Flask(__name__)
    with app.test_request_context("/"):
        g.request_id = "req-1"
        g.tenant = SimpleNamespace(slug="beta")
        logger.info("in a request")
    logger.info("after it")
    inside, after = lines()
    assert (inside["request_id"], inside["tenant"]) == ("req-1", "beta")
    assert "request_id" not in after


def test_text_logs_for_development():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    handler = configure_logging(json=False, stream=stream)
    try:
        with log_context(tenant="alpha"):
            logging.getLogger("giamsat.test").warning("token=abc")
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        assert root.handlers == saved[1]
    assert stream.getvalue().rstrip().endswith(f"token={REDACTED} [tenant=alpha]")
