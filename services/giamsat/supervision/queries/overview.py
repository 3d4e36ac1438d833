"""One supervised person on one page: their assignments, activities, comments,
recommendations and the cases about them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from giamsat.supervision.models import (
    Recommendation,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionComment,
)
from giamsat.supervision.queries.concerned import MAX_CASES_OF_PERSON, cases_of_person
from giamsat.supervision.queries.people import get_person, list_assignments
from giamsat.supervision.queries.work import (
    list_activities_query,
    list_comments_query,
    list_recommendations_query,
)

MAX_CASES_IN_OVERVIEW = MAX_CASES_OF_PERSON


@dataclass
class PersonOverview:
    """Everything recorded about one person; never any reporter's identity."""

    person: SupervisedPerson
    assignments: list[SupervisionAssignment] = field(default_factory=list)
    activities: list[SupervisionActivity] = field(default_factory=list)
    comments: list[SupervisionComment] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    #: Cases staff linked to the person (`queries.concerned`), visible ones only.
    cases: list = field(default_factory=list)


def person_overview(session: Session, person_id: int, principal) -> PersonOverview:
    person = get_person(session, person_id, principal)
    return PersonOverview(
        person=person,
        assignments=list_assignments(session, principal, person_id=person.id),
        activities=list(
            session.scalars(list_activities_query(session, principal, person_id=person.id))
        ),
        comments=list(
            session.scalars(list_comments_query(session, principal, person_id=person.id))
        ),
        recommendations=list(
            session.scalars(list_recommendations_query(session, principal, person_id=person.id))
        ),
        cases=cases_of_person(session, person.id, principal),
    )
