"""Indicator computations over the boards' own work (Ban TTND, Ban GSĐTCĐ): activities,
findings and recommendations carrying a `board_id`, sliced by the board's kind. Attributed to
the activity's (recommendation's) unit and organization, so they roll up the tree like the
Front's own figures."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from giamsat.reports.indicators import Window, _rows, computation
from giamsat.supervision.board_models import SupervisionBoard
from giamsat.supervision.models import (
    Recommendation,
    RecommendationStatus,
    SupervisionActivity,
    SupervisionComment,
)

A = SupervisionActivity
B = SupervisionBoard
R = Recommendation


@computation("boards.sessions")
def board_sessions(window: Window) -> Select:
    return (
        select(*_rows(A.unit_id, A.organization_id, B.kind, func.count()))
        .join(B, B.id == A.board_id)
        .where(window.dates(A.starts_on), window.units(A.unit_id))
        .group_by(A.unit_id, A.organization_id, B.kind)
    )


@computation("boards.findings")
def board_findings(window: Window) -> Select:
    C = SupervisionComment
    return (
        select(*_rows(C.unit_id, A.organization_id, B.kind, func.count()))
        .join(A, A.id == C.activity_id)
        .join(B, B.id == A.board_id)
        .where(window.dates(A.starts_on), window.units(C.unit_id))
        .group_by(C.unit_id, A.organization_id, B.kind)
    )


@computation("boards.recommendations_issued")
def board_recommendations_issued(window: Window) -> Select:
    return (
        select(*_rows(R.unit_id, R.organization_id, B.kind, func.count()))
        .join(B, B.id == R.board_id)
        .where(window.dates(R.issued_on), window.units(R.unit_id))
        .group_by(R.unit_id, R.organization_id, B.kind)
    )


@computation("boards.recommendations_answered")
def board_recommendations_answered(window: Window) -> Select:
    return (
        select(*_rows(R.unit_id, R.organization_id, B.kind, func.count()))
        .join(B, B.id == R.board_id)
        .where(
            window.dates(R.answered_on),
            window.units(R.unit_id),
            R.status.in_(
                [RecommendationStatus.answered_accepted, RecommendationStatus.answered_explained]
            ),
        )
        .group_by(R.unit_id, R.organization_id, B.kind)
    )
