"""Browser sessions on record: each sign-in gets a row, listed to its user and revocable.

The signed cookie carries a random session key next to the user id; the row holds only its
hash. `check_request` runs before every page: a cookie whose row is missing or revoked is
signed out there and then, so a revocation takes effect at the very next request.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import g, request
from flask import session as cookie
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from giamsat.accounts.models import SignInSession, User
from giamsat.core import audit, clock
from giamsat.core.errors import NotFound
from giamsat.core.passwords import hash_token
from giamsat.http.session import EPOCH_KEY, SEEN_KEY, TENANT_KEY, USER_KEY, current_user
from giamsat.identity import Actor

#: Cookie key of the session's random key.
SID_KEY = "sid"
#: Rewrite "last seen" at most this often.
_TOUCH_EVERY = dt.timedelta(minutes=1)


def client_address() -> str:
    # Behind a proxy the deployer installs ProxyFix (see cases/public/ratelimit.py).
    return (request.remote_addr or "")[:64]


def start(session: Session, user: User) -> SignInSession:
    """Record the session `http.session.login_user` has just opened, and mark its cookie."""
    key = secrets.token_urlsafe(32)
    now = clock.now()
    row = SignInSession(
        user_id=user.id,
        key_hash=hash_token(key),
        address=client_address(),
        user_agent=(request.user_agent.string or "")[:300],
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    cookie[SID_KEY] = key
    return row


def current_key_hash() -> str | None:
    key = cookie.get(SID_KEY)
    return hash_token(key) if key else None


def _sign_out_cookie() -> None:
    for key in (USER_KEY, TENANT_KEY, SEEN_KEY, EPOCH_KEY, SID_KEY):
        cookie.pop(key, None)
    g.user = None
    g.pop("principal", None)


def check_request() -> None:
    """Before each page: a signed-in cookie must name a live session of its user."""
    if request.path.startswith("/api/") or g.get("tenant") is None:
        return
    user = current_user()
    if user is None:
        return
    key_hash = current_key_hash()
    row = None
    if key_hash is not None:
        row = g.tenant.session.scalar(
            select(SignInSession).where(SignInSession.key_hash == key_hash)
        )
    if row is None or row.revoked_at is not None or row.user_id != user.id:
        _sign_out_cookie()
        return
    now = clock.now()
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
    g.signin_session = row


def active_sessions(session: Session, user_id: int) -> list[SignInSession]:
    stmt = select(SignInSession).where(
        SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None)
    )
    return list(session.scalars(stmt.order_by(SignInSession.last_seen_at.desc())))


def revoke(session: Session, user: User, session_id: int) -> SignInSession:
    """End one of the user's own sessions (another user's id answers like a missing one)."""
    row = session.scalar(
        select(SignInSession).where(
            SignInSession.id == session_id, SignInSession.user_id == user.id
        )
    )
    if row is None:
        raise NotFound("Không tìm thấy phiên đăng nhập này.")
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        session.flush()
        audit.record(
            session,
            Actor.of_user(user),
            action="revoke",
            object_type="signin_session",
            object_id=row.id,
        )
    return row


def revoke_all(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """End every live session of a user except the one whose key hash is `keep`; how many."""
    stmt = (
        update(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    if keep is not None:
        stmt = stmt.where(SignInSession.key_hash != keep)
    return session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]


def end_current(session: Session) -> None:
    """At logout: the current session's row is revoked too."""
    key_hash = current_key_hash()
    if key_hash is not None:
        session.execute(
            update(SignInSession)
            .where(SignInSession.key_hash == key_hash, SignInSession.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )
