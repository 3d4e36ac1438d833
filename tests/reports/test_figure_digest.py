"""The digest written beside each figure row: what lets a full recompute send only the rows that
changed. It must be the digest of the row's figures on every write path, the same in every
process, and a row whose digest is not known must be rewritten, not trusted."""

from __future__ import annotations

import datetime as dt
import gc
import os
import subprocess
import sys

from sqlalchemy import select, update

from giamsat.reports.aggregation import recompute_period, recompute_unit
from giamsat.reports.figure_digest import digest
from giamsat.reports.models import Figure
from tests.plugins.reports import add_case

D = dt.date


def _rows(session, period_id) -> dict:
    stmt = select(
        Figure.unit_id,
        Figure.organization_id,
        Figure.own,
        Figure.consolidated,
        Figure.digest,
        Figure.computed_at,
    ).where(Figure.period_id == period_id)
    return {(r.unit_id, r.organization_id): r for r in session.execute(stmt)}


def test_every_write_path_stores_the_digest_of_the_figures_written(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    add_case(alpha, w.commune_y, D(2026, 1, 6), area_id=w.area_y, organization_id=w.org_mttq)
    recompute_period(alpha, period)
    full = _rows(alpha, period.id)
    assert len(full) >= 6
    for row in full.values():
        assert row.digest == digest(row.own, row.consolidated)

    add_case(alpha, w.commune_x, D(2026, 1, 7), area_id=w.area_x, organization_id=w.org_mttq)
    recompute_unit(alpha, period, w.area_x)
    per_unit = _rows(alpha, period.id)
    assert per_unit[(w.area_x, w.org_mttq)].own["intake.received"] == 1
    for row in per_unit.values():
        assert row.digest == digest(row.own, row.consolidated)
    # The full recompute agrees with what the per-unit job wrote: nothing left to rewrite.
    recompute_period(alpha, period)
    assert _rows(alpha, period.id) == per_unit


def test_a_row_whose_digest_is_not_known_is_rewritten(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    recompute_period(alpha, period)
    right = _rows(alpha, period.id)[(w.commune_x, None)]
    key = (Figure.period_id == period.id, Figure.unit_id == w.commune_x)

    # Figures changed behind the recompute's back, their digest cleared (as a restore of an old
    # dump without the column would leave it): the recompute puts the figures right.
    alpha.execute(update(Figure).where(*key).values(own={}, consolidated={}, digest=None))
    recompute_period(alpha, period)
    mended = _rows(alpha, period.id)[(w.commune_x, None)]
    assert (mended.own, mended.consolidated, mended.digest) == (
        right.own,
        right.consolidated,
        right.digest,
    )

    # Right figures, unknown digest: only the digest is written; computed_at stays when the
    # figures last changed.
    alpha.execute(update(Figure).where(*key).values(digest=None))
    recompute_period(alpha, period)
    again = _rows(alpha, period.id)[(w.commune_x, None)]
    assert again.digest == right.digest
    assert again.computed_at == mended.computed_at


def test_the_digest_is_the_same_in_every_process_and_follows_the_figures():
    own = {"intake.received": 3, "handling.forwarded": 1}
    consolidated = {"intake.received": 5, "handling.forwarded": 2, "intake.online": 1}
    here = digest(own, consolidated)
    code = (
        f"from giamsat.reports.figure_digest import digest;print(digest({own!r}, {consolidated!r}))"
    )
    for seed in ("1", "2"):  # str hashes differ between these processes; the digest must not
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert int(out.stdout) == here
    assert -(2**63) <= here < 2**63  # a BIGINT
    # Zero values count as absent (they are not stored); any other difference changes it.
    assert digest({**own, "intake.phone": 0}, consolidated) == here
    assert digest(own, own) == digest(dict(own), dict(own))
    swapped = {"intake.received": 1, "handling.forwarded": 3}
    assert digest(swapped, consolidated) != here
    assert digest(consolidated, own) != here
    assert digest(own, {**consolidated, "intake.online": 2}) != here


def test_the_cycle_collector_is_back_as_it_was_after_a_recompute(alpha, period):
    assert gc.isenabled()
    recompute_period(alpha, period)
    assert gc.isenabled()
    gc.disable()
    try:
        recompute_period(alpha, period)
        assert not gc.isenabled()
    finally:
        gc.enable()
