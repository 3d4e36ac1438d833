"""Linking a case to the people of the register it concerns: always a staff member's act.

Confirming a proposed match, picking a person found by hand, adding a new person from the
case's text, or taking a link away. Each checks the case (404 outside the viewer's units), the
case's handler role (403 for readers), the person (404 outside the viewer's units), writes the
case's history row — so the reports recount the case — and an audit entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from giamsat.cases.operations.common import record_event, require_handler
from giamsat.cases.queries import get_case
from giamsat.core import audit
from giamsat.core.errors import Conflict, NotFound, ValidationFailed
from giamsat.supervision import queries
from giamsat.supervision.models import CasePerson, SupervisedPerson
from giamsat.supervision.operations.people import create_person

#: How a link was made (kept on the link, for the record).
LINK_WAYS = ("proposal", "search", "new_person")


def _described(person: SupervisedPerson) -> str:
    return f"{person.full_name} ({person.position})" if person.position else person.full_name


def _link(session: Session, principal, case, person: SupervisedPerson, how: str) -> CasePerson:
    if session.get(CasePerson, (case.id, person.id)) is not None:
        raise Conflict(f"“{person.full_name}” đã được gắn với hồ sơ này.", field="person_id")
    link = CasePerson(
        case_id=case.id,
        person_id=person.id,
        confirmed_by_id=principal.user_id,
        confirmed_by_label=principal.actor_label,
        how=how,
    )
    session.add(link)
    session.flush()
    record_event(session, case, principal, "link_person", reason=_described(person))
    audit.record(
        session,
        principal,
        action="link_person",
        object_type="case_people",
        object_id=case.id,
        changes={"person_id": [None, person.id], "how": [None, how]},
    )
    return link


def link_person(
    session: Session, principal, case_id: int, person_id: int, *, how: str = "proposal"
) -> CasePerson:
    """Confirm that the case concerns this person of a register the principal sees."""
    if how not in LINK_WAYS[:2]:
        raise ValidationFailed("Cách gắn không hợp lệ.", field="how")
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    person = queries.get_person(session, person_id, principal)
    return _link(session, principal, case, person, how)


def create_and_link(
    session: Session, principal, case_id: int, *, unit_id: int, **values: Any
) -> CasePerson:
    """Add a new person to a register (the usual person checks) and link them to the case."""
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    person = create_person(session, principal, unit_id=unit_id, **values)
    return _link(session, principal, case, person, "new_person")


def unlink_person(session: Session, principal, case_id: int, person_id: int) -> None:
    """Take a link away (a wrong confirmation); the person and the case stay as they are."""
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    person = queries.get_person(session, person_id, principal)
    link = session.get(CasePerson, (case.id, person.id))
    if link is None:
        raise NotFound("Người này không được gắn với hồ sơ.")
    session.delete(link)
    session.flush()
    record_event(session, case, principal, "unlink_person", reason=_described(person))
    audit.record(
        session,
        principal,
        action="unlink_person",
        object_type="case_people",
        object_id=case.id,
        changes={"person_id": [person.id, None]},
    )
