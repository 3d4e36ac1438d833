"""The unit tree as it was on a period's last day: which node each unit's records count at
(merged units roll into their successors, units not yet created into their parent)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.units.models import Unit, UnitLevel


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
