"""Password hashing (argon2id) and API token generation/hashing."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A fixed hash to verify against when the user does not exist, so timing doesn't tell.
    Made on first use, not at import: an argon2 hash costs ~0.3 s of CPU, and every command
    (e.g. `tenants apply`) imports this module through the domain declarations."""
    return _hasher.hash("giamsat-dummy-password")


def prepare_dummy_hash() -> None:
    """Make the dummy hash now (the app does at start), so even the first sign-in of an
    unknown user costs no extra hash."""
    _dummy_hash()


TOKEN_PREFIX = "gs_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return (
            _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def new_api_token() -> str:
    """A fresh token; only its hash is stored, the token itself is shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough, and lets lookups use an index.
    return hashlib.sha256(token.encode()).hexdigest()
