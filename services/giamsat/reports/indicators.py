"""The indicator catalogue (data/indicators.toml) and the registered computations over records.

A computation is a function `(window: Window) -> Select` returning rows of
(unit_id, organization_id, key, value): one figure per unit the records are attributed to,
organization (None when the record has none) and slice key (a channel, a kind…; None when the
computation has no slices). An indicator names a computation and optionally one slice.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    distinct,
    func,
    literal,
    or_,
    select,
)

from giamsat.cases.models import Case, CaseTag, ClassificationCategory
from giamsat.core import clock
from giamsat.reports.scans import rows as _rows

MANUAL = "manual"
GROUPS = ("activities", "intake", "handling", "outcomes")
#: Dates of timestamps (event times, box openings) are Vietnam dates.


@dataclass(frozen=True)
class Window:
    """What a computation counts: records dated `starts_on`..`ends_on` (inclusive), attributed
    to `unit_ids` (None: every unit)."""

    starts_on: dt.date
    ends_on: dt.date
    unit_ids: frozenset[int] | None = None

    def units(self, column) -> ColumnElement[bool]:
        if self.unit_ids is None:
            return literal(True)
        return column.in_(sorted(self.unit_ids))

    def dates(self, column) -> ColumnElement[bool]:
        return column.between(self.starts_on, self.ends_on)

    def instants(self, column) -> ColumnElement[bool]:
        """A timestamp column within the window's Vietnam days."""
        start = dt.datetime.combine(self.starts_on, dt.time(), clock.zone())
        end = dt.datetime.combine(self.ends_on + dt.timedelta(days=1), dt.time(), clock.zone())
        return and_(column >= start, column < end)


Computation = Callable[[Window], Select]
COMPUTATIONS: dict[str, Computation] = {}


def computation(key: str) -> Callable[[Computation], Computation]:
    def register(fn: Computation) -> Computation:
        if key in COMPUTATIONS:
            raise ValueError(f"computation {key} registered twice")
        COMPUTATIONS[key] = fn
        return fn

    return register


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    group: str
    label: str
    unit: str
    computation: str
    argument: str = ""
    method: str = ""
    sort_order: int = 0

    @property
    def is_manual(self) -> bool:
        return self.computation == MANUAL


def load_catalogue() -> list[IndicatorSpec]:
    """The shipped catalogue, checked: unique codes, known groups and computations."""
    text = resources.files("giamsat.reports").joinpath("data/indicators.toml").read_text("utf-8")
    specs = []
    for order, row in enumerate(tomllib.loads(text)["indicator"], start=1):
        spec = IndicatorSpec(
            code=row["code"],
            group=row["group"],
            label=row["label"],
            unit=row["unit"],
            computation=row["computation"],
            argument=row.get("argument", ""),
            method=row.get("method", ""),
            sort_order=order * 10,
        )
        if spec.group not in GROUPS:
            raise ValueError(f"indicator {spec.code}: unknown group {spec.group}")
        if not spec.is_manual and spec.computation not in COMPUTATIONS:
            raise ValueError(f"indicator {spec.code}: unknown computation {spec.computation}")
        specs.append(spec)
    codes = [s.code for s in specs]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate indicator codes in indicators.toml")
    return specs


# --- cases ---------------------------------------------------------------------------------------

#: A case counts at its residential area when it names one (suggestion boxes, QR forms), else at
#: the unit whose queue holds it.
CASE_UNIT = func.coalesce(Case.area_id, Case.unit_id)


def _case_units(window: Window) -> ColumnElement[bool]:
    if window.unit_ids is None:
        return literal(True)
    ids = sorted(window.unit_ids)
    return or_(Case.area_id.in_(ids), and_(Case.area_id.is_(None), Case.unit_id.in_(ids)))


def _intake(window: Window) -> ColumnElement[bool]:
    """Cases first received in the window: a case continued from another unit (escalated or
    assigned) was already counted where it was first received."""
    return and_(Case.origin_case_id.is_(None), window.dates(Case.received_on))


def _new_intake(window: Window) -> ColumnElement[bool]:
    return and_(_intake(window), _case_units(window))


@computation("cases.received_by_group")
def cases_received_by_group(window: Window) -> Select:
    group = ClassificationCategory.group_code
    return (
        select(*_rows(CASE_UNIT, Case.organization_id, group, func.count(distinct(Case.id))))
        .join(CaseTag, CaseTag.case_id == Case.id)
        .join(ClassificationCategory, ClassificationCategory.id == CaseTag.category_id)
        .where(_new_intake(window))
        .group_by(CASE_UNIT, Case.organization_id, group)
    )


# The counts of supervision, boards, suggestion boxes, findings and channels, and the case
# counts by the people concerned, live beside this module; importing them registers them (at
# the end, once Window, computation and _rows exist).
from giamsat.reports import (  # noqa: E402, F401
    activity_counts,
    board_counts,
    case_counts,
    channel_counts,
    concerned_counts,
    finding_counts,
)
