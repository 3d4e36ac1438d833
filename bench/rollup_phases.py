"""Where a full recompute's time goes, phase by phase (`reports_rollup.py --phases N`): the
period's tree, the aggregate statements alone (rows fetched, nothing mapped), the own figures
(statements + the Python pass over their rows) fused and one statement per computation, the
roll-up up the tree, and the write. Medians of N runs, in the same process and database."""

from __future__ import annotations

import statistics

from rollup_data import timed


def measure(session, period, runs: int) -> dict[str, float]:
    from giamsat.core.db import utcnow
    from giamsat.reports.aggregation import (
        PeriodTree,
        compute_own,
        computed_indicators,
        consolidate,
        lock_period,
    )
    from giamsat.reports.indicators import COMPUTATIONS, Window
    from giamsat.reports.period_figures import replace_period_figures
    from giamsat.reports.scans import fused_statements

    window = Window(period.starts_on, period.ends_on)

    def statements() -> int:
        plan = computed_indicators(session)
        fetched, covered = 0, set()
        for stmt, _codes, keys in fused_statements(window, plan):
            covered |= keys
            fetched += len(session.execute(stmt).all())
        for key in plan:
            if key not in covered:
                fetched += len(session.execute(COMPUTATIONS[key](window)).all())
        return fetched

    def write(own, consolidated) -> None:
        replace_period_figures(session, period.id, own, consolidated, utcnow())
        session.flush()

    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        lock_period(session, period.id)
        tree, ms = timed(PeriodTree.load, session, period.ends_on)
        samples.setdefault("tree", []).append(ms)
        samples.setdefault("statements (fused), rows fetched", []).append(timed(statements)[1])
        own, ms = timed(compute_own, session, period, tree)
        samples.setdefault("own figures, fused (SQL + Python)", []).append(ms)
        ms = timed(compute_own, session, period, tree, fused=False)[1]
        samples.setdefault("own figures, one statement per computation", []).append(ms)
        consolidated, ms = timed(consolidate, tree, own)
        samples.setdefault("roll-up up the tree (Python)", []).append(ms)
        _, ms = timed(write, own, consolidated)
        samples.setdefault("write (upsert + delete)", []).append(ms)
        session.commit()
    return {name: statistics.median(values) for name, values in samples.items()}
