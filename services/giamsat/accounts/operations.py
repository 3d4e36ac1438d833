"""State changes of accounts: users, roles, API tokens. Flush only; never commit."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from giamsat.accounts.models import ApiToken, RoleAssignment, User
from giamsat.accounts.passwords_policy import check_password
from giamsat.accounts.queries import get_api_token
from giamsat.core import audit
from giamsat.core.db import utcnow
from giamsat.core.errors import Conflict, ValidationFailed
from giamsat.core.passwords import hash_password, hash_token, new_api_token, verify_password
from giamsat.identity import Actor, Role

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,119}$")
#: Token scopes: "read" answers only GET/HEAD/OPTIONS (403 otherwise).
TOKEN_SCOPES = ("read", "read_write")
#: Lifetime of a token in days: the default, and the longest one may ask for.
TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX = 90, 365


def create_user(
    session: Session,
    actor,
    *,
    username: str,
    full_name: str,
    password: str,
    email: str | None = None,
    locale: str = "vi",
    grants: list[tuple[Role, int, int | None]] = (),
    password_hash: str | None = None,
) -> User:
    """Create a user with roles [(role, unit_id, organization_id)]. `password_hash`, when
    given, is stored instead of hashing `password` (one-time secrets hash more cheaply).

    Raises ValidationFailed (username, password, name) or Conflict (username taken)."""
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed(
            "Tên đăng nhập gồm 3–120 chữ thường không dấu, số, dấu . _ @ -.", field="username"
        )
    if not (full_name or "").strip():
        raise ValidationFailed("Hãy nhập họ và tên.", field="full_name")
    check_password(password, [username, full_name, email])
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"Tên đăng nhập “{username}” đã có người dùng.", field="username")
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email,
        password_hash=password_hash or hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    for role, unit_id, organization_id in grants:
        session.add(
            RoleAssignment(
                user_id=user.id, role=Role(role), unit_id=unit_id, organization_id=organization_id
            )
        )
    session.flush()
    session.refresh(user)
    audit.record(
        session,
        actor,
        action="create",
        object_type="user",
        object_id=user.id,
        changes=audit.diff({}, audit.snapshot(user))
        | {"roles": [None, [[str(Role(r).value), u, o] for r, u, o in grants]]},
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same timing either way)."""
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.is_active:
        return None
    user.last_login_at = utcnow()
    session.flush()
    return user


def create_api_token(
    session: Session,
    user: User,
    name: str,
    *,
    scope: str = "read_write",
    days: int | None = TOKEN_DAYS_DEFAULT,
) -> tuple[ApiToken, str]:
    """Create a personal token; returns the row and the token, which is never shown again.

    Only a signed-in browser session may call this: a token never mints tokens."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ValidationFailed("Hãy đặt tên cho mã truy cập (tối đa 100 ký tự).", field="name")
    if scope not in TOKEN_SCOPES:
        raise ValidationFailed("Hãy chọn quyền của mã: chỉ đọc, hoặc đọc và ghi.", field="scope")
    if days is None or not 1 <= days <= TOKEN_DAYS_MAX:
        raise ValidationFailed(f"Thời hạn của mã từ 1 đến {TOKEN_DAYS_MAX} ngày.", field="days")
    token = new_api_token()
    row = ApiToken(
        user_id=user.id,
        name=name,
        prefix=token[:10],
        token_hash=hash_token(token),
        scope=scope,
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        Actor.of_user(user),
        action="create",
        object_type="api_token",
        object_id=row.id,
        changes={"name": [None, name], "scope": [None, scope], "days": [None, days]},
    )
    return row, token


def revoke_api_token(session: Session, user: User, token_id: int) -> ApiToken:
    row = get_api_token(session, user.id, token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        audit.record(
            session, Actor.of_user(user), action="revoke", object_type="api_token", object_id=row.id
        )
    return row


def user_for_token(session: Session, token: str) -> tuple[User, bool] | None:
    """(active owner, read-only?) of a valid, unexpired, unrevoked token, or None (tokens of
    other tenants don't exist here)."""
    if not token:
        return None
    # One statement for the token, its owner and the owner's roles (with their units): every
    # API request pays this check, and three round trips (token, user, roles) cost more than
    # the list the request is for.
    row = (
        session.execute(
            select(ApiToken)
            .where(ApiToken.token_hash == hash_token(token))
            .options(joinedload(ApiToken.user).joinedload(User.roles))
        )
        .unique()
        .scalar_one_or_none()
    )
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    now = utcnow()
    if row.expires_at is not None and row.expires_at <= now:
        return None
    # Write last use at most once a minute, not on every request.
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        row.last_used_at = now
    return row.user, row.scope != "read_write"
