"""The respected people and core members of an area offered by role (units.AREA_PEOPLE): the
letters' box keeper and witnesses are picked from them. Names only: never the contact."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.supervision.channels.models import RespectedPerson


def names_for(session: Session, area_id: int, role: str) -> list[str]:
    P = RespectedPerson
    return list(
        session.scalars(
            select(P.full_name)
            .where(P.area_id == area_id, P.is_active.is_(True), P.roles.contains([role]))
            .order_by(P.name_key, P.id)
        )
    )
