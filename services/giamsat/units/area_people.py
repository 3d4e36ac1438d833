"""Names of a residential area's people that a higher domain keeps, for another to offer as
choices without importing it (supervision keeps the respected people and core members;
letters offers them as a box's key keeper and the witnesses of an opening)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from giamsat.core.domain import Hook, implementations

#: `(session, area_id, role) -> [names]`; roles: KEY_KEEPER, BOX_WITNESS.
AREA_PEOPLE: Hook[Callable[[Session, int, str], list[str]]] = Hook("area_people")

KEY_KEEPER = "key_keeper"
BOX_WITNESS = "box_witness"


def area_people(session: Session, area_id: int, role: str) -> list[str]:
    """The names the installed domains offer for `role` in the area, once each, in order."""
    names: list[str] = []
    for offer in implementations(AREA_PEOPLE):
        names += [n for n in offer(session, area_id, role) if n not in names]
    return names
