"""Reporter protection (Directive 27-CT/TW, Regulation 231-QĐ/TW): identities encrypted at rest
with a per-tenant data key, masked everywhere, revealed only to a leader with a stated reason."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from giamsat.cases.models import (
    Case,
    CaseEvent,
    DataKey,
    ReporterIdentity,
    ReporterMode,
)
from giamsat.core import audit, crypto
from giamsat.core.errors import Forbidden, NotFound, Unavailable, ValidationFailed
from giamsat.identity import Role

log = logging.getLogger(__name__)

IDENTITY_FIELDS = ("name", "contact", "address")
#: Longest value kept per field (characters, after whitespace is normalised).
FIELD_LIMITS = {"name": 200, "contact": 200, "address": 500}
MIN_REASON_CHARS = 10
#: Who may see a reporter's identity: a Lãnh đạo of the case's unit or of an ancestor unit.
REVEAL_ROLES = frozenset({Role.leader})

#: What every list, page, export and notification shows instead of the reporter.
MASKS = {
    ReporterMode.anonymous: "Nặc danh",
    ReporterMode.confidential: "Đã ẩn danh tính (bảo mật)",
    ReporterMode.open: "Đã ẩn danh tính",
}
#: The same texts for pages and API responses, in the request's language.
_TRANSLATED_MASKS = {
    ReporterMode.anonymous: _l("Nặc danh"),
    ReporterMode.confidential: _l("Đã ẩn danh tính (bảo mật)"),
    ReporterMode.open: _l("Đã ẩn danh tính"),
}

UNAVAILABLE_MESSAGE = (
    "Máy chủ chưa sẵn sàng bảo vệ danh tính người phản ánh (thiếu khóa mã hóa), "
    "nên chưa lưu hay hiển thị gì. Hãy báo quản trị hệ thống."
)


# -- master keys -------------------------------------------------------------------------------

_override: ContextVar[crypto.MasterKeyring | None] = ContextVar("giamsat_master_keys", default=None)


@contextmanager
def using_master_keys(keys: str | crypto.MasterKeyring) -> Iterator[crypto.MasterKeyring]:
    """Use these master keys instead of the configured ones (CLI runs and tests)."""
    keyring = crypto.parse_master_keys(keys) if isinstance(keys, str) else keys
    token = _override.set(keyring)
    try:
        yield keyring
    finally:
        _override.reset(token)


def _current_settings():
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get("GIAMSAT") is not None:
        return current_app.config["GIAMSAT"]
    from giamsat.jobs.runtime import current_runtime

    runtime = current_runtime(build=False)
    if runtime is not None:
        return runtime.settings
    from giamsat.core.config import Settings

    return Settings.from_env()


def current_keyring() -> crypto.MasterKeyring:
    """The master keys in force; Unavailable (nothing stored or shown) when none is usable."""
    keyring = _override.get()
    if keyring is not None:
        return keyring
    try:
        return crypto.keyring_from_settings(_current_settings())
    except crypto.MasterKeyError as exc:
        log.error("reporter protection unavailable: %s", exc)
        raise Unavailable(UNAVAILABLE_MESSAGE) from None


# -- data keys ---------------------------------------------------------------------------------


def _lock_data_keys(session: Session) -> None:
    """Serialise creating/rotating a tenant's data keys (one active key, never two)."""
    options = session.connection().get_execution_options()
    schema = (options.get("schema_translate_map") or {}).get(None) or "public"
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"giamsat:data_keys:{schema}"}
    )


def _new_data_key(session: Session, keyring: crypto.MasterKeyring) -> tuple[DataKey, bytes]:
    raw = crypto.new_data_key()
    row = DataKey(
        master_key_id=keyring.current.key_id,
        wrapped_key=crypto.wrap(keyring.current, raw),
        is_active=True,
    )
    session.add(row)
    session.flush()
    return row, raw


def _active_data_key(session: Session, keyring: crypto.MasterKeyring) -> tuple[DataKey, bytes]:
    """The tenant's active data key (unwrapped), created on first use."""
    stmt = select(DataKey).where(DataKey.is_active.is_(True)).order_by(DataKey.id.desc()).limit(1)
    row = session.scalar(stmt)
    if row is None:
        _lock_data_keys(session)
        row = session.scalar(stmt)
        if row is None:
            return _new_data_key(session, keyring)
    return row, _unwrap(keyring, row)


def _unwrap(keyring: crypto.MasterKeyring, row: DataKey) -> bytes:
    try:
        return crypto.unwrap(keyring.get(row.master_key_id), row.wrapped_key)
    except crypto.CryptoError as exc:
        log.error("data key %s cannot be unwrapped: %s", row.id, exc)
        raise Unavailable(UNAVAILABLE_MESSAGE) from None


def _aad(case_id: int) -> bytes:
    return f"case:{case_id}".encode("ascii")


# -- storing -----------------------------------------------------------------------------------


def _mode(case: Case) -> ReporterMode:
    return ReporterMode(case.reporter_mode or ReporterMode.anonymous)


def _clean_identity(identity: dict | None) -> dict[str, str]:
    identity = identity or {}
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationFailed(
            "Danh tính người phản ánh chỉ gồm họ tên, cách liên hệ và địa chỉ.", field="reporter"
        )
    cleaned = {}
    for key in IDENTITY_FIELDS:
        value = " ".join(str(identity.get(key) or "").split())
        if len(value) > FIELD_LIMITS[key]:
            raise ValidationFailed(
                f"Thông tin người phản ánh dài quá {FIELD_LIMITS[key]} ký tự.",
                field=f"reporter.{key}",
            )
        cleaned[key] = value
    return cleaned


def store_identity(session: Session, case: Case, identity: dict | None, *, actor=None) -> None:
    """Encrypt the reporter's name, contact and address into their own row, apart from the case.

    Anonymous cases keep nothing (an identity given with them is refused); confidential and
    open ones need at least a name or a contact. Storing again replaces the identity. Flushes.
    """
    mode, cleaned = _mode(case), _clean_identity(identity)
    if mode == ReporterMode.anonymous:
        if any(cleaned.values()):
            raise ValidationFailed(
                "Phản ánh nặc danh không được ghi danh tính người gửi. Hãy chọn "
                "“bảo mật” hoặc “công khai”, hoặc bỏ trống danh tính.",
                field="reporter_mode",
            )
        return
    if not (cleaned["name"] or cleaned["contact"]):
        raise ValidationFailed(
            "Hãy ghi ít nhất họ tên hoặc cách liên hệ của người phản ánh.", field="reporter"
        )
    keyring = current_keyring()
    if case.id is None:
        session.flush()
    key_row, key = _active_data_key(session, keyring)
    payload = json.dumps(cleaned, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ciphertext = crypto.encrypt(key, payload, _aad(case.id))
    row = session.scalar(select(ReporterIdentity).where(ReporterIdentity.case_id == case.id))
    action = "update_identity" if row is not None else "store_identity"
    if row is None:
        row = ReporterIdentity(case_id=case.id)
        session.add(row)
    row.data_key_id, row.ciphertext = key_row.id, ciphertext
    session.flush()
    # Which fields were given, never their values.
    audit.record(
        session,
        actor,
        action=action,
        object_type="case",
        object_id=case.id,
        changes={
            "identity_fields": [None, [k for k in IDENTITY_FIELDS if cleaned[k]]],
            "reporter_mode": [None, mode.value],
        },
    )


def has_identity(session: Session, case_id: int) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(ReporterIdentity)
            .where(ReporterIdentity.case_id == case_id)
        )
        > 0
    )


def masked_reporter(case: Case) -> str:
    """The reporter as every list, page, export and notification shows them."""
    mode = _mode(case)
    return str(_TRANSLATED_MASKS[mode]) if has_request_context() else MASKS[mode]


#: `masks_now` per language: fixed texts of a fixed catalog, nothing of any case or user.
_MASKS_BY_LOCALE: dict[str, dict[str, str]] = {}


def masks_now() -> dict[str, str]:
    """`masked_reporter` of each stored mode in the request's language: what a list dumping
    plain rows shows per row (a row without a mode is anonymous, as in `_mode`)."""
    if not has_request_context():
        return {mode.value: text for mode, text in MASKS.items()}
    locale = str(get_locale())
    texts = _MASKS_BY_LOCALE.get(locale)
    if texts is None:
        texts = {mode.value: str(text) for mode, text in _TRANSLATED_MASKS.items()}
        _MASKS_BY_LOCALE[locale] = texts
    return texts


# -- revealing ---------------------------------------------------------------------------------


def can_reveal(principal, case: Case) -> bool:
    """Only a Lãnh đạo of the case's unit (or of an ancestor unit) may reveal an identity."""
    has_role_over = getattr(principal, "has_role_over", None)
    return bool(has_role_over and has_role_over(case.unit.path, REVEAL_ROLES))


def _decrypt_identity(
    session: Session, keyring: crypto.MasterKeyring, row: ReporterIdentity
) -> dict[str, str]:
    key = _unwrap(keyring, session.get(DataKey, row.data_key_id))
    try:
        payload = crypto.decrypt(key, row.ciphertext, _aad(row.case_id))
    except crypto.DecryptionError:
        log.error("reporter identity %s does not decrypt (altered or moved)", row.id)
        raise Unavailable(
            "Không đọc được danh tính người phản ánh: dữ liệu đã bị thay đổi. "
            "Hãy báo quản trị hệ thống."
        ) from None
    data = json.loads(payload.decode("utf-8"))
    return {k: data.get(k, "") for k in IDENTITY_FIELDS}


def reveal_identity(session: Session, principal, case: Case, *, reason: str) -> dict[str, str]:
    """The reporter's {name, contact, address}, for a leader over the case's unit who states why.

    Raises NotFound (case outside the caller's scope, or no identity kept), Forbidden (not a
    leader there), ValidationFailed (reason shorter than 10 characters). Audited: the reason
    and who, never the identity. Flushes.
    """
    sees_path = getattr(principal, "sees_path", None)
    if not (sees_path and sees_path(case.unit.path)):
        raise NotFound("Không tìm thấy hồ sơ.")
    if not can_reveal(principal, case):
        raise Forbidden(
            "Chỉ Lãnh đạo của đơn vị (hoặc cấp trên) được xem danh tính người phản ánh."
        )
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationFailed(
            f"Hãy ghi rõ lý do xem danh tính (ít nhất {MIN_REASON_CHARS} ký tự).", field="reason"
        )
    row = session.scalar(select(ReporterIdentity).where(ReporterIdentity.case_id == case.id))
    if row is None:
        raise NotFound(
            "Hồ sơ này không lưu danh tính người phản ánh (nặc danh hoặc chuyển từ đơn vị khác)."
        )
    identity = _decrypt_identity(session, current_keyring(), row)
    audit.record(
        session,
        principal,
        action="reveal_identity",
        object_type="case",
        object_id=case.id,
        changes={"reason": [None, reason]},
    )
    # Also in the case's own history: colleagues see that (and why) it was revealed, not to whom.
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=principal.user_id,
            actor_label=principal.actor_label,
            action="reveal_identity",
            reason=reason,
            details={},
        )
    )
    session.flush()
    log.info(
        "reporter identity revealed", extra={"case_id": case.id, "actor": principal.actor_label}
    )
    return identity
