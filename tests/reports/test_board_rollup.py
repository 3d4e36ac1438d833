"""The boards' own supervision (Ban TTND, Ban GSĐTCĐ) reaches the province like the Front's:
findings and recommendations of Ban TTND at two communes add up in the province figures."""

from __future__ import annotations

import datetime as dt

from giamsat.reports.aggregation import recompute_period
from giamsat.reports.queries import read_figures
from giamsat.supervision import operations
from giamsat.supervision.models import ActivityKind

D = dt.date


def _board_work(session, who, unit_id, org_id, *, kind="ttnd", findings=1, recommendations=1):
    board = operations.create_board(
        session, who, unit_id=unit_id, kind=kind, term_start_year=2024, term_end_year=2029
    )
    activity = operations.create_activity(
        session,
        who,
        unit_id=unit_id,
        organization_id=org_id,
        kind=ActivityKind.via_peoples_inspection if kind == "ttnd" else ActivityKind.thematic,
        title="Giám sát việc thu, chi quỹ xây dựng nông thôn mới",
        starts_on=D(2026, 2, 10),
        board_id=board.id,
    )
    for n in range(findings):
        operations.add_comment(session, who, activity.id, content=f"Phát hiện số {n + 1}")
    recs = [
        operations.issue_recommendation(
            session,
            who,
            unit_id=unit_id,
            organization_id=org_id,
            addressee_kind="authority",
            addressee_name="UBND xã",
            content=f"Kiến nghị số {n + 1}",
            expected_answer="accept",
            issued_on=D(2026, 2, 12),
            activity_id=activity.id,
        )
        for n in range(recommendations)
    ]
    return board, activity, recs


def test_ban_ttnd_findings_at_two_communes_reach_the_province(alpha, world, period, principal):
    w = world.alpha
    x_admin, y_admin = principal(alpha, "x-admin"), principal(alpha, "y-admin")
    _, _, x_recs = _board_work(alpha, x_admin, w.commune_x, w.org_mttq, findings=2)
    _board_work(alpha, y_admin, w.commune_y, w.org_mttq, findings=3, recommendations=2)
    _board_work(alpha, y_admin, w.commune_y, w.org_mttq, kind="gsdtcd", recommendations=0)
    # A recommendation after a board's activity is the board's; its answer counts too.
    assert x_recs[0].board_id is not None
    operations.answer_recommendation(
        alpha,
        x_admin,
        x_recs[0].id,
        outcome="accept",
        answer="Đã công khai thu, chi.",
        answered_on=D(2026, 3, 2),
    )
    recompute_period(alpha, period)

    x = read_figures(alpha, period.id, w.commune_x).own
    assert x["activities.board_sessions.ttnd"] == 1
    assert x["activities.board_findings.ttnd"] == 2
    assert x["activities.board_recommendations.ttnd"] == 1
    assert x["handling.board_recommendations_answered.ttnd"] == 1
    # The same activities are the "via Ban TTND" sessions of the Front's own count.
    assert x["activities.sessions.via_peoples_inspection"] == 1

    province = read_figures(alpha, period.id, w.province)
    assert province.own.get("activities.board_findings.ttnd") is None  # nothing of its own
    total = province.consolidated
    assert total["activities.board_sessions.ttnd"] == 2
    assert total["activities.board_findings.ttnd"] == 5
    assert total["activities.board_recommendations.ttnd"] == 3
    assert total["handling.board_recommendations_answered.ttnd"] == 1
    assert total["activities.board_sessions.gsdtcd"] == 1
    assert total["activities.board_findings.gsdtcd"] == 1
    assert "activities.board_recommendations.gsdtcd" not in total
    assert total["activities.sessions.via_peoples_inspection"] == 2
    # Per organization too: the boards' work was recorded under the Front committee.
    mttq = read_figures(alpha, period.id, w.province, w.org_mttq).consolidated
    assert mttq["activities.board_findings.ttnd"] == 5
