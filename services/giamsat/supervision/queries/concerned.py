"""The people a case concerns: who is linked, who the register proposes, and a person's cases.

Proposals come from the case's words (the free-text `concerned`, its title and content — for a
letter, the OCR text once read) matched against the registers the viewer may see: by the
accent-folded full name as whole words, by the position as written, and by the unit. They are
only proposals: nothing is linked until a staff member confirms one (`operations.concerned`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from giamsat.cases.models import Case
from giamsat.cases.queries import case_queue_query
from giamsat.supervision.models import CasePerson, SupervisedPerson
from giamsat.supervision.queries.common import fold
from giamsat.supervision.queries.people import get_person
from giamsat.units.models import Unit
from giamsat.units.queries import scoped

MAX_PROPOSALS = 10
MAX_CASES_OF_PERSON = 50
#: A position of fewer words ("Bí thư") names too many people to propose anyone by.
MIN_POSITION_WORDS = 2

#: Why a person is proposed, strongest first (labels in `labels.PROPOSAL_REASON_LABELS`).
NAME_IN_CONCERNED = "name_in_concerned"
NAME_IN_TEXT = "name_in_text"
POSITION = "position"
SAME_UNIT = "same_unit"
RELATED_UNIT = "related_unit"
_WEIGHTS = {NAME_IN_CONCERNED: 4, NAME_IN_TEXT: 3, POSITION: 2, SAME_UNIT: 2, RELATED_UNIT: 1}

#: Words of courtesy before a name in `concerned` ("ông Nguyễn Văn A"), left out of a new name.
_COURTESY = re.compile(r"^(ông|bà|anh|chị|cô|chú|đồng chí|đ/c|đc)\s+", re.IGNORECASE)


def words(text: str | None) -> str:
    """The folded words of `text` between single spaces, with a space at each end, so a
    name is found as whole words: " ong nguyen van a chu tich "."""
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split()) + " "


@dataclass(frozen=True)
class Proposal:
    person: SupervisedPerson
    reasons: tuple[str, ...]

    @property
    def score(self) -> int:
        return sum(_WEIGHTS[r] for r in self.reasons)


@dataclass(frozen=True)
class LinkedPerson:
    link: CasePerson
    #: False when the person is on a register the viewer does not see (e.g. a province's):
    #: the page then says so without the name.
    visible: bool

    @property
    def person(self) -> SupervisedPerson:
        return self.link.person


def linked_people(session: Session, case: Case, principal) -> list[LinkedPerson]:
    links = session.scalars(
        select(CasePerson)
        .join(SupervisedPerson, SupervisedPerson.id == CasePerson.person_id)
        .where(CasePerson.case_id == case.id)
        .order_by(SupervisedPerson.name_key, SupervisedPerson.id)
    )
    return [LinkedPerson(link, principal.sees_path(link.person.unit.path)) for link in links]


def _unit_reason(person: SupervisedPerson, case: Case) -> str | None:
    if person.unit_id == case.unit_id:
        return SAME_UNIT
    mine, theirs = case.unit.path, person.unit.path
    if mine.startswith(theirs) or theirs.startswith(mine):
        return RELATED_UNIT
    return None


def _reasons(person: SupervisedPerson, case: Case, concerned: str, text: str) -> tuple[str, ...]:
    reasons = []
    name = f" {person.name_key} "
    if person.name_key and name in concerned:
        reasons.append(NAME_IN_CONCERNED)
    elif person.name_key and name in text:
        reasons.append(NAME_IN_TEXT)
    position = words(person.position)
    if len(position.split()) >= MIN_POSITION_WORDS and position in text:
        reasons.append(POSITION)
    if not reasons:
        return ()
    unit = _unit_reason(person, case)
    return tuple(reasons) + ((unit,) if unit else ())


def _found_in(text: str, phrase) -> ColumnElement[bool]:
    return and_(phrase != "", func.strpos(literal(text), " " + phrase + " ") > 0)


def propose_people(
    session: Session, case: Case, principal, limit: int = MAX_PROPOSALS
) -> list[Proposal]:
    """People of the visible registers the case's words point at, best first, leaving out
    those already linked. A name is looked for on every visible register; a position alone
    only on the registers of the case's unit and below (a "Chủ tịch UBND xã" is everywhere)."""
    concerned = words(case.concerned)
    text = words(" ".join((case.concerned, case.title, case.content)))
    if not text.strip():
        return []
    below_case_unit = select(Unit.id).where(Unit.path.startswith(case.unit.path))
    # The database keeps only the people whose name or position is in the words; the same
    # test in Python below then gives the reasons.
    position = func.trim(
        func.regexp_replace(func.shared.fold(SupervisedPerson.position), "[^0-9a-z]+", " ", "g")
    )
    stmt = scoped(select(SupervisedPerson), SupervisedPerson.unit_id, principal).where(
        SupervisedPerson.is_active.is_(True),
        or_(
            _found_in(text, SupervisedPerson.name_key),
            and_(SupervisedPerson.unit_id.in_(below_case_unit), _found_in(text, position)),
        ),
        SupervisedPerson.id.not_in(
            select(CasePerson.person_id).where(CasePerson.case_id == case.id)
        ),
    )
    proposals = []
    for person in session.scalars(stmt):
        reasons = _reasons(person, case, concerned, text)
        if reasons:
            proposals.append(Proposal(person, reasons))
    proposals.sort(key=lambda p: (-p.score, p.person.name_key, p.person.id))
    return proposals[:limit]


def concerned_names(case: Case) -> list[tuple[str, str]]:
    """(name, position) guesses from the free text, one per part ("ông Nguyễn Văn A, Chủ tịch
    UBND xã; bà Trần Thị B"), to prefill a new person: staff correct them before saving."""
    guesses = []
    for part in re.split(r"[;\n]+", case.concerned or ""):
        name, _, position = part.partition(",")
        name = _COURTESY.sub("", " ".join(name.split())).strip(" .-–")
        if name:
            guesses.append((name[:200], " ".join(position.split())[:300]))
    return guesses


def cases_of_person_query(session: Session, person_id: int, principal) -> Select:
    """The visible cases linked to a visible person, newest first (404 for a hidden person).
    Only case fields are for showing: who reported lives apart, in the cases domain."""
    person = get_person(session, person_id, principal)
    return case_queue_query(principal).where(
        Case.id.in_(select(CasePerson.case_id).where(CasePerson.person_id == person.id))
    )


def cases_of_person(session: Session, person_id: int, principal) -> list[Case]:
    stmt = cases_of_person_query(session, person_id, principal).limit(MAX_CASES_OF_PERSON)
    return list(session.scalars(stmt))
