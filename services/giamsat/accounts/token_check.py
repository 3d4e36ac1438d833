"""The API token check every request pays, as one Core statement: no ORM objects built.

`operations.user_for_token` answers the same question with the owner's ORM object; a request
needs only the principal (who, with which grants) and whether the token may write, so the
token, the owner and the owner's roles with their units' paths are read as plain rows. The
owner's object is loaded only when a view asks for it (`http.api.current_user`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from giamsat.accounts.models import ApiToken, RoleAssignment, User
from giamsat.core.db import utcnow
from giamsat.core.passwords import hash_token
from giamsat.identity import Grant, Principal
from giamsat.units.models import Unit

#: Last use is written at most this often, not on every request.
LAST_USE_EVERY = dt.timedelta(minutes=1)

_tokens, _users = ApiToken.__table__, User.__table__
_roles, _units = RoleAssignment.__table__, Unit.__table__
#: Built once with the hash as a parameter, of Core columns (the same types as the models'):
#: no statement, cache key or ORM compile state to make per request.
_CHECK = (
    select(
        _tokens.c.id,
        _tokens.c.revoked_at,
        _tokens.c.expires_at,
        _tokens.c.last_used_at,
        _tokens.c.scope,
        _users.c.id.label("user_id"),
        _users.c.username,
        _users.c.full_name,
        _users.c.locale,
        _users.c.is_active,
        _roles.c.role,
        _roles.c.unit_id,
        _roles.c.organization_id,
        _units.c.path,
    )
    .select_from(
        _tokens.join(_users, _users.c.id == _tokens.c.user_id)
        .outerjoin(_roles, _roles.c.user_id == _users.c.id)
        .outerjoin(_units, _units.c.id == _roles.c.unit_id)
    )
    .where(_tokens.c.token_hash == bindparam("token_hash"))
    .order_by(_roles.c.id)
)


def principal_for_token(session: Session, token: str) -> tuple[Principal, bool] | None:
    """(principal of the active owner, read-only?) of a valid, unexpired, unrevoked token, or
    None (tokens of other tenants don't exist here). Same answer as `user_for_token` followed
    by `Principal.of`, in one statement."""
    if not token:
        return None
    rows = session.execute(_CHECK, {"token_hash": hash_token(token)}).all()
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
