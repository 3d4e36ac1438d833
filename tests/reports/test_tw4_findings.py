"""TW4 manifestations counted by group across every source a finding is recorded in (issue 19
point 2): cases, comments, recommendations and dialogue issues of a commune, up to the province."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from giamsat.cases.models import CaseTag, ClassificationCategory
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.queries import read_figures
from giamsat.supervision.enums import AddresseeKind
from giamsat.supervision.models import (
    Dialogue,
    DialogueIssue,
    DialogueStatus,
    ExpectedAnswer,
    Recommendation,
    SupervisionComment,
)
from tests.plugins.reports import add_activity, add_case

D = dt.date


def _tags(session, *codes):
    return list(
        session.scalars(
            select(ClassificationCategory).where(ClassificationCategory.code.in_(codes))
        )
    )


def _tagged_case(session, unit_id, received_on, *codes, **fields):
    case = add_case(session, unit_id, received_on, **fields)
    for category in _tags(session, *codes):
        session.add(CaseTag(case_id=case.id, category_id=category.id))
    session.flush()
    return case


def _comment(session, unit_id, org_id, starts_on, *codes):
    activity = add_activity(session, unit_id, org_id, starts_on)
    comment = SupervisionComment(
        unit_id=unit_id, activity_id=activity.id, content="Góp ý", tags=_tags(session, *codes)
    )
    session.add(comment)
    session.flush()
    return comment


def _recommendation(session, unit_id, org_id, issued_on, *codes):
    rec = Recommendation(
        unit_id=unit_id,
        organization_id=org_id,
        addressee_kind=AddresseeKind.party_committee,
        addressee_name="Đảng ủy xã",
        content="Kiến nghị",
        issued_on=issued_on,
        due_on=issued_on + dt.timedelta(days=30),
        expected_answer=ExpectedAnswer.explain,
        tags=_tags(session, *codes),
    )
    session.add(rec)
    session.flush()
    return rec


def _issue(session, unit_id, org_id, held_on, *codes, status=DialogueStatus.held):
    dialogue = Dialogue(
        unit_id=unit_id, organization_id=org_id, title="Đối thoại", held_on=held_on, status=status
    )
    session.add(dialogue)
    session.flush()
    issue = DialogueIssue(
        unit_id=unit_id, dialogue_id=dialogue.id, content="Vấn đề", tags=_tags(session, *codes)
    )
    session.add(issue)
    session.flush()
    return issue


def test_tags_from_the_four_sources_count_by_group_up_to_the_province(
    catalogue, alpha, world, period
):
    w = world.alpha
    org = w.org_mttq
    # Commune X, quarter I 2026 (15/12/2025–14/3/2026): one finding of each source.
    _tagged_case(alpha, w.commune_x, D(2026, 1, 5), "CT-1", "DD-7", area_id=w.area_x)
    _comment(alpha, w.commune_x, org, D(2026, 1, 20), "DD-7", "DD-3")  # one DD finding
    _recommendation(alpha, w.commune_x, org, D(2026, 2, 1), "DB-1")
    _issue(alpha, w.commune_x, org, D(2026, 2, 10), "CT-2")
    # Not counted: a cancelled dialogue, another period, a tag that is no manifestation.
    _issue(alpha, w.commune_x, org, D(2026, 2, 11), "CT-2", status=DialogueStatus.cancelled)
    _comment(alpha, w.commune_x, org, D(2026, 3, 20), "CT-1")
    _recommendation(alpha, w.commune_x, org, D(2026, 2, 2), "CV")
    # Commune Y: one comment.
    _comment(alpha, w.commune_y, org, D(2026, 2, 3), "CT-5")
    recompute_period(alpha, period)

    area_x = read_figures(alpha, period.id, w.area_x).consolidated
    assert {k: v for k, v in area_x.items() if k.startswith("activities.tw4")} == {
        "activities.tw4.CT": 1,
        "activities.tw4.DD": 1,
    }
    x = read_figures(alpha, period.id, w.commune_x)
    assert (x.own["activities.tw4.CT"], x.own["activities.tw4.DD"]) == (1, 1)
    x = x.consolidated
    assert (x["activities.tw4.CT"], x["activities.tw4.DD"], x["activities.tw4.DB"]) == (2, 2, 1)
    assert x["activities.tw4.CT.dialogue_issues"] == 1
    assert x["activities.tw4.DD.comments"] == 1
    assert x["activities.tw4.DB.recommendations"] == 1
    assert "activities.tw4.CT.comments" not in x

    province = read_figures(alpha, period.id, w.province)
    assert not any(k.startswith("activities.tw4") for k in province.own)
    total = province.consolidated
    assert (
        total["activities.tw4.CT"],
        total["activities.tw4.DD"],
        total["activities.tw4.DB"],
    ) == (3, 2, 1)
    assert total["activities.tw4.CT.comments"] == 1
    assert total["intake.tw4.CT"] == total["intake.tw4.DD"] == 1  # the cases' own count
    by_org = read_figures(alpha, period.id, w.province, org).consolidated
    assert by_org["activities.tw4.CT"] == 2  # the case names no organization
