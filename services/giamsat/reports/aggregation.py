"""Figures from records: own figures per (unit, organization, period), consolidated up the tree
as it was at the period's end (merged units roll into their successors)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.core.db import utcnow
from giamsat.reports.indicators import COMPUTATIONS, Window
from giamsat.reports.models import Figure, Indicator, ReportPeriod
from giamsat.units.models import Unit, UnitLevel

#: (unit_id, organization_id or None for the whole unit) → {indicator code: value}
FigureMap = dict[tuple[int, int | None], Counter]


@dataclass(frozen=True)
class UnitRow:
    id: int
    parent_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    successor_id: int | None
    is_residential_area: bool

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class PeriodTree:
    """The unit tree as it was on `on` (a period's last day).

    Nodes are the units valid that day. Any other unit is *resolved* to a node: a unit merged
    away before `on` to its successor (followed as far as needed), a unit not yet created — or
    retired without successor — to its parent. Every unit resolves to some node (the root at
    worst), so no record is ever dropped from a roll-up."""

    def __init__(self, units: Iterable[UnitRow], on: dt.date):
        self.on = on
        self.units = {u.id: u for u in units}
        self._resolved: dict[int, int] = {}
        self.parent: dict[int, int | None] = {}
        self.children: dict[int, list[int]] = defaultdict(list)
        for unit in self.units.values():
            if unit.is_valid_on(on):
                parent = self._resolve_parent(unit)
                self.parent[unit.id] = parent
                if parent is not None:
                    self.children[parent].append(unit.id)

    @classmethod
    def load(cls, session: Session, on: dt.date) -> PeriodTree:
        rows = session.execute(
            select(
                Unit.id,
                Unit.parent_id,
                Unit.valid_from,
                Unit.valid_to,
                Unit.successor_id,
                UnitLevel.is_residential_area,
            ).join(UnitLevel, UnitLevel.code == Unit.level_code)
        )
        return cls((UnitRow(*row) for row in rows), on)

    def _resolve_parent(self, unit: UnitRow) -> int | None:
        return self.node_of(unit.parent_id) if unit.parent_id is not None else None

    def node_of(self, unit_id: int) -> int:
        """The node a unit's records count at in this period."""
        found = self._resolved.get(unit_id)
        if found is not None:
            return found
        seen = []
        current = unit_id
        while True:
            unit = self.units.get(current)
            if unit is None or unit.is_valid_on(self.on) or current in seen:
                break
            seen.append(current)
            if (
                unit.valid_to is not None
                and unit.valid_to <= self.on
                and unit.successor_id is not None
            ):
                current = unit.successor_id
            elif unit.parent_id is not None:
                current = unit.parent_id
            else:
                break  # a root that is not valid: it is its own node
        for unit_id_seen in seen:
            self._resolved[unit_id_seen] = current
        self._resolved[unit_id] = current
        if current not in self.parent:  # an invalid root reached: keep it as a node
            self.parent[current] = None
        return current

    def members(self, node: int) -> set[int]:
        """Every unit id whose records count at `node`."""
        return {uid for uid in self.units if self.node_of(uid) == node}

    def ancestors(self, node: int) -> list[int]:
        """Parent first, root last."""
        chain, current = [], self.parent.get(node)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent.get(current)
        return chain

    def nodes_bottom_up(self) -> list[int]:
        depth: dict[int, int] = {}
        for node in self.parent:
            depth[node] = len(self.ancestors(node))
        return sorted(depth, key=lambda n: -depth[n])


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
    session: Session, period: ReportPeriod, tree: PeriodTree, unit_ids: set[int] | None = None
) -> FigureMap:
    """Own figures from the records of `unit_ids` (every unit when None), at their nodes.

    Rows are per organization; the whole-unit row (organization None) is the sum of all of them
    plus records that name no organization."""
    window = Window(
        period.starts_on, period.ends_on, frozenset(unit_ids) if unit_ids is not None else None
    )
    own: FigureMap = defaultdict(Counter)
    for key, indicators in computed_indicators(session).items():
        for unit_id, org_id, slice_key, value in session.execute(COMPUTATIONS[key](window)):
            if not value:
                continue
            node = tree.node_of(unit_id)
            for code, argument in indicators:
                if argument and argument != slice_key:
                    continue
                if org_id is not None:
                    own[(node, org_id)][code] += int(value)
                own[(node, None)][code] += int(value)
    return own


def consolidate(tree: PeriodTree, own: FigureMap) -> FigureMap:
    """consolidated(n, org) = own(n, org) + Σ consolidated(child, org), bottom-up."""
    by_node: dict[int, dict[int | None, Counter]] = defaultdict(dict)
    for (node, org), figures in own.items():
        by_node[node][org] = figures
    consolidated: FigureMap = {}
    for node in tree.nodes_bottom_up():
        totals: dict[int | None, Counter] = defaultdict(Counter)
        for org, figures in by_node.get(node, {}).items():
            totals[org].update(figures)
        for child in tree.children.get(node, ()):
            for org, figures in by_node.get(child, {}).items():
                totals[org].update(figures)
        for org, figures in totals.items():
            consolidated[(node, org)] = figures
        # Parents read the child's consolidated figures from here on.
        by_node[node] = dict(totals)
    return consolidated


def _plain(counter: Counter | None) -> dict[str, int]:
    return {k: v for k, v in sorted((counter or {}).items()) if v}


def recompute_period(session: Session, period: ReportPeriod) -> int:
    """Every figure of `period` from scratch (nightly, or after the tree changed); flush only.
    Returns the number of figure rows written."""
    lock_period(session, period.id)
    tree = PeriodTree.load(session, period.ends_on)
    own = compute_own(session, period, tree)
    consolidated = consolidate(tree, own)
    now = utcnow()
    rows = [
        {
            "period_id": period.id,
            "unit_id": node,
            "organization_id": org,
            "own": _plain(own.get((node, org))),
            "consolidated": _plain(figures),
            "computed_at": now,
        }
        for (node, org), figures in consolidated.items()
        if figures or own.get((node, org))
    ]
    session.execute(delete(Figure).where(Figure.period_id == period.id))
    if rows:
        # Core executemany (batched VALUES), not the ORM bulk path, which groups rows by
        # their NULL columns into thousands of statements.
        session.connection().execute(Figure.__table__.insert(), rows)
    session.flush()
    return len(rows)


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
        values = {
            "period_id": period_id,
            "unit_id": node,
            "organization_id": org,
            "own": _plain(Counter(own_by_org.get(org, {}))),
            "consolidated": _plain(totals.get(org)),
            "computed_at": now,
        }
        stmt = insert(Figure).values(**values)
        session.execute(
            stmt.on_conflict_do_update(
                constraint="uq_report_figures_key",
                set_={
                    "own": stmt.excluded.own,
                    "consolidated": stmt.excluded.consolidated,
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
