"""Reads of the supervision work: plans, activities, recommendations, dialogues."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session, lazyload, selectinload

from giamsat.cases.models import ClassificationCategory
from giamsat.core import clock
from giamsat.supervision.models import (
    ActivityKind,
    CommitmentStatus,
    Dialogue,
    DialogueCommitment,
    DialogueIssue,
    Recommendation,
    RecommendationReminder,
    RecommendationStatus,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionComment,
    SupervisionPlan,
    activity_people,
)
from giamsat.supervision.queries.common import _get, _in_unit
from giamsat.units.queries import scoped

# --- plans and activities -------------------------------------------------------------------


def get_plan(session: Session, plan_id: int, principal) -> SupervisionPlan:
    return _get(session, SupervisionPlan, plan_id, principal, "Không tìm thấy kế hoạch giám sát.")


def list_plans_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    organization_id: int | None = None,
    year: int | None = None,
) -> Select:
    stmt = _in_unit(
        select(SupervisionPlan), SupervisionPlan.unit_id, session, principal, unit_id, subtree
    )
    if organization_id is not None:
        stmt = stmt.where(SupervisionPlan.organization_id == organization_id)
    if year is not None:
        stmt = stmt.where(SupervisionPlan.year == year)
    return stmt.order_by(
        SupervisionPlan.year.desc(), SupervisionPlan.unit_id, SupervisionPlan.organization_id
    )


def get_activity(session: Session, activity_id: int, principal) -> SupervisionActivity:
    return _get(
        session, SupervisionActivity, activity_id, principal, "Không tìm thấy hoạt động giám sát."
    )


def list_activities_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    organization_id: int | None = None,
    kind: ActivityKind | None = None,
    plan_id: int | None = None,
    person_id: int | None = None,
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
    after: tuple[dt.date, int] | None = None,
    board_id: int | None = None,
    department_id: int | None = None,
) -> Select:
    """Activities, newest first; `person_id` keeps those where the person was supervised.
    `after` (a keyset cursor: starts_on, id of the last row seen) starts after that row."""
    stmt = _in_unit(
        select(SupervisionActivity),
        SupervisionActivity.unit_id,
        session,
        principal,
        unit_id,
        subtree,
    )
    if organization_id is not None:
        stmt = stmt.where(SupervisionActivity.organization_id == organization_id)
    if kind is not None:
        stmt = stmt.where(SupervisionActivity.kind == kind)
    if plan_id is not None:
        stmt = stmt.where(SupervisionActivity.plan_id == plan_id)
    if person_id is not None:
        stmt = stmt.where(
            SupervisionActivity.id.in_(
                select(activity_people.c.activity_id).where(
                    activity_people.c.person_id == person_id
                )
            )
        )
    if board_id is not None:
        stmt = stmt.where(SupervisionActivity.board_id == board_id)
    if department_id is not None:
        stmt = stmt.where(SupervisionActivity.department_id == department_id)
    if starts_from is not None:
        stmt = stmt.where(SupervisionActivity.starts_on >= starts_from)
    if starts_to is not None:
        stmt = stmt.where(SupervisionActivity.starts_on <= starts_to)
    if after is not None:
        stmt = stmt.where(tuple_(SupervisionActivity.starts_on, SupervisionActivity.id) < after)
    return stmt.order_by(SupervisionActivity.starts_on.desc(), SupervisionActivity.id.desc())


#: Loader options for a page of activities as the API's list shows it: the people's ids (not
#: each person with its unit), the comments without their person (its id is on the comment),
#: no organization (its id is on the activity). The model's eager defaults load all of these
#: in full, 3–6× the list's own SQL in `bench/lists.py`; anything else loads on access.
ACTIVITY_LIST_LOADING = (
    lazyload(SupervisionActivity.organization),
    selectinload(SupervisionActivity.people)
    .load_only(SupervisedPerson.id)
    .lazyload(SupervisedPerson.unit),
    selectinload(SupervisionActivity.comments).lazyload(SupervisionComment.person),
)


def get_comment(session: Session, comment_id: int, principal) -> SupervisionComment:
    return _get(session, SupervisionComment, comment_id, principal, "Không tìm thấy ý kiến góp ý.")


def list_comments_query(
    session: Session, principal, *, activity_id: int | None = None, person_id: int | None = None
) -> Select:
    stmt = scoped(select(SupervisionComment), SupervisionComment.unit_id, principal)
    if activity_id is not None:
        stmt = stmt.where(SupervisionComment.activity_id == activity_id)
    if person_id is not None:
        stmt = stmt.where(SupervisionComment.person_id == person_id)
    return stmt.order_by(SupervisionComment.id)


# --- recommendations (kiến nghị) ------------------------------------------------------------


def overdue_clause(today: dt.date):
    """Overdue (quá hạn) = still awaiting an answer and past its due date."""
    return (Recommendation.status == RecommendationStatus.awaiting) & (
        Recommendation.due_on < today
    )


def get_recommendation(session: Session, recommendation_id: int, principal) -> Recommendation:
    return _get(session, Recommendation, recommendation_id, principal, "Không tìm thấy kiến nghị.")


def list_recommendations_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    status: RecommendationStatus | None = None,
    overdue: bool | None = None,
    person_id: int | None = None,
    activity_id: int | None = None,
    organization_id: int | None = None,
    tag: str | None = None,
    today: dt.date | None = None,
    after: tuple[dt.date, int] | None = None,
    board_id: int | None = None,
) -> Select:
    """Recommendations of a unit and (by default) every unit below it, most urgent first;
    `tag`: only those tagged with that catalogue code (e.g. "DD-7").
    `after` (a keyset cursor: due_on, id of the last row seen) starts after that row.

    This is how overdue ones show up the tree: a province user asking for the province's
    subtree with `overdue=True` sees every commune's late answers."""
    today = today or clock.today()
    stmt = _in_unit(
        select(Recommendation), Recommendation.unit_id, session, principal, unit_id, subtree
    )
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
    if tag:
        stmt = stmt.where(Recommendation.tags.any(ClassificationCategory.code == tag))
    if board_id is not None:
        stmt = stmt.where(Recommendation.board_id == board_id)
    if after is not None:
        stmt = stmt.where(tuple_(Recommendation.due_on, Recommendation.id) > after)
    return stmt.order_by(Recommendation.due_on, Recommendation.id)


def list_reminders(
    session: Session, recommendation: Recommendation
) -> list[RecommendationReminder]:
    return list(recommendation.reminders)


# --- dialogues (đối thoại) ------------------------------------------------------------------


def get_dialogue(session: Session, dialogue_id: int, principal) -> Dialogue:
    return _get(session, Dialogue, dialogue_id, principal, "Không tìm thấy buổi đối thoại.")


def list_dialogues_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    organization_id: int | None = None,
    held_from: dt.date | None = None,
    held_to: dt.date | None = None,
) -> Select:
    stmt = _in_unit(select(Dialogue), Dialogue.unit_id, session, principal, unit_id, subtree)
    if organization_id is not None:
        stmt = stmt.where(Dialogue.organization_id == organization_id)
    if held_from is not None:
        stmt = stmt.where(Dialogue.held_on >= held_from)
    if held_to is not None:
        stmt = stmt.where(Dialogue.held_on <= held_to)
    return stmt.order_by(Dialogue.held_on.desc(), Dialogue.id.desc())


def get_dialogue_issue(session: Session, issue_id: int, principal) -> DialogueIssue:
    return _get(session, DialogueIssue, issue_id, principal, "Không tìm thấy vấn đề nêu ra.")


def get_commitment(session: Session, commitment_id: int, principal) -> DialogueCommitment:
    return _get(session, DialogueCommitment, commitment_id, principal, "Không tìm thấy cam kết.")


def list_commitments_query(
    session: Session,
    principal,
    *,
    unit_id: int | None = None,
    subtree: bool = True,
    dialogue_id: int | None = None,
    status: CommitmentStatus | None = None,
    overdue: bool | None = None,
    today: dt.date | None = None,
) -> Select:
    """Commitments to follow up; `overdue=True` keeps open ones past their due date."""
    today = today or clock.today()
    stmt = _in_unit(
        select(DialogueCommitment), DialogueCommitment.unit_id, session, principal, unit_id, subtree
    )
    if dialogue_id is not None:
        stmt = stmt.where(DialogueCommitment.dialogue_id == dialogue_id)
    if status is not None:
        stmt = stmt.where(DialogueCommitment.status == status)
    late = (
        (DialogueCommitment.status == CommitmentStatus.open)
        & DialogueCommitment.due_on.is_not(None)
        & (DialogueCommitment.due_on < today)
    )
    if overdue is True:
        stmt = stmt.where(late)
    elif overdue is False:
        stmt = stmt.where(~late)
    return stmt.order_by(DialogueCommitment.due_on.nulls_last(), DialogueCommitment.id)


#: The overview lists at most this many cases (newest first).
