"""Figures from records: own figures per (unit, organization, period), consolidated up the tree
as it was at the period's end (merged units roll into their successors)."""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import compress
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.core.db import driver_rows, utcnow
from giamsat.reports.figure_digest import digest
from giamsat.reports.indicators import COMPUTATIONS, Window
from giamsat.reports.models import Figure, Indicator, ReportPeriod
from giamsat.reports.period_figures import plain as _plain
from giamsat.reports.period_figures import replace_period_figures
from giamsat.reports.period_tree import PeriodTree, UnitRow
from giamsat.reports.scans import fused_statements

__all__ = ["PeriodTree", "UnitRow", "recompute_period", "recompute_unit"]

#: (unit_id, organization_id or None for the whole unit) → {indicator code: value}. Plain dicts,
#: not Counters: a province has ~50,000 of them and Counter() costs a Python-level __init__.
FigureMap = dict[tuple[int, int | None], dict[str, int]]


def computed_indicators(session: Session) -> dict[str, list[tuple[str, str]]]:
    """computation key → [(indicator code, argument)] for the active computed indicators."""
    plan: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ind in session.scalars(
        select(Indicator).where(Indicator.is_active.is_(True), Indicator.computation != "manual")
    ):
        if ind.computation in COMPUTATIONS:
            plan[ind.computation].append((ind.code, ind.argument))
    return plan


def compute_own(
    session: Session,
    period: ReportPeriod,
    tree: PeriodTree,
    unit_ids: set[int] | None = None,
    *,
    fused: bool = True,
) -> FigureMap:
    """Own figures from the records of `unit_ids` (every unit when None), at their nodes: one
    statement per table family (`scans`; `fused=False`: one per computation, the reference the
    tests hold it to) over the whole window — never one per unit — and one pass in Python over
    its rows.

    Rows are per organization; the whole-unit row (organization None) is the sum of all of them
    plus records that name no organization."""
    window = Window(
        period.starts_on, period.ends_on, frozenset(unit_ids) if unit_ids is not None else None
    )
    plan = computed_indicators(session)
    own: FigureMap = {}
    node_of = tree.node_of

    def owners(unit_id: int, org_id: int | None) -> list[dict[str, int]]:
        node = node_of(unit_id)
        keys = ((node, None), (node, org_id)) if org_id is not None else ((node, None),)
        return [own.setdefault(key, {}) for key in keys]

    def add(targets: list[dict[str, int]], codes: list[str], value: int) -> None:
        for figures in targets:
            for code in codes:
                figures[code] = figures.get(code, 0) + value

    covered: set[str] = set()
    for stmt, codes_of, keys in fused_statements(window, plan) if fused else ():
        covered |= keys
        _add_fused_rows(own, node_of, codes_of, driver_rows(session, stmt))
    for key, indicators in plan.items():
        if key in covered:
            continue
        every = [code for code, argument in indicators if not argument]
        by_slice: dict[str, list[str]] = defaultdict(list)
        for code, argument in indicators:
            if argument:
                by_slice[argument].append(code)
        for unit_id, org_id, slice_key, value in driver_rows(session, COMPUTATIONS[key](window)):
            if not value:
                continue
            codes = every + by_slice[slice_key] if slice_key in by_slice else every
            if codes:
                add(owners(unit_id, org_id), codes, int(value))
    return own


def _add_fused_rows(
    own: FigureMap,
    node_of: Callable[[int], int],
    codes_of: list[list[str]],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Add a fused statement's rows (unit, organization, value…) to the own figures: each row to
    its (node, organization), and every row of a node, summed column by column, to (node, None).
    The hot loop of a recompute (23,000 rows of 22 values on a large quarter), so the maps are
    built by zip/compress in C; a key already there (a merged unit, another scan) is added to."""
    codes = [code for column in codes_of for code in column]
    spread = None
    if len(codes) != len(codes_of):  # a column counting for several indicators
        spread = [i for i, column in enumerate(codes_of) for _ in column]

    def put(key: tuple[int, int | None], values: Sequence[int]) -> None:
        if spread is not None:
            values = [values[i] for i in spread]
        figures = dict(compress(zip(codes, values, strict=True), values))
        if not figures:
            return
        have = own.get(key)
        if have is None:
            own[key] = figures
            return
        for code, value in figures.items():
            have[code] = have.get(code, 0) + value

    of_node: dict[int, list[Sequence[int]]] = defaultdict(list)
    for unit_id, org_id, *values in rows:
        node = node_of(unit_id)
        of_node[node].append(values)
        if org_id is not None:
            put((node, org_id), values)
    for node, all_values in of_node.items():
        put(
            (node, None),
            all_values[0] if len(all_values) == 1 else [*map(sum, zip(*all_values, strict=True))],
        )


def consolidate(tree: PeriodTree, own: FigureMap) -> FigureMap:
    """consolidated(n, org) = own(n, org) + Σ consolidated(child, org), bottom-up. A node without
    children shares its own maps (nothing writes to them afterwards)."""
    by_node: dict[int, dict[int | None, dict[str, int]]] = defaultdict(dict)
    for (node, org), figures in own.items():
        by_node[node][org] = figures
    consolidated: FigureMap = {}
    for node in tree.nodes_bottom_up():
        children = tree.children.get(node, ())
        mine = by_node.get(node, {})
        if children:
            totals = {org: dict(figures) for org, figures in mine.items()}
            for child in children:
                for org, figures in by_node.get(child, {}).items():
                    total = totals.get(org)
                    if total is None:
                        totals[org] = dict(figures)
                        continue
                    for code, value in figures.items():
                        total[code] = total.get(code, 0) + value
            # Parents read the child's consolidated figures from here on.
            by_node[node] = totals
            mine = totals
        for org, figures in mine.items():
            consolidated[(node, org)] = figures
    return consolidated


def recompute_period(session: Session, period: ReportPeriod) -> int:
    """Every figure of `period` from scratch (nightly, or after the tree changed); flush only.
    A fixed number of statements whatever the number of units: one per table family, and one
    that upserts the rows whose figures changed and deletes the emptied ones (`period_figures`).
    Returns the number of the period's figure rows (changed or not)."""
    lock_period(session, period.id)
    with _cyclic_gc_paused():
        tree = PeriodTree.load(session, period.ends_on)
        own = compute_own(session, period, tree)
        rows = replace_period_figures(session, period.id, own, consolidate(tree, own), utcnow())
    session.flush()
    return rows


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A full recompute builds ~100,000 small dicts, lists and tuples (none in a cycle): each
    allocation burst set off collections that walked every object of the process, 50 ms of
    a quarter's 500 ms at random. Reference counting still frees everything; the cycle
    collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def recompute_unit(session: Session, period: ReportPeriod, unit_id: int) -> list[int]:
    """A unit's own figures from its records, then the consolidated figures of it and its
    ancestors only (not the whole tenant); flush only. Returns the node ids written, the unit's
    node first."""
    lock_period(session, period.id)
    tree = PeriodTree.load(session, period.ends_on)
    node = tree.node_of(unit_id)
    if session.scalar(select(Figure.id).where(Figure.period_id == period.id).limit(1)) is None:
        # Nothing computed for this period yet (a new period): the path alone would miss the
        # other units' figures, so compute all of it once.
        recompute_period(session, period)
        return [node, *tree.ancestors(node)]
    own = compute_own(session, period, tree, tree.members(node))
    now = utcnow()
    stored = _stored(session, period.id, [node])
    own_by_org = {org: _plain(figures) for (n, org), figures in own.items() if n == node}
    # Organizations that had figures before and now have none must be zeroed too.
    for _node, org in stored:
        own_by_org.setdefault(org, {})
    written = [node]
    _write_consolidated(session, period.id, tree, node, own_by_org, now)
    for ancestor in tree.ancestors(node):
        ancestor_own = {
            org: row.own for (n, org), row in _stored(session, period.id, [ancestor]).items()
        }
        _write_consolidated(session, period.id, tree, ancestor, ancestor_own, now)
        written.append(ancestor)
    session.flush()
    return written


def _stored(session: Session, period_id: int, unit_ids: list[int]) -> dict:
    # Plain rows, not ORM objects: the upserts below bypass the identity map.
    rows = session.execute(
        select(Figure.unit_id, Figure.organization_id, Figure.own, Figure.consolidated).where(
            Figure.period_id == period_id, Figure.unit_id.in_(unit_ids)
        )
    )
    return {(row.unit_id, row.organization_id): row for row in rows}


def _write_consolidated(
    session: Session,
    period_id: int,
    tree: PeriodTree,
    node: int,
    own_by_org: dict[int | None, dict],
    now: dt.datetime,
) -> None:
    children = tree.children.get(node, [])
    totals: dict[int | None, Counter] = defaultdict(Counter)
    for org, figures in own_by_org.items():
        totals[org].update(figures)
    if children:
        for (_child, org), row in _stored(session, period_id, children).items():
            totals[org].update(row.consolidated)
    orgs = set(totals) | {org for (_, org) in _stored(session, period_id, [node])}
    for org in orgs:
        own_figures = _plain(Counter(own_by_org.get(org, {})))
        consolidated = _plain(totals.get(org))
        values = {
            "period_id": period_id,
            "unit_id": node,
            "organization_id": org,
            "own": own_figures,
            "consolidated": consolidated,
            "digest": digest(own_figures, consolidated),
            "computed_at": now,
        }
        stmt = insert(Figure).values(**values)
        session.execute(
            stmt.on_conflict_do_update(
                constraint="uq_report_figures_key",
                set_={
                    "own": stmt.excluded.own,
                    "consolidated": stmt.excluded.consolidated,
                    "digest": stmt.excluded.digest,
                    "computed_at": stmt.excluded.computed_at,
                },
            )
        )


def lock_period(session: Session, period_id: int) -> None:
    """Recomputes of one period take turns (two jobs on sibling units would otherwise each write
    the common ancestors from a stale read). NO KEY UPDATE leaves foreign-key checks unblocked."""
    session.execute(
        select(ReportPeriod.id).where(ReportPeriod.id == period_id).with_for_update(key_share=True)
    )
