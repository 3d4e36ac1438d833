"""Computations of one table family defined once, run either one statement per computation or
all of them in one scan.

A `Scan` is the table (with its joins) a family of computations counts over, the unit and
organization its rows are attributed to, and one `Part` per computation: its own condition, its
aggregate and its slice column. `grouped(key)` is that computation's own grouped statement (the
per-indicator path, registered in `COMPUTATIONS` as before); `fused(plan)` is one statement for
every part the plan needs: `GROUP BY unit, organization` with one `agg FILTER (WHERE part AND
slice = argument)` column per indicator, so the table is read once instead of once per
computation (a quarter's cases were aggregated six times)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    func,
    null,
    or_,
    select,
)
from sqlalchemy.sql.elements import Null
from sqlalchemy.sql.functions import FunctionElement

if TYPE_CHECKING:
    from giamsat.reports.indicators import Window

#: computation key → [(indicator code, argument)] (`aggregation.computed_indicators`).
Plan = Mapping[str, Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Part:
    """One computation of a scan. `additive`: the aggregate over all rows equals the sum of its
    per-slice values (count, sum — not a count of distinct records, which a record in two
    slices would make differ)."""

    where: ColumnElement[bool]
    value: FunctionElement[Any]
    slice: ColumnElement | None = None
    additive: bool = True


@dataclass(frozen=True)
class Scan:
    unit: ColumnElement
    org: ColumnElement
    #: Conditions every part shares: the unit scope (what keeps a per-unit job on its own
    #: rows) and any common date range.
    where: ColumnElement[bool]
    parts: dict[str, Part]
    joins: Callable[[Select], Select] = field(default=lambda stmt: stmt)

    def _keys(self) -> list[ColumnElement]:
        return [self.unit] if isinstance(self.org, Null) else [self.unit, self.org]

    def grouped(self, key: str) -> Select:
        """The computation's own statement: rows of (unit, organization, slice, value)."""
        part = self.parts[key]
        slice_col = part.slice if part.slice is not None else null()
        stmt = self.joins(select(*rows(self.unit, self.org, slice_col, part.value)))
        keys = self._keys() + ([part.slice] if part.slice is not None else [])
        return stmt.where(self.where, part.where).group_by(*keys)

    def fused(self, plan: Plan) -> tuple[Select, list[list[str]], set[str]] | None:
        """One statement for the parts `plan` names: rows of (unit, organization, value…), the
        indicator codes each value column adds to, and the computation keys covered. A part
        whose plan sums a non-additive aggregate over its slices is left to `grouped`."""
        columns, codes_of, covered, conditions = [], [], set(), []
        for key, part in self.parts.items():
            indicators = plan.get(key)
            if not indicators:
                continue
            every = [code for code, argument in indicators if not argument]
            if every and part.slice is not None and not part.additive:
                continue
            by_slice: dict[str, list[str]] = defaultdict(list)
            if part.slice is not None:  # no slice: an argument never matches (as in grouped)
                for code, argument in indicators:
                    if argument:
                        by_slice[argument].append(code)
            if every:
                columns.append(_plain_integer(part.value.filter(part.where)))
                codes_of.append(every)
            for argument, codes in by_slice.items():
                matches = cast(part.slice, String) == argument
                columns.append(_plain_integer(part.value.filter(and_(part.where, matches))))
                codes_of.append(codes)
            covered.add(key)
            if not any(part.where is seen for seen in conditions):  # parts sharing a condition
                conditions.append(part.where)
        if not columns:
            return None
        labelled = [col.label(f"v{i}") for i, col in enumerate(columns)]
        stmt = self.joins(
            select(self.unit.label("unit_id"), self.org.label("organization_id"), *labelled)
        )
        return stmt.where(self.where, or_(*conditions)).group_by(*self._keys()), codes_of, covered


def _plain_integer(aggregate: ColumnElement) -> ColumnElement:
    """A fused column as a plain integer, 0 where no row matched (a sum over no rows is NULL, a
    sum of BIGINTs a NUMERIC): its rows can be summed column by column as they come."""
    return cast(func.coalesce(aggregate, 0), BigInteger)


ScanBuilder = Callable[["Window"], Scan]
SCANS: list[ScanBuilder] = []


def rows(unit_col, org_col, key_col, value_col) -> list:
    """A computation's columns: (unit_id, organization_id, key as text, value)."""
    return [
        unit_col.label("unit_id"),
        org_col.label("organization_id"),
        cast(key_col, String).label("key"),
        value_col.label("value"),
    ]


def scan(builder: ScanBuilder) -> ScanBuilder:
    """Register a scan and, for each of its parts, the computation running that part alone."""
    # Imported here: `indicators` imports the modules that declare scans once it is defined.
    from giamsat.reports.indicators import Window, computation

    SCANS.append(builder)
    # Building a scan only builds expressions: any window names its parts.
    for key in builder(Window(dt.date.min, dt.date.min)).parts:
        computation(key)(lambda window, key=key: builder(window).grouped(key))
    return builder


def fused_statements(window: Window, plan: Plan) -> list[tuple[Select, list[list[str]], set[str]]]:
    """The fused statement of every registered scan the plan needs."""
    found = []
    for builder in SCANS:
        fused = builder(window).fused(plan)
        if fused is not None:
            found.append(fused)
    return found
