"""Reads of the people supervised, who supervises them, and one person's overview."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select, tuple_
from sqlalchemy.orm import Session

from giamsat.supervision.models import (
    ManagementLevel,
    PersonTier,
    Place,
    SupervisedPerson,
    SupervisionAssignment,
)
from giamsat.supervision.queries.common import _get, _in_unit, _like, fold

# --- people (đối tượng giám sát) ----------------------------------------------------------


def get_person(session: Session, person_id: int, principal) -> SupervisedPerson:
    return _get(
        session, SupervisedPerson, person_id, principal, "Không tìm thấy người thuộc diện giám sát."
    )


def list_people_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    tier: PersonTier | None = None,
    management_level: ManagementLevel | None = None,
    place: Place | None = None,
    q: str | None = None,
    is_party_member: bool | None = None,
    include_inactive: bool = False,
    after: tuple[str, int] | None = None,
) -> Select:
    """People on the registers the principal sees, by name. `place` keeps people with a
    current assignment at that place; `q` matches name or workplace, with or without accents;
    `after` (a keyset cursor: name_key, id of the last row seen) starts after that row."""
    stmt = _in_unit(
        select(SupervisedPerson), SupervisedPerson.unit_id, session, principal, unit_id, subtree
    )
    if tier is not None:
        stmt = stmt.where(SupervisedPerson.tier == tier)
    if management_level is not None:
        stmt = stmt.where(SupervisedPerson.management_level == management_level)
    if is_party_member is not None:
        stmt = stmt.where(SupervisedPerson.is_party_member.is_(is_party_member))
    if place is not None:
        stmt = stmt.where(
            exists().where(
                SupervisionAssignment.person_id == SupervisedPerson.id,
                SupervisionAssignment.place == place,
                SupervisionAssignment.valid_to.is_(None),
            )
        )
    if q and fold(q):
        pattern = _like(fold(q))
        stmt = stmt.where(
            or_(
                SupervisedPerson.name_key.like(pattern, escape="\\"),
                SupervisedPerson.workplace_key.like(pattern, escape="\\"),
            )
        )
    if not include_inactive:
        stmt = stmt.where(SupervisedPerson.is_active.is_(True))
    if after is not None:
        stmt = stmt.where(tuple_(SupervisedPerson.name_key, SupervisedPerson.id) > after)
    return stmt.order_by(SupervisedPerson.name_key, SupervisedPerson.id)


def list_people(session: Session, principal, **filters) -> list[SupervisedPerson]:
    return list(session.scalars(list_people_query(session, principal, **filters)))


def find_duplicate_person(
    session: Session,
    unit_id: int,
    name_key: str,
    birth_year: int | None,
    workplace_key: str,
    exclude_id: int | None = None,
) -> SupervisedPerson | None:
    """The person with the same natural key on the same register (unscoped: callers already
    hold the unit)."""
    stmt = select(SupervisedPerson).where(
        SupervisedPerson.unit_id == unit_id,
        SupervisedPerson.name_key == name_key,
        SupervisedPerson.birth_year.is_not_distinct_from(birth_year),
        SupervisedPerson.workplace_key == workplace_key,
    )
    if exclude_id is not None:
        stmt = stmt.where(SupervisedPerson.id != exclude_id)
    return session.scalar(stmt.limit(1))


def existing_keys(session: Session, unit_id: int) -> dict[tuple, SupervisedPerson]:
    """Natural keys already on a register, for checking a whole import at once."""
    people = session.scalars(select(SupervisedPerson).where(SupervisedPerson.unit_id == unit_id))
    return {(p.name_key, p.birth_year, p.workplace_key): p for p in people}


# --- assignments (phân công giám sát) --------------------------------------------------------


def get_assignment(session: Session, assignment_id: int, principal) -> SupervisionAssignment:
    return _get(
        session,
        SupervisionAssignment,
        assignment_id,
        principal,
        "Không tìm thấy phân công giám sát.",
    )


def list_assignments_query(
    session: Session,
    principal,
    *,
    person_id: int | None = None,
    unit_id: int | None = None,
    subtree: bool = True,
    organization_id: int | None = None,
    place: Place | None = None,
    current_only: bool = False,
) -> Select:
    """Assignments with their history (newest first within a person)."""
    stmt = _in_unit(
        select(SupervisionAssignment),
        SupervisionAssignment.unit_id,
        session,
        principal,
        unit_id,
        subtree,
    )
    if person_id is not None:
        get_person(session, person_id, principal)
        stmt = stmt.where(SupervisionAssignment.person_id == person_id)
    if organization_id is not None:
        stmt = stmt.where(SupervisionAssignment.organization_id == organization_id)
    if place is not None:
        stmt = stmt.where(SupervisionAssignment.place == place)
    if current_only:
        stmt = stmt.where(SupervisionAssignment.valid_to.is_(None))
    return stmt.order_by(
        SupervisionAssignment.person_id,
        SupervisionAssignment.valid_from.desc(),
        SupervisionAssignment.id.desc(),
    )


def list_assignments(session: Session, principal, **filters) -> list[SupervisionAssignment]:
    return list(session.scalars(list_assignments_query(session, principal, **filters)))
