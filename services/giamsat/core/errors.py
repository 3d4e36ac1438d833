"""Domain errors; the API and pages map them to responses in one place each."""

from __future__ import annotations


class DomainError(Exception):
    """Base of errors an operation raises for the caller to show."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or ({field: [message]} if field else {})


class NotFound(DomainError):
    """Missing — or outside the caller's scope: both look the same so ids don't leak."""

    status = 404


class Forbidden(DomainError):
    """The caller sees the object but their role may not change it."""

    status = 403


class ValidationFailed(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409


class Unavailable(DomainError):
    """A service the request needs (object storage…) is down; nothing was changed."""

    status = 503
