"""Structured (JSON) logs carrying tenant, request id and job id, with secrets redacted."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, TextIO

#: Field names whose values never reach a log line: credentials, and anything about the person
#: who reported (người phản ánh / tố cáo) — protected under Directive 27-CT/TW.
SECRET_KEY_PATTERN = re.compile(
    r"pass(?:word|wd)?|token|secret|authori[sz]ation|api[_-]?key|cookie|credential|otp|reporter",
    re.IGNORECASE,
)
REDACTED = "[REDACTED]"

# `password=abc`, `"token": "abc"`, `reporter_name: Nguyễn Văn A` inside free text. An unquoted
# value runs to the next separator, not the next space: names have spaces, and hiding too much
# is the safe side.
_INLINE_SECRET = re.compile(
    r"""(?P<key>["']?[\w-]*(?:pass(?:word|wd)?|token|secret|authori[sz]ation|api[_-]?key|cookie|"""
    r"""credential|otp|reporter)[\w-]*["']?)(?P<sep>\s*[=:]\s*)"""
    r"""(?:(?P<q>["'])(?:\\.|(?!(?P=q)).)*(?P=q)|[^,;&\n}\]]+)""",
    re.IGNORECASE,
)
# `Authorization: Bearer abc`, `Bearer abc` on its own.
_BEARER = re.compile(r"(?P<scheme>\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# `scheme://user:password@host` (database and Redis URLs).
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?P<at>@)", re.IGNORECASE
)

#: Fields bound for the current job or command (see `log_context`).
_bound: ContextVar[Mapping[str, Any]] = ContextVar(
    "giamsat_log_fields", default=MappingProxyType({})
)
#: Callables returning extra fields at format time (e.g. the current request's id and tenant).
_providers: list[Callable[[], Mapping[str, Any]]] = []

#: Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
CONTEXT_FIELDS = ("tenant", "request_id", "job_id")


def is_secret_key(key: Any) -> bool:
    return isinstance(key, str) and bool(SECRET_KEY_PATTERN.search(key))


def redact_text(text: str) -> str:
    """Mask secrets that appear inside free text: key=value pairs, bearer tokens, URL passwords."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{REDACTED}{m['at']}", text)
    text = _INLINE_SECRET.sub(
        lambda m: f"{m['key']}{m['sep']}{m['q'] or ''}{REDACTED}{m['q'] or ''}", text
    )
    return _BEARER.sub(lambda m: f"{m['scheme']}{REDACTED}", text)


def redact(value: Any) -> Any:
    """A copy of `value` with secret-named keys masked, recursively; strings scrubbed."""
    if isinstance(value, Mapping):
        return {k: REDACTED if is_secret_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(redact(v) for v in value)
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactingFilter(logging.Filter):
    """Scrubs a record in place before any handler formats it.

    The message is rendered once with its arguments (dict arguments masked by key first), then
    scrubbed as text, so a secret cannot slip through `%s` formatting or an exception text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = redact(record.args)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact_text(message), None
        for key in [k for k in vars(record) if k not in _STANDARD_ATTRS]:
            value = getattr(record, key)
            setattr(record, key, REDACTED if is_secret_key(key) else redact(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def context_fields() -> dict[str, Any]:
    """Tenant, request id, job id… of the code running now: bound fields, then providers."""
    fields = dict(_bound.get())
    for provider in _providers:
        try:
            for key, value in provider().items():
                if value is not None:
                    fields.setdefault(key, value)
        except Exception:  # a provider must never break logging
            continue
    return fields


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Bind fields (e.g. `tenant="ninh-binh", job_id="…"`) to every log line inside the block."""
    token = _bound.set(
        MappingProxyType({**_bound.get(), **{k: v for k, v in fields.items() if v is not None}})
    )
    try:
        yield
    finally:
        _bound.reset(token)


def add_context_provider(provider: Callable[[], Mapping[str, Any]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def request_fields() -> dict[str, Any]:
    """Provider for web requests: the id and the tenant slug the request hooks put on `g`."""
    from flask import g, has_request_context

    if not has_request_context():
        return {}
    scope = g.get("tenant")
    return {"request_id": g.get("request_id"), "tenant": getattr(scope, "slug", None)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context fields, extras, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in context_fields().items():
            entry.setdefault(key, value)
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry.setdefault(key, value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(_jsonable(entry), ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for development, with the same context fields appended."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{k}={v}" for k, v in context_fields().items() if k in CONTEXT_FIELDS)
        return f"{line} [{fields}]" if fields else line


_HANDLER_NAME = "giamsat"


def configure_logging(
    json: bool = True, level: str | int = "INFO", stream: TextIO | None = None
) -> logging.Handler:
    """Install one root handler (JSON or text) with the redacting filter; safe to call twice."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if json else TextFormatter())
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else level.upper())
    return handler


def error_summary(error: BaseException, limit: int = 500) -> str:
    """One redacted line about a failure, for a job's last error and log lines."""
    return redact_text(f"{type(error).__name__}: {error}")[:limit]
