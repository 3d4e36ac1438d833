"""The figures a yearly review is prefilled with, for one unit and one year.

The year is the yearly report period's window (15/12 of the year before to 14/12 by default),
so the review and the yearly report count the same records. A unit's figures are its own
records and its residential areas' (which write no review); a parent's roll-up adds its
children's reviews, never counting a record twice.

Programme figures (plan, recommendations, dialogues) are counted here; intake and forwarding
come from the report indicators' own computations (`aggregation.compute_own`), so they agree
with the reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from giamsat.reports.aggregation import PeriodTree, compute_own
from giamsat.reports.calendar import ensure_periods
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.supervision.models import (
    ActivityKind,
    CommitmentStatus,
    Dialogue,
    DialogueCommitment,
    DialogueStatus,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
    SupervisionActivity,
    SupervisionPlan,
)


@dataclass(frozen=True)
class ReviewFigure:
    code: str
    label: str
    unit_of_measure: str
    #: A share worth printing beside the figure: (numerator code, denominator code).
    share_of: str = ""


#: The programme's own figures, then the report indicators taken over, in print order.
PROGRAMME = (
    ReviewFigure("plan.approved", "Kế hoạch giám sát đã được duyệt", "kế hoạch"),
    ReviewFigure("plan.activities_planned", "Cuộc giám sát theo kế hoạch của năm", "cuộc"),
    ReviewFigure(
        "plan.activities_held",
        "trong đó: đã tổ chức",
        "cuộc",
        share_of="plan.activities_planned",
    ),
    ReviewFigure("activities.held", "Cuộc giám sát đã tổ chức trong năm (mọi hình thức)", "cuộc"),
    ReviewFigure("activities.held_outside_plan", "trong đó: ngoài kế hoạch", "cuộc"),
    ReviewFigure("recommendations.due", "Kiến nghị đến hạn trả lời trong năm", "kiến nghị"),
    ReviewFigure(
        "recommendations.on_time",
        "trong đó: được trả lời đúng hạn",
        "kiến nghị",
        share_of="recommendations.due",
    ),
    ReviewFigure("recommendations.late", "trong đó: được trả lời quá hạn", "kiến nghị"),
    ReviewFigure("recommendations.unanswered", "trong đó: chưa được trả lời", "kiến nghị"),
    ReviewFigure("dialogues.held", "Cuộc đối thoại đã tổ chức", "cuộc"),
    ReviewFigure("commitments.total", "Cam kết tại các cuộc đối thoại", "cam kết"),
    ReviewFigure(
        "commitments.kept", "trong đó: đã thực hiện", "cam kết", share_of="commitments.total"
    ),
    ReviewFigure("commitments.broken", "trong đó: không thực hiện", "cam kết"),
    ReviewFigure("commitments.open", "trong đó: đang theo dõi", "cam kết"),
)
#: Report indicators the review repeats (labels and units come from the tenant's catalogue).
INDICATORS = (
    "intake.received",
    "intake.received.suggestion_box",
    "intake.box_openings",
    "handling.forwarded",
    "handling.answered_on_time",
    "handling.answered_late",
    "handling.overdue_unanswered",
    "handling.resolved",
    # TW4 manifestations by group across cases, comments, recommendations and dialogue issues.
    "activities.tw4.CT",
    "activities.tw4.DD",
    "activities.tw4.DB",
)
CODES = tuple(f.code for f in PROGRAMME) + INDICATORS


def yearly_period(session: Session, year: int) -> ReportPeriod:
    """The yearly report period of `year` (created from the calendar rules when missing)."""
    ensure_periods(session, [year])
    return session.scalars(
        select(ReportPeriod).where(
            ReportPeriod.kind == PeriodKind.yearly, ReportPeriod.year == year
        )
    ).one()


def _owners(tree: PeriodTree, unit_ids: list[int]) -> dict[int, int]:
    """node → the reviewing unit whose review counts its records: a unit's own node (with the
    units merged into it) and its residential areas' nodes."""
    owners: dict[int, int] = {}
    for unit_id in unit_ids:
        node = tree.node_of(unit_id)
        owners[node] = unit_id
        for child in tree.children.get(node, ()):
            if tree.units[child].is_residential_area:
                owners[child] = unit_id
    return owners


def compute_years(
    session: Session, unit_ids: list[int], year: int, today: dt.date
) -> dict[int, dict[str, int]]:
    """Every figure of CODES for each of `unit_ids` in `year`, in a fixed number of grouped
    queries however many units (the year-end job drafts a whole province at once). Records
    dated after `today` are planned, not held."""
    period = yearly_period(session, year)
    tree = PeriodTree.load(session, period.ends_on)
    owners = _owners(tree, unit_ids)
    members = {uid for node in owners for uid in tree.members(node)}
    figures = {uid: Counter({code: 0 for code in CODES}) for uid in unit_ids}

    def add(rows) -> None:
        for record_unit, values in rows:
            owner = owners.get(tree.node_of(record_unit))
            if owner is not None:
                figures[owner].update({k: int(v or 0) for k, v in values.items()})

    scope = _Scope(sorted(members), year, period, min(today, period.ends_on))
    for rows in (_plan_figures(session, scope), _recommendation_figures(session, scope)):
        add(rows)
    add(_dialogue_figures(session, scope))
    own = compute_own(session, period, tree, members)
    for (node, org), values in own.items():
        owner = owners.get(node)
        if org is None and owner is not None:  # whole-unit rows: every organization and none
            figures[owner].update({code: values.get(code, 0) for code in INDICATORS})
    return {uid: dict(counter) for uid, counter in figures.items()}


@dataclass(frozen=True)
class _Scope:
    units: list[int]
    year: int
    period: ReportPeriod
    held_by: dt.date


def _plan_figures(session: Session, scope: _Scope) -> list:
    A, P = SupervisionActivity, SupervisionPlan
    sessions_only = A.kind != ActivityKind.dissemination_conference
    rows: list = []
    for unit_id, approved in session.execute(
        select(P.unit_id, func.count())
        .where(P.unit_id.in_(scope.units), P.year == scope.year, P.status == PlanStatus.approved)
        .group_by(P.unit_id)
    ):
        rows.append((unit_id, {"plan.approved": approved}))
    for unit_id, planned, held in session.execute(
        select(P.unit_id, func.count(), func.count().filter(A.starts_on <= scope.held_by))
        .select_from(A)
        .join(P, P.id == A.plan_id)
        .where(P.year == scope.year, P.unit_id.in_(scope.units), sessions_only)
        .group_by(P.unit_id)
    ):
        rows.append((unit_id, {"plan.activities_planned": planned, "plan.activities_held": held}))
    this_years_plans = select(P.id).where(P.year == scope.year)
    outside = or_(A.plan_id.is_(None), A.plan_id.not_in(this_years_plans))
    for unit_id, held, unplanned in session.execute(
        select(A.unit_id, func.count(), func.count().filter(outside))
        .where(
            A.unit_id.in_(scope.units),
            sessions_only,
            A.starts_on.between(scope.period.starts_on, scope.held_by),
        )
        .group_by(A.unit_id)
    ):
        rows.append((unit_id, {"activities.held": held, "activities.held_outside_plan": unplanned}))
    return rows


def _recommendation_figures(session: Session, scope: _Scope) -> list:
    R = Recommendation
    stmt = (
        select(
            R.unit_id,
            func.count(),
            func.count().filter(R.answered_on <= R.due_on),
            func.count().filter(R.answered_on > R.due_on),
            func.count().filter(R.answered_on.is_(None)),
        )
        .where(
            R.unit_id.in_(scope.units),
            R.due_on.between(scope.period.starts_on, scope.period.ends_on),
            R.status != RecommendationStatus.withdrawn,
        )
        .group_by(R.unit_id)
    )
    return [
        (
            unit_id,
            {
                "recommendations.due": due,
                "recommendations.on_time": on_time,
                "recommendations.late": late,
                "recommendations.unanswered": unanswered,
            },
        )
        for unit_id, due, on_time, late, unanswered in session.execute(stmt)
    ]


COMMITMENT_CODES = {
    CommitmentStatus.kept: "commitments.kept",
    CommitmentStatus.broken: "commitments.broken",
    CommitmentStatus.open: "commitments.open",
}


def _dialogue_figures(session: Session, scope: _Scope) -> list:
    D, C = Dialogue, DialogueCommitment
    held = and_(
        D.unit_id.in_(scope.units),
        D.status == DialogueStatus.held,
        D.held_on.between(scope.period.starts_on, scope.period.ends_on),
    )
    rows: list = [
        (unit_id, {"dialogues.held": count})
        for unit_id, count in session.execute(
            select(D.unit_id, func.count()).where(held).group_by(D.unit_id)
        )
    ]
    for unit_id, status, count in session.execute(
        select(D.unit_id, C.status, func.count())
        .join(D, D.id == C.dialogue_id)
        .where(held)
        .group_by(D.unit_id, C.status)
    ):
        rows.append((unit_id, {"commitments.total": count, COMMITMENT_CODES[status]: count}))
    return rows


def review_figures_of(
    session: Session, unit_ids: list[int], year: int, today: dt.date
) -> dict[int, dict]:
    """What each review stores: this year's figures and the previous year's, side by side."""
    current = compute_years(session, unit_ids, year, today)
    previous = compute_years(session, unit_ids, year - 1, today)
    return {uid: {"current": current[uid], "previous": previous[uid]} for uid in unit_ids}


def review_figures(session: Session, unit_id: int, year: int, today: dt.date) -> dict:
    return review_figures_of(session, [unit_id], year, today)[unit_id]
