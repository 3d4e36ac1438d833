"""Intake and outcomes counted by the tier and management level of the people linked to the
cases: a case once per tier, at the case's unit, rolled up; unlinked cases are not counted."""

from __future__ import annotations

import datetime as dt

from giamsat.cases.models import CaseEvent
from giamsat.core import clock
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.queries import read_figures
from giamsat.supervision.models import (
    CasePerson,
    ManagementLevel,
    PersonTier,
    SupervisedPerson,
)
from tests.plugins.reports import SEQ, add_case

D = dt.date


def _person(session, unit_id, tier, level) -> SupervisedPerson:
    name = f"Người {next(SEQ)}"
    person = SupervisedPerson(
        unit_id=unit_id, full_name=name, name_key=name.lower(), tier=tier, management_level=level
    )
    session.add(person)
    session.flush()
    return person


def _link(session, case, *people) -> None:
    for person in people:
        session.add(CasePerson(case_id=case.id, person_id=person.id, how="proposal"))
    session.flush()


def _closed(session, case, on: dt.date) -> None:
    at = dt.datetime.combine(on, dt.time(9), clock.zone())
    session.add(CaseEvent(case_id=case.id, at=at, actor_label="test", action="close"))
    session.flush()


def test_cases_count_once_per_tier_and_level_of_their_linked_people(alpha, world, period):
    w = world.alpha
    head_a = _person(
        alpha, w.commune_x, PersonTier.head, ManagementLevel.provincial_standing_committee
    )
    head_b = _person(
        alpha, w.commune_x, PersonTier.head, ManagementLevel.commune_standing_committee
    )
    key = _person(alpha, w.commune_y, PersonTier.key_cadre, ManagementLevel.commune_party_committee)
    cadre = _person(alpha, w.commune_y, PersonTier.cadre, ManagementLevel.other)

    two_heads = add_case(alpha, w.commune_x, D(2026, 1, 5), responded_on=D(2026, 2, 1))
    _link(alpha, two_heads, head_a, head_b)
    head_and_key = add_case(alpha, w.commune_x, D(2026, 1, 6))
    _link(alpha, head_and_key, head_a, key)
    _closed(alpha, head_and_key, D(2026, 2, 10))
    at_y = add_case(alpha, w.commune_y, D(2026, 2, 1))
    _link(alpha, at_y, cadre)
    # Received before the window but answered in it: an outcome, not intake.
    older = add_case(alpha, w.commune_x, D(2025, 12, 1), responded_on=D(2026, 1, 20))
    _link(alpha, older, head_a)
    # A continued case was counted where it was first received.
    continued = add_case(alpha, w.commune_x, D(2026, 1, 8), origin_case_id=at_y.id)
    _link(alpha, continued, cadre)
    unlinked = add_case(alpha, w.commune_x, D(2026, 1, 7))
    unlinked.concerned = head_a.full_name  # free text only: not counted by tier
    recompute_period(alpha, period)

    x = read_figures(alpha, period.id, w.commune_x).own
    concerned = {k: v for k, v in x.items() if ".concerned" in k or "answered." in k}
    concerned |= {k: v for k, v in x.items() if k.startswith("outcomes.")}
    assert concerned == {
        "intake.concerned.head": 2,
        "intake.concerned.key_cadre": 1,
        "intake.concerned_level.provincial_standing_committee": 2,
        "intake.concerned_level.commune_standing_committee": 1,
        "intake.concerned_level.commune_party_committee": 1,
        "outcomes.answered.head": 2,
        "outcomes.answered_level.provincial_standing_committee": 2,
        "outcomes.answered_level.commune_standing_committee": 1,
        "outcomes.closed.head": 1,
        "outcomes.closed.key_cadre": 1,
        "outcomes.closed_level.provincial_standing_committee": 1,
        "outcomes.closed_level.commune_party_committee": 1,
    }
    y = read_figures(alpha, period.id, w.commune_y).own
    assert y["intake.concerned.cadre"] == 1 and y["intake.concerned_level.other"] == 1
    province = read_figures(alpha, period.id, w.province).consolidated
    assert province["intake.concerned.head"] == 2
    assert province["intake.concerned.key_cadre"] == 1
    assert province["intake.concerned.cadre"] == 1
    assert province["outcomes.answered.head"] == 2
    # Everything received in the window, linked or not, is still in intake.received.
    assert province["intake.received"] == 4
