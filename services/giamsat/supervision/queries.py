"""Reads of the supervision register, every one scoped through `units.queries.scoped`."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.errors import NotFound
from giamsat.supervision.models import (
    ActivityKind,
    CommitmentStatus,
    Dialogue,
    DialogueCommitment,
    ManagementLevel,
    PersonTier,
    Place,
    Recommendation,
    RecommendationReminder,
    RecommendationStatus,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionComment,
    SupervisionPlan,
    activity_people,
)
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit, scoped


def fold(text: str | None) -> str:
    """Lowercase, no diacritics, đ→d, single spaces: "Nguyễn  Văn Ấn" → "nguyen van an"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _in_unit(stmt: Select, unit_column, session: Session, principal, unit_id: int | None,
             subtree: bool) -> Select:
    """Scope to what the principal sees, then (optionally) to one visible unit or its subtree."""
    stmt = scoped(stmt, unit_column, principal)
    if unit_id is None:
        return stmt
    unit = get_unit(session, unit_id, principal)  # 404 for a unit out of scope
    if not subtree:
        return stmt.where(unit_column == unit.id)
    return stmt.where(unit_column.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))


def _get(session: Session, model, object_id: int, principal, message: str):
    obj = session.scalar(scoped(select(model).where(model.id == object_id), model.unit_id,
                                principal))
    if obj is None:
        raise NotFound(message)
    return obj


# --- people (đối tượng giám sát) ----------------------------------------------------------

def get_person(session: Session, person_id: int, principal) -> SupervisedPerson:
    return _get(session, SupervisedPerson, person_id, principal,
                "Không tìm thấy người thuộc diện giám sát.")


def list_people_query(session: Session, principal, *, unit_id: int | None = None,
                      subtree: bool = True, tier: PersonTier | None = None,
                      management_level: ManagementLevel | None = None,
                      place: Place | None = None, q: str | None = None,
                      is_party_member: bool | None = None,
                      include_inactive: bool = False) -> Select:
    """People on the registers the principal sees, by name. `place` keeps people with a
    current assignment at that place; `q` matches name or workplace, with or without accents."""
    stmt = _in_unit(select(SupervisedPerson), SupervisedPerson.unit_id, session, principal,
                    unit_id, subtree)
    if tier is not None:
        stmt = stmt.where(SupervisedPerson.tier == tier)
    if management_level is not None:
        stmt = stmt.where(SupervisedPerson.management_level == management_level)
    if is_party_member is not None:
        stmt = stmt.where(SupervisedPerson.is_party_member.is_(is_party_member))
    if place is not None:
        stmt = stmt.where(exists().where(
            SupervisionAssignment.person_id == SupervisedPerson.id,
            SupervisionAssignment.place == place,
            SupervisionAssignment.valid_to.is_(None)))
    if q and fold(q):
        pattern = _like(fold(q))
        stmt = stmt.where(or_(SupervisedPerson.name_key.like(pattern, escape="\\"),
                              SupervisedPerson.workplace_key.like(pattern, escape="\\")))
    if not include_inactive:
        stmt = stmt.where(SupervisedPerson.is_active.is_(True))
    return stmt.order_by(SupervisedPerson.name_key, SupervisedPerson.id)


def list_people(session: Session, principal, **filters) -> list[SupervisedPerson]:
    return list(session.scalars(list_people_query(session, principal, **filters)))


def find_duplicate_person(session: Session, unit_id: int, name_key: str,
                          birth_year: int | None, workplace_key: str,
                          exclude_id: int | None = None) -> SupervisedPerson | None:
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
    return _get(session, SupervisionAssignment, assignment_id, principal,
                "Không tìm thấy phân công giám sát.")


def list_assignments_query(session: Session, principal, *, person_id: int | None = None,
                           unit_id: int | None = None, subtree: bool = True,
                           organization_id: int | None = None, place: Place | None = None,
                           current_only: bool = False) -> Select:
    """Assignments with their history (newest first within a person)."""
    stmt = _in_unit(select(SupervisionAssignment), SupervisionAssignment.unit_id, session,
                    principal, unit_id, subtree)
    if person_id is not None:
        get_person(session, person_id, principal)
        stmt = stmt.where(SupervisionAssignment.person_id == person_id)
    if organization_id is not None:
        stmt = stmt.where(SupervisionAssignment.organization_id == organization_id)
    if place is not None:
        stmt = stmt.where(SupervisionAssignment.place == place)
    if current_only:
        stmt = stmt.where(SupervisionAssignment.valid_to.is_(None))
    return stmt.order_by(SupervisionAssignment.person_id,
                         SupervisionAssignment.valid_from.desc(), SupervisionAssignment.id.desc())


def list_assignments(session: Session, principal, **filters) -> list[SupervisionAssignment]:
    return list(session.scalars(list_assignments_query(session, principal, **filters)))


# --- plans and activities -------------------------------------------------------------------

def get_plan(session: Session, plan_id: int, principal) -> SupervisionPlan:
    return _get(session, SupervisionPlan, plan_id, principal,
                "Không tìm thấy kế hoạch giám sát.")


def list_plans_query(session: Session, principal, *, unit_id: int | None = None,
                     subtree: bool = True, organization_id: int | None = None,
                     year: int | None = None) -> Select:
    stmt = _in_unit(select(SupervisionPlan), SupervisionPlan.unit_id, session, principal,
                    unit_id, subtree)
    if organization_id is not None:
        stmt = stmt.where(SupervisionPlan.organization_id == organization_id)
    if year is not None:
        stmt = stmt.where(SupervisionPlan.year == year)
    return stmt.order_by(SupervisionPlan.year.desc(), SupervisionPlan.unit_id,
                         SupervisionPlan.organization_id)


def get_activity(session: Session, activity_id: int, principal) -> SupervisionActivity:
    return _get(session, SupervisionActivity, activity_id, principal,
                "Không tìm thấy hoạt động giám sát.")


def list_activities_query(session: Session, principal, *, unit_id: int | None = None,
                          subtree: bool = True, organization_id: int | None = None,
                          kind: ActivityKind | None = None, plan_id: int | None = None,
                          person_id: int | None = None, starts_from: dt.date | None = None,
                          starts_to: dt.date | None = None) -> Select:
    """Activities, newest first; `person_id` keeps those where the person was supervised."""
    stmt = _in_unit(select(SupervisionActivity), SupervisionActivity.unit_id, session,
                    principal, unit_id, subtree)
    if organization_id is not None:
        stmt = stmt.where(SupervisionActivity.organization_id == organization_id)
    if kind is not None:
        stmt = stmt.where(SupervisionActivity.kind == kind)
    if plan_id is not None:
        stmt = stmt.where(SupervisionActivity.plan_id == plan_id)
    if person_id is not None:
        stmt = stmt.where(SupervisionActivity.id.in_(
            select(activity_people.c.activity_id).where(activity_people.c.person_id == person_id)))
    if starts_from is not None:
        stmt = stmt.where(SupervisionActivity.starts_on >= starts_from)
    if starts_to is not None:
        stmt = stmt.where(SupervisionActivity.starts_on <= starts_to)
    return stmt.order_by(SupervisionActivity.starts_on.desc(), SupervisionActivity.id.desc())


def list_comments_query(session: Session, principal, *, activity_id: int | None = None,
                        person_id: int | None = None) -> Select:
    stmt = scoped(select(SupervisionComment), SupervisionComment.unit_id, principal)
    if activity_id is not None:
        stmt = stmt.where(SupervisionComment.activity_id == activity_id)
    if person_id is not None:
        stmt = stmt.where(SupervisionComment.person_id == person_id)
    return stmt.order_by(SupervisionComment.id)


# --- recommendations (kiến nghị) ------------------------------------------------------------

def overdue_clause(today: dt.date):
    """Overdue (quá hạn) = still awaiting an answer and past its due date."""
    return (Recommendation.status == RecommendationStatus.awaiting) & (Recommendation.due_on < today)


def get_recommendation(session: Session, recommendation_id: int, principal) -> Recommendation:
    return _get(session, Recommendation, recommendation_id, principal,
                "Không tìm thấy kiến nghị.")


def list_recommendations_query(session: Session, principal, *, unit_id: int | None = None,
                               subtree: bool = True, status: RecommendationStatus | None = None,
                               overdue: bool | None = None, person_id: int | None = None,
                               activity_id: int | None = None,
                               organization_id: int | None = None,
                               today: dt.date | None = None) -> Select:
    """Recommendations of a unit and (by default) every unit below it, most urgent first.

    This is how overdue ones show up the tree: a province user asking for the province's
    subtree with `overdue=True` sees every commune's late answers."""
    today = today or clock.today()
    stmt = _in_unit(select(Recommendation), Recommendation.unit_id, session, principal,
                    unit_id, subtree)
    if status is not None:
        stmt = stmt.where(Recommendation.status == status)
    if overdue is True:
        stmt = stmt.where(overdue_clause(today))
    elif overdue is False:
        stmt = stmt.where(~overdue_clause(today))
    if person_id is not None:
        stmt = stmt.where(Recommendation.person_id == person_id)
    if activity_id is not None:
        stmt = stmt.where(Recommendation.activity_id == activity_id)
    if organization_id is not None:
        stmt = stmt.where(Recommendation.organization_id == organization_id)
    return stmt.order_by(Recommendation.due_on, Recommendation.id)


def list_reminders(session: Session, recommendation: Recommendation) -> list[RecommendationReminder]:
    return list(recommendation.reminders)


# --- dialogues (đối thoại) ------------------------------------------------------------------

def get_dialogue(session: Session, dialogue_id: int, principal) -> Dialogue:
    return _get(session, Dialogue, dialogue_id, principal, "Không tìm thấy buổi đối thoại.")


def list_dialogues_query(session: Session, principal, *, unit_id: int | None = None,
                         subtree: bool = True, organization_id: int | None = None,
                         held_from: dt.date | None = None,
                         held_to: dt.date | None = None) -> Select:
    stmt = _in_unit(select(Dialogue), Dialogue.unit_id, session, principal, unit_id, subtree)
    if organization_id is not None:
        stmt = stmt.where(Dialogue.organization_id == organization_id)
    if held_from is not None:
        stmt = stmt.where(Dialogue.held_on >= held_from)
    if held_to is not None:
        stmt = stmt.where(Dialogue.held_on <= held_to)
    return stmt.order_by(Dialogue.held_on.desc(), Dialogue.id.desc())


def get_commitment(session: Session, commitment_id: int, principal) -> DialogueCommitment:
    return _get(session, DialogueCommitment, commitment_id, principal,
                "Không tìm thấy cam kết.")


def list_commitments_query(session: Session, principal, *, unit_id: int | None = None,
                           subtree: bool = True, dialogue_id: int | None = None,
                           status: CommitmentStatus | None = None, overdue: bool | None = None,
                           today: dt.date | None = None) -> Select:
    """Commitments to follow up; `overdue=True` keeps open ones past their due date."""
    today = today or clock.today()
    stmt = _in_unit(select(DialogueCommitment), DialogueCommitment.unit_id, session, principal,
                    unit_id, subtree)
    if dialogue_id is not None:
        stmt = stmt.where(DialogueCommitment.dialogue_id == dialogue_id)
    if status is not None:
        stmt = stmt.where(DialogueCommitment.status == status)
    late = ((DialogueCommitment.status == CommitmentStatus.open)
            & DialogueCommitment.due_on.is_not(None) & (DialogueCommitment.due_on < today))
    if overdue is True:
        stmt = stmt.where(late)
    elif overdue is False:
        stmt = stmt.where(~late)
    return stmt.order_by(DialogueCommitment.due_on.nulls_last(), DialogueCommitment.id)


#: The overview lists at most this many cases (newest first).
MAX_CASES_IN_OVERVIEW = 50


# --- a person's overview --------------------------------------------------------------------

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
        activities=list(session.scalars(
            list_activities_query(session, principal, person_id=person.id))),
        comments=list(session.scalars(
            list_comments_query(session, principal, person_id=person.id))),
        recommendations=list(session.scalars(
            list_recommendations_query(session, principal, person_id=person.id))),
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
        func.shared.fold(Case.concerned).like(_like(name), escape="\\"))
    return list(session.scalars(stmt.limit(MAX_CASES_IN_OVERVIEW)))
