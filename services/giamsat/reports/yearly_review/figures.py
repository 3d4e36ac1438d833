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


def review_members(tree: PeriodTree, unit_id: int) -> set[int]:
    """The units whose records a unit's review counts: its own (with units merged into it) and
    those of its residential areas."""
    node = tree.node_of(unit_id)
    members = tree.members(node)
    for child in tree.children.get(node, ()):
        if tree.units[child].is_residential_area:
            members |= tree.members(child)
    return members


def compute_year(session: Session, unit_id: int, year: int, today: dt.date) -> dict[str, int]:
    """Every figure of CODES for the unit and year; records dated after `today` are planned,
    not held."""
    period = yearly_period(session, year)
    tree = PeriodTree.load(session, period.ends_on)
    units = sorted(review_members(tree, unit_id))
    held_by = min(today, period.ends_on)
    figures: Counter = Counter({code: 0 for code in CODES})
    figures.update(_plan_figures(session, units, year, period, held_by))
    figures.update(_recommendation_figures(session, units, period))
    figures.update(_dialogue_figures(session, units, period))
    own = compute_own(session, period, tree, set(units))
    for (_node, org), values in own.items():
        if org is None:  # the whole-unit rows: every organization and records without one
            for code in INDICATORS:
                figures[code] += values.get(code, 0)
    return dict(figures)


def _count(session: Session, stmt) -> int:
    return int(session.scalar(stmt) or 0)


def _plan_figures(session, units, year, period, held_by) -> dict[str, int]:
    A, P = SupervisionActivity, SupervisionPlan
    sessions_only = A.kind != ActivityKind.dissemination_conference
    of_plan = select(func.count()).select_from(A).join(P, P.id == A.plan_id)
    of_plan = of_plan.where(P.year == year, P.unit_id.in_(units), sessions_only)
    in_year = and_(
        A.unit_id.in_(units), sessions_only, A.starts_on.between(period.starts_on, held_by)
    )
    outside = or_(A.plan_id.is_(None), ~A.plan_id.in_(select(P.id).where(P.year == year)))
    return {
        "plan.approved": _count(
            session,
            select(func.count()).where(
                P.unit_id.in_(units), P.year == year, P.status == PlanStatus.approved
            ),
        ),
        "plan.activities_planned": _count(session, of_plan),
        "plan.activities_held": _count(session, of_plan.where(A.starts_on <= held_by)),
        "activities.held": _count(session, select(func.count()).where(in_year)),
        "activities.held_outside_plan": _count(
            session, select(func.count()).where(in_year, outside)
        ),
    }


def _recommendation_figures(session, units, period) -> dict[str, int]:
    R = Recommendation
    due = select(func.count()).where(
        R.unit_id.in_(units),
        R.due_on.between(period.starts_on, period.ends_on),
        R.status != RecommendationStatus.withdrawn,
    )
    return {
        "recommendations.due": _count(session, due),
        "recommendations.on_time": _count(
            session, due.where(R.answered_on.is_not(None), R.answered_on <= R.due_on)
        ),
        "recommendations.late": _count(session, due.where(R.answered_on > R.due_on)),
        "recommendations.unanswered": _count(session, due.where(R.answered_on.is_(None))),
    }


def _dialogue_figures(session, units, period) -> dict[str, int]:
    D, C = Dialogue, DialogueCommitment
    held = and_(
        D.unit_id.in_(units),
        D.status == DialogueStatus.held,
        D.held_on.between(period.starts_on, period.ends_on),
    )
    by_status = dict(
        session.execute(
            select(C.status, func.count())
            .join(D, D.id == C.dialogue_id)
            .where(held)
            .group_by(C.status)
        ).all()
    )
    return {
        "dialogues.held": _count(session, select(func.count()).where(held)),
        "commitments.total": sum(by_status.values()),
        "commitments.kept": by_status.get(CommitmentStatus.kept, 0),
        "commitments.broken": by_status.get(CommitmentStatus.broken, 0),
        "commitments.open": by_status.get(CommitmentStatus.open, 0),
    }


def review_figures(session: Session, unit_id: int, year: int, today: dt.date) -> dict:
    """What a review stores: this year's figures and the previous year's, side by side."""
    return {
        "current": compute_year(session, unit_id, year, today),
        "previous": compute_year(session, unit_id, year - 1, today),
    }
