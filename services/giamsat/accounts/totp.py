"""The second factor: TOTP codes from an authenticator app (RFC 6238), and recovery codes.

The secret is stored encrypted under the master key (AES-GCM, bound to the user's id).
Enrolment: a fresh secret is offered as an inline SVG QR code (no script, no image request)
and as text; it is kept only once the person proves it with a first code. Ten recovery codes
are then shown once and stored argon2-hashed; each stands in for the app one time.
Which roles must have a second factor is the tenant rule `second_factor_roles`.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from giamsat.accounts.models import RecoveryCode, User
from giamsat.accounts.rules import DEFAULT_SECOND_FACTOR_ROLES, SECOND_FACTOR_RULE
from giamsat.core import audit, clock, crypto
from giamsat.core.errors import Unavailable, ValidationFailed
from giamsat.core.passwords import hash_password, verify_password
from giamsat.identity import Actor
from giamsat.units.queries import get_rule

ISSUER = "Giám sát MTTQ"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất trên ứng dụng."


def new_secret() -> str:
    return pyotp.random_base32()


def _keyring() -> crypto.MasterKeyring:
    from flask import current_app

    try:
        return crypto.keyring_from_settings(current_app.config["GIAMSAT"])
    except crypto.MasterKeyError as error:
        raise Unavailable(
            "Chưa bật được đăng nhập hai lớp: máy chủ chưa có khoá mã hoá."
        ) from error


def _aad(user: User) -> bytes:
    return f"totp:{user.id}".encode()


def _seal(user: User, secret: str) -> str:
    """The secret encrypted under the current master key (a database copy reveals nothing)."""
    master = _keyring().current
    blob = crypto.encrypt(master.key, secret.encode(), _aad(user))
    return f"{master.key_id}:{base64.b64encode(blob).decode()}"


def secret_of(user: User) -> str | None:
    if user.totp_secret is None:
        return None
    key_id, _, blob = user.totp_secret.partition(":")
    master = _keyring().get(key_id)
    return crypto.decrypt(master.key, base64.b64decode(blob), _aad(user)).decode()


def provisioning_uri(secret: str, user: User, tenant_name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=f"{user.username} ({tenant_name})", issuer_name=ISSUER
    )


def qr_svg(uri: str) -> Markup:
    code = segno.make(uri, error="m", micro=False)
    return Markup(code.svg_inline(scale=5, border=4, title="QR", dark="#000", light="#fff"))


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code is `code` (this one, or one either side for clock drift)."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = clock.now()
    step = totp.timecode(now)
    for drift in (0, -1, 1):
        if secrets.compare_digest(totp.generate_otp(step + drift), code):
            return step + drift
    return None


def roles_requiring(session: Session) -> frozenset[str]:
    value = get_rule(session, SECOND_FACTOR_RULE, DEFAULT_SECOND_FACTOR_ROLES)
    return frozenset(value if isinstance(value, list) else DEFAULT_SECOND_FACTOR_ROLES)


def is_required(session: Session, user: User) -> bool:
    """Whether one of the user's roles must sign in with a second factor (tenant rule)."""
    required = roles_requiring(session)
    return any(str(grant.role.value) in required for grant in user.roles)


def is_enrolled(user: User) -> bool:
    return user.totp_secret is not None


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(code)))
    return codes


def enrol(session: Session, user: User, secret: str, code: str) -> list[str]:
    """Keep `secret` once `code` proves the app has it; returns the recovery codes (shown once).

    Raises ValidationFailed (field `code`)."""
    step = _matching_step(secret, code)
    if step is None:
        raise ValidationFailed(WRONG_CODE, field="code")
    user.totp_secret = _seal(user, secret)
    user.totp_last_step = step
    codes = _new_recovery_codes(session, user)
    session.flush()
    audit.record(
        session,
        Actor.of_user(user),
        action="enrol_second_factor",
        object_type="user",
        object_id=user.id,
    )
    return codes


def verify(session: Session, user: User, code: str) -> bool:
    """A current app code (each good once) or an unused recovery code (then used up)."""
    secret = secret_of(user)
    if secret is None:
        return False
    step = _matching_step(secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replayed
        user.totp_last_step = step
        session.flush()
        return True
    return _use_recovery_code(session, user, code)


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    typed = "".join((code or "").split()).lower()
    if len(typed) != 11:
        return False
    unused: Iterable[RecoveryCode] = session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for row in unused:
        if verify_password(row.code_hash, typed):
            row.used_at = clock.now()
            session.flush()
            audit.record(
                session,
                Actor.of_user(user),
                action="use_recovery_code",
                object_type="user",
                object_id=user.id,
            )
            return True
    return False


def remaining_recovery_codes(session: Session, user: User) -> int:
    rows = session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(list(rows))


def remove(session: Session, user: User) -> None:
    """Forget the second factor (an admin's reset): the next sign-in enrols again."""
    user.totp_secret = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
