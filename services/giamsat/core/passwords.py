"""Password hashing (argon2id) and API token generation/hashing."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
#: A fixed hash to verify against when the user does not exist, so timing doesn't tell.
_DUMMY_HASH = _hasher.hash("giamsat-dummy-password")

TOKEN_PREFIX = "gs_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_api_token() -> str:
    """A fresh token; only its hash is stored, the token itself is shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough, and lets lookups use an index.
    return hashlib.sha256(token.encode()).hexdigest()
