"""Indicator computations over the supervision register and the suggestion boxes (see
`indicators` for the catalogue and the case counts)."""

from __future__ import annotations

from sqlalchemy import Select, and_, distinct, func, null, or_, select, true

from giamsat.reports.indicators import Window, _rows, computation
from giamsat.reports.scans import Part, Scan, scan
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


@scan
def activities(window: Window) -> Scan:
    dissemination = A.kind == ActivityKind.dissemination_conference
    return Scan(
        unit=A.unit_id,
        org=A.organization_id,
        where=and_(window.dates(A.starts_on), window.units(A.unit_id)),
        parts={
            "supervision.dissemination": Part(dissemination, func.count()),
            "supervision.dissemination_participants": Part(
                dissemination, func.sum(A.participants_count)
            ),
            "supervision.sessions": Part(~dissemination, func.count(), A.kind),
        },
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
        .where(
            window.dates(A.starts_on),
            window.units(A.unit_id),
            A.kind != ActivityKind.dissemination_conference,
        )
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


@scan
def dialogues(window: Window) -> Scan:
    held = and_(
        Dialogue.status == DialogueStatus.held,
        window.dates(Dialogue.held_on),
        window.units(Dialogue.unit_id),
    )
    return Scan(
        unit=Dialogue.unit_id,
        org=Dialogue.organization_id,
        where=held,
        parts={
            "supervision.dialogues": Part(true(), func.count()),
            "supervision.dialogue_participants": Part(
                true(), func.sum(Dialogue.participants_count)
            ),
        },
    )


R = Recommendation


@scan
def recommendations(window: Window) -> Scan:
    end = window.ends_on
    answered = [RecommendationStatus.answered_accepted, RecommendationStatus.answered_explained]
    return Scan(
        unit=R.unit_id,
        org=R.organization_id,
        where=window.units(R.unit_id),
        parts={
            "supervision.recommendations_issued": Part(window.dates(R.issued_on), func.count()),
            "supervision.recommendations_answered": Part(
                and_(window.dates(R.answered_on), R.status.in_(answered)), func.count(), R.status
            ),
            "supervision.recommendations_overdue": Part(
                and_(
                    R.issued_on <= end,
                    R.due_on < end,
                    R.status != RecommendationStatus.withdrawn,
                    or_(R.answered_on.is_(None), R.answered_on > end),
                ),
                func.count(),
            ),
        },
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


@scan
def openings(window: Window) -> Scan:
    from giamsat.letters.models import BoxOpening as O

    return Scan(
        unit=O.unit_id,
        org=null(),
        where=and_(window.instants(O.opened_at), window.units(O.unit_id)),
        parts={
            "letters.openings": Part(true(), func.count()),
            "letters.letters_found": Part(true(), func.sum(O.letters_found)),
        },
    )
