"""Indicator computations over the supervision register and the suggestion boxes (see
`indicators` for the catalogue and the case counts)."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    distinct,
    func,
    null,
    or_,
    select,
)

from giamsat.reports.indicators import Window, _rows, computation
from giamsat.supervision.models import (
    ActivityKind,
    Dialogue,
    DialogueStatus,
    Recommendation,
    RecommendationStatus,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionComment,
    activity_people,
)

# --- supervision ---------------------------------------------------------------------------------

A = SupervisionActivity


def _activities(window: Window) -> ColumnElement[bool]:
    return and_(window.dates(A.starts_on), window.units(A.unit_id))


@computation("supervision.dissemination")
def dissemination(window: Window) -> Select:
    return (
        select(*_rows(A.unit_id, A.organization_id, null(), func.count()))
        .where(_activities(window), A.kind == ActivityKind.dissemination_conference)
        .group_by(A.unit_id, A.organization_id)
    )


@computation("supervision.dissemination_participants")
def dissemination_participants(window: Window) -> Select:
    return (
        select(*_rows(A.unit_id, A.organization_id, null(), func.sum(A.participants_count)))
        .where(_activities(window), A.kind == ActivityKind.dissemination_conference)
        .group_by(A.unit_id, A.organization_id)
    )


@computation("supervision.sessions")
def sessions(window: Window) -> Select:
    return (
        select(*_rows(A.unit_id, A.organization_id, A.kind, func.count()))
        .where(_activities(window), A.kind != ActivityKind.dissemination_conference)
        .group_by(A.unit_id, A.organization_id, A.kind)
    )


@computation("supervision.people_by_tier")
def people_by_tier(window: Window) -> Select:
    tier = SupervisedPerson.tier
    return (
        select(
            *_rows(A.unit_id, A.organization_id, tier, func.count(distinct(SupervisedPerson.id)))
        )
        .join(activity_people, activity_people.c.activity_id == A.id)
        .join(SupervisedPerson, SupervisedPerson.id == activity_people.c.person_id)
        .where(_activities(window), A.kind != ActivityKind.dissemination_conference)
        .group_by(A.unit_id, A.organization_id, tier)
    )


@computation("supervision.people_by_place")
def people_by_place(window: Window) -> Select:
    S = SupervisionAssignment
    return (
        select(*_rows(S.unit_id, S.organization_id, S.place, func.count(distinct(S.person_id))))
        .where(
            S.valid_from <= window.ends_on,
            or_(S.valid_to.is_(None), S.valid_to >= window.starts_on),
            window.units(S.unit_id),
        )
        .group_by(S.unit_id, S.organization_id, S.place)
    )


@computation("supervision.comments")
def comments(window: Window) -> Select:
    C = SupervisionComment
    return (
        select(*_rows(C.unit_id, A.organization_id, null(), func.count()))
        .join(A, A.id == C.activity_id)
        .where(window.dates(A.starts_on), window.units(C.unit_id))
        .group_by(C.unit_id, A.organization_id)
    )


def _held_dialogues(window: Window) -> ColumnElement[bool]:
    return and_(
        Dialogue.status == DialogueStatus.held,
        window.dates(Dialogue.held_on),
        window.units(Dialogue.unit_id),
    )


@computation("supervision.dialogues")
def dialogues(window: Window) -> Select:
    return (
        select(*_rows(Dialogue.unit_id, Dialogue.organization_id, null(), func.count()))
        .where(_held_dialogues(window))
        .group_by(Dialogue.unit_id, Dialogue.organization_id)
    )


@computation("supervision.dialogue_participants")
def dialogue_participants(window: Window) -> Select:
    return (
        select(
            *_rows(
                Dialogue.unit_id,
                Dialogue.organization_id,
                null(),
                func.sum(Dialogue.participants_count),
            )
        )
        .where(_held_dialogues(window))
        .group_by(Dialogue.unit_id, Dialogue.organization_id)
    )


R = Recommendation


@computation("supervision.recommendations_issued")
def recommendations_issued(window: Window) -> Select:
    return (
        select(*_rows(R.unit_id, R.organization_id, null(), func.count()))
        .where(window.dates(R.issued_on), window.units(R.unit_id))
        .group_by(R.unit_id, R.organization_id)
    )


@computation("supervision.recommendations_answered")
def recommendations_answered(window: Window) -> Select:
    return (
        select(*_rows(R.unit_id, R.organization_id, R.status, func.count()))
        .where(
            window.dates(R.answered_on),
            window.units(R.unit_id),
            R.status.in_(
                [RecommendationStatus.answered_accepted, RecommendationStatus.answered_explained]
            ),
        )
        .group_by(R.unit_id, R.organization_id, R.status)
    )


@computation("supervision.recommendations_overdue")
def recommendations_overdue(window: Window) -> Select:
    end = window.ends_on
    return (
        select(*_rows(R.unit_id, R.organization_id, null(), func.count()))
        .where(
            R.issued_on <= end,
            R.due_on < end,
            window.units(R.unit_id),
            R.status != RecommendationStatus.withdrawn,
            or_(R.answered_on.is_(None), R.answered_on > end),
        )
        .group_by(R.unit_id, R.organization_id)
    )


# --- letters (suggestion boxes) -------------------------------------------------------------------


@computation("letters.boxes")
def boxes(window: Window) -> Select:
    from giamsat.letters.models import BoxStatus
    from giamsat.letters.models import SuggestionBox as B

    return (
        select(*_rows(B.unit_id, null(), null(), func.count()))
        .where(
            B.installed_on <= window.ends_on, B.status == BoxStatus.active, window.units(B.unit_id)
        )
        .group_by(B.unit_id)
    )


@computation("letters.openings")
def openings(window: Window) -> Select:
    from giamsat.letters.models import BoxOpening as O

    return (
        select(*_rows(O.unit_id, null(), null(), func.count()))
        .where(window.instants(O.opened_at), window.units(O.unit_id))
        .group_by(O.unit_id)
    )


@computation("letters.letters_found")
def letters_found(window: Window) -> Select:
    from giamsat.letters.models import BoxOpening as O

    return (
        select(*_rows(O.unit_id, null(), null(), func.sum(O.letters_found)))
        .where(window.instants(O.opened_at), window.units(O.unit_id))
        .group_by(O.unit_id)
    )
