"""One supervised person on one page: their assignments, activities, comments,
recommendations and the cases about them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.orm import Session

from giamsat.supervision.models import (
    Recommendation,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionComment,
)
from giamsat.supervision.queries.common import _like, fold
from giamsat.supervision.queries.people import get_person, list_assignments
from giamsat.supervision.queries.work import (
    list_activities_query,
    list_comments_query,
    list_recommendations_query,
)

MAX_CASES_IN_OVERVIEW = 50


@dataclass
class PersonOverview:
    """Everything recorded about one person; never any reporter's identity."""

    person: SupervisedPerson
    assignments: list[SupervisionAssignment] = field(default_factory=list)
    activities: list[SupervisionActivity] = field(default_factory=list)
    comments: list[SupervisionComment] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    #: Cases whose `concerned` text names the person — see `_cases_about`.
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
        cases=_cases_about(session, person, principal),
    )


def _cases_about(session: Session, person: SupervisedPerson, principal) -> list:
    """Visible cases whose `concerned` text (người bị phản ánh) names the person, newest first.

    Goes through the cases domain's own scoped query; callers show only case fields, never
    the reporter (whose identity lives apart, encrypted, in the cases domain)."""
    from giamsat.cases.models import Case
    from giamsat.cases.queries import case_queue_query

    name = fold(person.full_name)
    if not name:
        return []
    stmt = case_queue_query(principal).where(
        func.shared.fold(Case.concerned).like(_like(name), escape="\\")
    )
    return list(session.scalars(stmt.limit(MAX_CASES_IN_OVERVIEW)))
