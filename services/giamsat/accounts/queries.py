"""Reads of accounts: users and their API tokens."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from giamsat.accounts.models import ApiToken, User
from giamsat.core.errors import NotFound


def api_tokens_query(user_id: int, *, include_revoked: bool = True) -> Select:
    """A user's tokens: current ones first, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return stmt.order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
    )


def get_api_token(session: Session, user_id: int, token_id: int) -> ApiToken:
    """One of the user's own tokens; anybody else's id answers like a missing one."""
    row = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    )
    if row is None:
        raise NotFound("Không tìm thấy mã truy cập.")
    return row


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)
