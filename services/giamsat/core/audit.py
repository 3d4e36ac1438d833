"""Append-only audit log kept in each tenant schema."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import DateTime, Integer, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from giamsat.core.acting import current_acting, current_request_id
from giamsat.core.db import TenantBase, utcnow


class AuditEntry(TenantBase):
    """One write: who, when, what, and the before/after of its non-secret fields.

    There is no update or delete path in the code; a trigger refuses both in the database.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: The acting user's id, None for the system (manifest apply, jobs).
    actor_id: Mapped[int | None] = mapped_column(Integer)
    #: Readable actor: username, "system", "cli".
    actor_label: Mapped[str] = mapped_column(String(120))
    #: "create", "update", "retire", "login"...
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(60), index=True)
    object_id: Mapped[str] = mapped_column(String(60))
    #: {"field": [before, after]} for non-secret fields only.
    changes: Mapped[dict] = mapped_column(JSONB, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))


#: Column names never written to the audit log, whatever the model.
SECRET_FIELDS = frozenset({"password_hash", "token_hash", "totp_secret"})


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(obj: Any, secret: frozenset[str] = SECRET_FIELDS) -> dict[str, Any]:
    """The current column values of an ORM object, secrets left out."""
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in sa_inspect(obj).mapper.column_attrs
        if attr.key not in secret
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    skip = {"created_at", "updated_at"}
    keys = (before.keys() | after.keys()) - skip
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    session: Session,
    actor: Any = None,
    *,
    action: str,
    object_type: str,
    object_id: Any,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEntry:
    """Append one entry. The actor is `actor` (anything with `user_id` and `actor_label`: a
    Principal, SystemActor, identity.Actor), else the one in force (`core.acting`); the
    request id always comes from there — nobody passes it by hand."""
    acting = current_acting()
    if actor is not None:
        actor_id, actor_label = getattr(actor, "user_id", None), actor.actor_label
    else:
        actor_id, actor_label = acting.actor_id, acting.actor_label
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=changes or {},
        request_id=current_request_id(),
    )
    session.add(entry)
    return entry
