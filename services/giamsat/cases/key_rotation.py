"""Rotating the keys that protect reporter identities: a new data key for a tenant (every
identity re-encrypted in batches), and re-wrapping data keys under the current master key."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from giamsat.cases.models import (
    DataKey,
    ReporterIdentity,
)
from giamsat.cases.protection import (
    _aad,
    _lock_data_keys,
    _new_data_key,
    _unwrap,
    current_keyring,
)
from giamsat.core import audit, crypto
from giamsat.core.db import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationReport:
    data_key_id: int
    retired_key_ids: tuple[int, ...]
    reencrypted: int


def rotate_data_key(
    session: Session, *, batch_size: int = 200, after_batch: Callable[[int], None] | None = None
) -> RotationReport:
    """Make a new active data key, retire the old ones and re-encrypt every identity to the new
    key, `batch_size` rows at a time (`after_batch(done)` may commit between batches: each row
    names its own key, so a half-finished rotation is consistent and can simply be run again)."""
    keyring = current_keyring()
    _lock_data_keys(session)
    old = list(session.scalars(select(DataKey).where(DataKey.is_active.is_(True))))
    for row in old:
        row.is_active, row.retired_at = False, utcnow()
    session.flush()
    new_row, new_key = _new_data_key(session, keyring)
    new_id = new_row.id
    audit.record(
        session,
        action="rotate_data_key",
        object_type="data_key",
        object_id=new_id,
        changes={"retired": [None, [r.id for r in old]]},
    )
    old_keys: dict[int, bytes] = {}
    done, last_id = 0, 0
    while True:
        rows = session.execute(
            select(
                ReporterIdentity.id,
                ReporterIdentity.case_id,
                ReporterIdentity.data_key_id,
                ReporterIdentity.ciphertext,
            )
            .where(ReporterIdentity.data_key_id != new_id, ReporterIdentity.id > last_id)
            .order_by(ReporterIdentity.id)
            .limit(batch_size)
        ).all()
        if not rows:
            break
        changes = []
        for row_id, case_id, key_id, blob in rows:
            if key_id not in old_keys:
                old_keys[key_id] = _unwrap(keyring, session.get(DataKey, key_id))
            try:
                plaintext = crypto.decrypt(old_keys[key_id], blob, _aad(case_id))
            except crypto.DecryptionError:
                log.error("reporter identity %s does not decrypt; rotation stopped", row_id)
                raise
            changes.append(
                {
                    "id": row_id,
                    "data_key_id": new_id,
                    "ciphertext": crypto.encrypt(new_key, plaintext, _aad(case_id)),
                }
            )
        session.execute(update(ReporterIdentity), changes)
        done, last_id = done + len(rows), rows[-1][0]
        if after_batch is not None:
            after_batch(done)
    return RotationReport(new_id, tuple(r.id for r in old), done)


def rewrap_data_keys(
    session: Session, settings=None, *, keyring: crypto.MasterKeyring | None = None
) -> list[int]:
    """Re-wrap every data key of the tenant with the current master key (after a master-key
    rotation); afterwards the old master key can be removed. Returns the re-wrapped key ids."""
    if keyring is None:
        keyring = (
            crypto.keyring_from_settings(settings) if settings is not None else current_keyring()
        )
    current = keyring.current
    _lock_data_keys(session)
    rows = list(
        session.scalars(
            select(DataKey).where(DataKey.master_key_id != current.key_id).order_by(DataKey.id)
        )
    )
    before = sorted({r.master_key_id for r in rows})
    for row in rows:
        raw = crypto.unwrap(keyring.get(row.master_key_id), row.wrapped_key)
        row.wrapped_key, row.master_key_id = crypto.wrap(current, raw), current.key_id
    session.flush()
    if rows:
        audit.record(
            session,
            action="rewrap_data_keys",
            object_type="data_key",
            object_id=",".join(str(r.id) for r in rows)[:60],
            changes={"master_key_id": [before, current.key_id]},
        )
    return [r.id for r in rows]
