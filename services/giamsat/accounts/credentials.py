"""Changing credentials: a user's own password, and what an admin may do to another's
(a one-time temporary password, a second-factor reset, an unlock, ending every session).

An admin manages a user when every role of that user sits inside the admin's subtree (a
tenant admin manages everyone); anyone else's id answers like a missing user. Flush only.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from giamsat.accounts import sessions, totp
from giamsat.accounts.models import User
from giamsat.accounts.passwords_policy import check_password
from giamsat.accounts.people.credentials import set_temporary_password
from giamsat.accounts.people.scope import manages_user
from giamsat.core import audit
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.core.passwords import hash_password, verify_password
from giamsat.identity import Actor


def personal_words(user: User) -> list[str | None]:
    return [user.username, user.full_name, user.email]


def change_password(
    session: Session, user: User, current: str, new: str, confirm: str, *, keep: str | None
) -> None:
    """The user's own change: the current password, the policy, the two copies agree.

    Every other session of the user ends (`keep` is this session's key hash). Raises
    ValidationFailed (fields `current_password`, `new_password`, `confirm_password`)."""
    if not verify_password(user.password_hash, current or ""):
        raise ValidationFailed("Mật khẩu hiện tại không đúng.", field="current_password")
    check_password(new, personal_words(user), field="new_password")
    if verify_password(user.password_hash, new):
        raise ValidationFailed("Mật khẩu mới phải khác mật khẩu hiện tại.", field="new_password")
    if new != confirm:
        raise ValidationFailed(
            "Hai lần nhập mật khẩu mới không giống nhau.", field="confirm_password"
        )
    user.password_hash = hash_password(new)
    user.must_change_password = False
    ended = sessions.revoke_all(session, user.id, keep=keep)
    session.flush()
    audit.record(
        session,
        Actor.of_user(user),
        action="change_password",
        object_type="user",
        object_id=user.id,
        changes={"other_sessions_ended": [None, ended]},
    )


def managed_user(session: Session, principal, user_id: int) -> User:
    """A user the principal may manage; NotFound otherwise (no one learns who exists)."""
    user = session.get(User, user_id)
    if user is None or user.id == principal.user_id or not can_manage(principal, user):
        raise NotFound("Không tìm thấy người dùng.")
    return user


def can_manage(principal, user: User) -> bool:
    # One rule for the people pages and the credential pages.
    return manages_user(principal, user)


def reset_password(session: Session, principal, user: User) -> str:
    """Give `user` a temporary password (returned, to be shown once); the next sign-in must
    choose a new one. Every session of the user ends."""
    password = set_temporary_password(user)  # the same kind of password onboarding gives
    user.session_epoch += 1
    sessions.revoke_all(session, user.id)
    session.flush()
    audit.record(session, principal, action="reset_password", object_type="user", object_id=user.id)
    return password


def reset_second_factor(session: Session, principal, user: User) -> None:
    """Forget the user's authenticator app and recovery codes (a lost phone)."""
    totp.remove(session, user)
    user.session_epoch += 1
    sessions.revoke_all(session, user.id)
    session.flush()
    audit.record(
        session, principal, action="reset_second_factor", object_type="user", object_id=user.id
    )


def end_sessions(session: Session, principal, user: User) -> int:
    user.session_epoch += 1
    ended = sessions.revoke_all(session, user.id)
    session.flush()
    audit.record(
        session,
        principal,
        action="end_sessions",
        object_type="user",
        object_id=user.id,
        changes={"sessions": [None, ended]},
    )
    return ended
