"""New passwords and one-time credentials: the one place a new password is judged.

`check_new_password` is the single gate every new password passes (first sign-in, imports, the
API); a stronger policy plugs in here."""

from __future__ import annotations

import datetime as dt
import secrets

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.accounts.models import User
from giamsat.accounts.passwords_policy import check_password
from giamsat.core.db import utcnow
from giamsat.core.errors import ValidationFailed
from giamsat.core.passwords import hash_password, hash_token

#: How long a one-time sign-in link works.
SIGNIN_LINK_HOURS = 72
#: Letters and digits nobody confuses when reading a printed sheet (no 0/O, 1/l/I).
_READABLE = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Temporary passwords are ~90 random bits, not chosen by people: argon2 at its lightest is
#: ample (no dictionary to try), and an import of hundreds of people takes seconds instead of
#: minutes (the standard parameters cost ~0.7 s a hash on a busy server). `verify_password`
#: reads the parameters from the hash; the person's own password gets the standard ones.
_ONE_TIME_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def check_new_password(password: str | None, *, user: User | None = None) -> str:
    """The password if it may be used; ValidationFailed(field="password") otherwise.

    The tenant-wide policy (`passwords_policy`): long enough, not common, not the person's own
    name, username or email."""
    password = password or ""
    personal = [user.username, user.full_name, user.email] if user is not None else []
    check_password(password, personal)
    return password


def new_temporary_password() -> str:
    """Four groups of four readable characters (about 90 bits), easy to type from paper."""
    groups = ("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def hash_temporary_password(password: str) -> str:
    return _ONE_TIME_HASHER.hash(password)


def set_temporary_password(user: User) -> str:
    """Give `user` a temporary password they must replace at their first sign-in."""
    password = new_temporary_password()
    user.password_hash = hash_temporary_password(password)
    user.must_change_password = True
    return password


def issue_signin_token(user: User) -> str:
    """A fresh one-time sign-in token (only its hash is kept); an older link stops working."""
    token = secrets.token_urlsafe(32)
    user.signin_token_hash = hash_token(token)
    user.signin_token_expires_at = utcnow() + dt.timedelta(hours=SIGNIN_LINK_HOURS)
    user.must_change_password = True
    return token


def user_for_signin_token(session: Session, token: str) -> User | None:
    """The active user whose unexpired link carries `token`, else None."""
    if not token:
        return None
    user = session.scalar(select(User).where(User.signin_token_hash == hash_token(token)))
    if user is None or not user.is_active or user.signin_token_expires_at is None:
        return None
    return user if user.signin_token_expires_at > utcnow() else None


def use_signin_token(user: User) -> None:
    """The link works once."""
    user.signin_token_hash = None
    user.signin_token_expires_at = None
    user.last_login_at = utcnow()


def set_own_password(user: User, password: str, confirm: str) -> None:
    """The user chooses their own password; the forced change is then done."""
    check_new_password(password, user=user)
    if password != confirm:
        raise ValidationFailed("Hai lần nhập mật khẩu không giống nhau.", field="confirm")
    user.password_hash = hash_password(password)
    user.must_change_password = False
