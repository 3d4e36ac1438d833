"""Bare supervision records for the yearly review tests (the supervision domain's own rules are
tested there): plans, recommendations, dialogues with their commitments."""

from __future__ import annotations

import datetime as dt

from giamsat.supervision.models import (
    AddresseeKind,
    CommitmentStatus,
    Dialogue,
    DialogueCommitment,
    DialogueStatus,
    ExpectedAnswer,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
    SupervisionPlan,
)


def add_plan(session, unit_id, org_id, year, *, approved=True) -> SupervisionPlan:
    plan = SupervisionPlan(
        unit_id=unit_id,
        organization_id=org_id,
        year=year,
        title=f"Kế hoạch giám sát năm {year}",
        status=PlanStatus.approved if approved else PlanStatus.draft,
    )
    session.add(plan)
    session.flush()
    return plan


def add_recommendation(
    session,
    unit_id,
    org_id,
    due_on: dt.date,
    *,
    answered_on: dt.date | None = None,
    withdrawn: bool = False,
) -> Recommendation:
    status = RecommendationStatus.awaiting
    if withdrawn:
        status = RecommendationStatus.withdrawn
    elif answered_on is not None:
        status = RecommendationStatus.answered_accepted
    rec = Recommendation(
        unit_id=unit_id,
        organization_id=org_id,
        addressee_kind=AddresseeKind.authority,
        addressee_name="UBND xã",
        content="Kiến nghị",
        issued_on=due_on - dt.timedelta(days=30),
        expected_answer=ExpectedAnswer.accept,
        due_on=due_on,
        status=status,
        answered_on=answered_on,
    )
    session.add(rec)
    session.flush()
    return rec


def add_dialogue(
    session,
    unit_id,
    org_id,
    held_on: dt.date,
    commitments: list[CommitmentStatus] = (),
    *,
    held: bool = True,
) -> Dialogue:
    dialogue = Dialogue(
        unit_id=unit_id,
        organization_id=org_id,
        title="Đối thoại với Bí thư Đảng ủy",
        held_on=held_on,
        status=DialogueStatus.held if held else DialogueStatus.scheduled,
    )
    session.add(dialogue)
    session.flush()
    for status in commitments:
        session.add(
            DialogueCommitment(
                unit_id=unit_id, dialogue_id=dialogue.id, content="Cam kết", status=status
            )
        )
    session.flush()
    return dialogue
