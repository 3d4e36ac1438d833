"""A period's figures along today's tree: what a past period (e.g. 2024, before the reform)
amounts to under the units that exist now — an old commune's records under its successor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.reports.aggregation import PeriodTree, compute_own, consolidate
from giamsat.reports.models import ReportPeriod
from giamsat.reports.queries.periods import get_period
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit


@dataclass
class CurrentTreeView:
    period: ReportPeriod
    unit: Unit
    organization_id: int | None
    #: The day whose tree the figures follow (today by default).
    on: dt.date
    #: Consolidated figures of the unit along that tree.
    totals: dict[str, int]
    #: Each child of the unit in that tree, with its consolidated figures (zero rows included).
    children: list[tuple[Unit, dict[str, int]]] = field(default_factory=list)


def current_tree_view(
    session: Session,
    principal,
    *,
    period_id: int,
    unit_id: int,
    organization_id: int | None = None,
    on: dt.date | None = None,
) -> CurrentTreeView:
    """The period's records counted through the tree as it is on `on` (today): each record at
    the unit that carries it on now (`PeriodTree.node_of`: a merged or split old commune's
    records under its primary successor, once), consolidated upwards. Computed on read, never
    stored: the stored figures of a period follow the tree of its own last day. Raises NotFound
    for a unit outside the principal's subtree or an unknown period."""
    unit = get_unit(session, unit_id, principal)
    period = get_period(session, period_id, principal)
    on = on or clock.today()
    tree = PeriodTree.load(session, on)
    consolidated = consolidate(tree, compute_own(session, period, tree))

    def figures(node: int) -> dict[str, int]:
        found = consolidated.get((node, organization_id)) or {}
        return {k: v for k, v in sorted(found.items()) if v}

    node = tree.node_of(unit.id)
    child_ids = tree.children.get(node, [])
    children = sorted(
        session.scalars(select(Unit).where(Unit.id.in_(child_ids))), key=lambda u: u.name
    )
    return CurrentTreeView(
        period,
        unit,
        organization_id,
        on,
        figures(node),
        [(child, figures(child.id)) for child in children],
    )
