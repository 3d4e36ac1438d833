"""What the letters operations share: who may act on boxes and letters, and the audit entry
and event every write leaves."""

from __future__ import annotations

from giamsat.core import audit, events
from giamsat.core.errors import Forbidden
from giamsat.identity import Role
from giamsat.letters.events import LetterRecordChanged
from giamsat.letters.models import BoxOpening, Letter, SuggestionBox
from giamsat.units.models import Unit

#: Who may keep the box register (hòm thư) of an area.
BOX_KEEPERS = frozenset({Role.staff, Role.unit_admin, Role.tenant_admin})
#: Who may record openings and upload letters (they become cases): the case handlers.
LETTER_HANDLERS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})

_OBJECT_TYPES = {SuggestionBox: "suggestion_box", BoxOpening: "box_opening", Letter: "letter"}


def require_role(principal, unit: Unit, roles, message: str) -> None:
    if not principal.has_role_over(unit.path, roles):
        raise Forbidden(message)


def record_change(session, principal, action: str, obj, before: dict, extra=None) -> None:
    """The audit entry of a write (the request id comes from the acting context) and the
    event the other domains react to."""
    changes = audit.diff(before, audit.snapshot(obj)) | (extra or {})
    audit.record(
        session,
        principal,
        action=action,
        object_type=_OBJECT_TYPES[type(obj)],
        object_id=obj.id,
        changes=changes,
    )
    events.emit(session, LetterRecordChanged(obj=obj, before=before, action=action))
