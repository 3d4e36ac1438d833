"""A full recompute writes only the figure rows whose figures changed: a nightly rerun over
unchanged records leaves every row as it was (same row version, same `computed_at`), and the
rows of a unit whose figures disappeared are deleted, NULL-organization keys included."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import literal_column, select

from giamsat.cases.models import Case
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import Figure
from tests.plugins.reports import add_case

D = dt.date


def _rows(session, period_id) -> dict:
    """Key → (row version, computed_at, own, consolidated) of every figure row of the period:
    an update, even to the same values, gives the row a new ctid."""
    stmt = select(
        literal_column("report_figures.ctid::text").label("version"),
        Figure.unit_id,
        Figure.organization_id,
        Figure.computed_at,
        Figure.own,
        Figure.consolidated,
    ).where(Figure.period_id == period_id)
    return {
        (r.unit_id, r.organization_id): (r.version, r.computed_at, r.own, r.consolidated)
        for r in session.execute(stmt)
    }


def test_a_rerun_over_unchanged_records_updates_no_row(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    add_case(alpha, w.commune_y, D(2026, 1, 6), area_id=w.area_y, organization_id=w.org_mttq)
    recompute_period(alpha, period)
    before = _rows(alpha, period.id)
    assert (w.province, None) in before and (w.commune_y, w.org_mttq) in before

    recompute_period(alpha, period)
    assert _rows(alpha, period.id) == before


def test_a_change_rewrites_only_the_changed_rows_and_deletes_the_emptied_ones(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    gone = add_case(alpha, w.commune_y, D(2026, 1, 6), area_id=w.area_y, organization_id=w.org_mttq)
    recompute_period(alpha, period)
    before = _rows(alpha, period.id)

    add_case(alpha, w.commune_x, D(2026, 1, 7), area_id=w.area_x)
    alpha.delete(alpha.get(Case, gone.id))
    alpha.flush()
    recompute_period(alpha, period)
    after = _rows(alpha, period.id)

    # The case of Y was its organization's only one there: that row is gone.
    assert (w.commune_y, w.org_mttq) in before and (w.commune_y, w.org_mttq) not in after
    assert set(after) <= set(before)
    changed = {key for key in after if after[key][2:] != before[key][2:]}
    rewritten = {key for key in after if after[key][:2] != before[key][:2]}
    assert rewritten == changed
    assert {(w.area_x, None), (w.commune_x, None)} <= changed
    # One case more in X, one less in Y: the province's totals are the same, its row is left.
    assert after[(w.province, None)] == before[(w.province, None)]
    # The NULL-organization row of X is one row, updated in place, not a second one.
    assert after[(w.commune_x, None)][3]["intake.received"] == 2
    rows = alpha.execute(
        select(Figure.id).where(
            Figure.period_id == period.id,
            Figure.unit_id == w.commune_x,
            Figure.organization_id.is_(None),
        )
    ).all()
    assert len(rows) == 1
