"""The search, filters and order of the province's unit lists, read from the page's GET
arguments (`q`, `state`, `level`, `sort`), so every link and the pager keep them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from flask import request

from giamsat.core.vietnamese import matches, sort_key
from giamsat.reports.queries.unit_status import STATES, UnitStatus

#: Orders offered: by name (Vietnamese order), by state (worst first), by submission date.
SORTS = ("name", "state", "submitted")
_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class UnitFilters:
    q: str = ""
    state: str = ""
    level: str = ""
    sort: str = "name"

    @classmethod
    def from_request(cls) -> UnitFilters:
        """Unknown values fall back to "everything, by name" (a hand-edited link never fails)."""
        state = request.args.get("state", "")
        sort = request.args.get("sort", "name")
        return cls(
            q=request.args.get("q", "")[:100].strip(),
            state=state if state in STATES else "",
            level=request.args.get("level", "")[:40],
            sort=sort if sort in SORTS else "name",
        )

    def args(self, **changed) -> dict[str, str]:
        """The non-empty arguments, with `changed` applied: for links that keep the rest."""
        values = {"q": self.q, "state": self.state, "level": self.level, "sort": self.sort}
        values.update(changed)
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "name")}

    def apply(self, rows: list[UnitStatus]) -> list[UnitStatus]:
        kept = [
            r
            for r in rows
            if matches(self.q, r.name)
            and (not self.state or r.state == self.state)
            and (not self.level or r.unit.level_code == self.level)
        ]
        return sorted(kept, key=self._key)

    def _key(self, row: UnitStatus):
        name = sort_key(row.name)
        if self.sort == "state":
            return (STATES.index(row.state), name)
        if self.sort == "submitted":
            return (row.submitted_at or _NEVER, name)
        return (name,)


def state_counts(rows: list[UnitStatus]) -> dict[str, int]:
    """How many units are in each state, every state present (zero included)."""
    counts = Counter(r.state for r in rows)
    return {state: counts.get(state, 0) for state in STATES}


def levels_of(rows: list[UnitStatus]) -> list:
    """The levels (UnitLevel) of the units listed, top level first."""
    found = {r.unit.level_code: r.unit.level for r in rows}
    return sorted(found.values(), key=lambda level: level.rank)
