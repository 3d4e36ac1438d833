"""The API token check every request pays, as one Core statement: no ORM objects built.

`operations.user_for_token` answers the same question with the owner's ORM object; a request
needs only the principal (who, with which grants) and whether the token may write, so the
token, the owner and the owner's roles with their units' paths are read as plain rows. The
owner's object is loaded only when a view asks for it (`http.api.current_user`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from giamsat.accounts.models import ApiToken, RoleAssignment, User
from giamsat.core.db import utcnow
from giamsat.core.passwords import hash_token
from giamsat.identity import Grant, Principal
from giamsat.units.models import Unit

#: Last use is written at most this often, not on every request.
LAST_USE_EVERY = dt.timedelta(minutes=1)

_CHECK = (
    select(
        ApiToken.id,
        ApiToken.revoked_at,
        ApiToken.expires_at,
        ApiToken.last_used_at,
        ApiToken.scope,
        User.id.label("user_id"),
        User.username,
        User.full_name,
        User.locale,
        User.is_active,
        RoleAssignment.role,
        RoleAssignment.unit_id,
        RoleAssignment.organization_id,
        Unit.path,
    )
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
    .outerjoin(Unit, Unit.id == RoleAssignment.unit_id)
    .order_by(RoleAssignment.id)
)


def principal_for_token(session: Session, token: str) -> tuple[Principal, bool] | None:
    """(principal of the active owner, read-only?) of a valid, unexpired, unrevoked token, or
    None (tokens of other tenants don't exist here). Same answer as `user_for_token` followed
    by `Principal.of`, in one statement."""
    if not token:
        return None
    rows = session.execute(_CHECK.where(ApiToken.token_hash == hash_token(token))).all()
    if not rows:
        return None
    first = rows[0]
    now = utcnow()
    if first.revoked_at is not None or not first.is_active:
        return None
    if first.expires_at is not None and first.expires_at <= now:
        return None
    if first.last_used_at is None or now - first.last_used_at > LAST_USE_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == first.id).values(last_used_at=now))
    grants = tuple(
        Grant(r.role, r.unit_id, r.path, r.organization_id) for r in rows if r.role is not None
    )
    principal = Principal(first.user_id, first.username, first.full_name, first.locale, grants)
    return principal, first.scope != "read_write"
