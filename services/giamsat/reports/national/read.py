"""The national read: one query per tenant, run as the national reader role, over the two views
of tenant migration 0013 (the province unit's figures and the province summary). No case, no
person, no unit below the province is in reach: the role is granted nothing else."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from giamsat.core.db import Database
from giamsat.reports.calendar import CalendarRules, periods_for_year
from giamsat.reports.models import PeriodKind
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.roles import current_prefix, national_role_for

#: The views, declared apart from the models (they are no tables to create); schema-less, so
#: each tenant session's translate map places them.
_VIEWS = MetaData()
FIGURES_VIEW = Table(
    "national_province_figures",
    _VIEWS,
    Column("period_id", Integer),
    Column("organization_code", String),
    Column("organization_name", String),
    Column("organization_order", Integer),
    Column("consolidated", JSONB),
    Column("computed_at", DateTime(timezone=True)),
)
SUMMARIES_VIEW = Table(
    "national_province_summaries",
    _VIEWS,
    Column("period_id", Integer),
    Column("kind", String),
    Column("year", Integer),
    Column("number", Integer),
    Column("title", String),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("due_on", Date),
    Column("expected", Integer),
    Column("submitted", Integer),
    Column("on_time", Integer),
    Column("late", Integer),
    Column("accepted", Integer),
    Column("not_submitted", Integer),
    Column("province_status", String),
    Column("province_is_late", Boolean),
    Column("province_submitted_at", DateTime(timezone=True)),
    Column("computed_at", DateTime(timezone=True)),
)

#: Regular kinds only: ad hoc requests are each province's own.
KINDS = (PeriodKind.quarterly, PeriodKind.six_monthly, PeriodKind.yearly)
NUMBERS = {PeriodKind.quarterly: 4, PeriodKind.six_monthly: 1, PeriodKind.yearly: 1}


@dataclass(frozen=True)
class PeriodKey:
    kind: PeriodKind
    year: int
    number: int = 1

    @property
    def default_title(self) -> str:
        """The title every tenant gives it (the calendar's), for a period no tenant has."""
        for spec in periods_for_year(CalendarRules.defaults(), self.year):
            if (spec.kind, spec.number) == (self.kind, self.number):
                return spec.title
        return f"{self.kind.value} {self.number}/{self.year}"


@dataclass
class ProvinceCompleteness:
    """Front units below the province in the period, and what became of their reports."""

    expected: int
    submitted: int
    on_time: int
    late: int
    accepted: int
    #: Not submitted, deadline not passed.
    pending: int
    #: Not submitted and the deadline has passed.
    missing: int
    #: The province's own report: a report status or "missing".
    province_status: str
    province_is_late: bool

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 1.0


@dataclass
class ProvinceLine:
    slug: str
    name: str
    province_code: int
    is_active: bool
    #: False when the tenant has no such period (not generated there).
    has_period: bool = False
    due_on: dt.date | None = None
    #: None while the summary was never computed (a period not started yet).
    completeness: ProvinceCompleteness | None = None
    #: The province unit's consolidated figures, whole Front (every organization).
    figures: dict[str, int] = field(default_factory=dict)
    #: organization code → its consolidated figures at the province.
    by_organization: dict[str, dict[str, int]] = field(default_factory=dict)
    computed_at: dt.datetime | None = None

    @property
    def is_behind(self) -> bool:
        """Late or missing units, a late or missing provincial report, or nothing to show."""
        c = self.completeness
        if c is None:
            return True
        return bool(c.missing or c.late or c.province_is_late)


@dataclass
class NationalView:
    period: PeriodKey
    title: str
    today: dt.date
    provinces: list[ProvinceLine]
    totals: dict[str, int]
    by_organization: dict[str, dict[str, int]]
    #: organization code → its name (as the first province names it), in display order.
    organizations: dict[str, str]
    ranking: list[ProvinceLine]

    @property
    def completeness(self) -> ProvinceCompleteness:
        """The national sum of the provinces' completeness."""
        parts = [p.completeness for p in self.provinces if p.completeness is not None]
        names = ("expected", "submitted", "on_time", "late", "accepted", "pending", "missing")
        sums = {n: sum(getattr(c, n) for c in parts) for n in names}
        return ProvinceCompleteness(
            **sums,
            province_status="",
            province_is_late=any(c.province_is_late for c in parts),
        )


def _statement(key: PeriodKey):
    s, f = SUMMARIES_VIEW.c, FIGURES_VIEW.c
    return (
        select(
            s.title,
            s.due_on,
            s.expected,
            s.submitted,
            s.on_time,
            s.late,
            s.accepted,
            s.not_submitted,
            s.province_status,
            s.province_is_late,
            f.organization_code,
            f.organization_name,
            f.organization_order,
            f.consolidated,
            f.computed_at,
        )
        .select_from(SUMMARIES_VIEW.outerjoin(FIGURES_VIEW, f.period_id == s.period_id))
        .where(s.kind == key.kind.value, s.year == key.year, s.number == key.number)
    )


def _completeness(row, today: dt.date) -> ProvinceCompleteness | None:
    if row.expected is None:
        return None
    overdue = today > row.due_on
    status = row.province_status or "missing"
    own_late = bool(row.province_is_late) or (
        overdue and status in ("missing", "draft", "returned")
    )
    return ProvinceCompleteness(
        expected=row.expected,
        submitted=row.submitted,
        on_time=row.on_time,
        late=row.late,
        accepted=row.accepted,
        pending=0 if overdue else row.not_submitted,
        missing=row.not_submitted if overdue else 0,
        province_status=status,
        province_is_late=own_late,
    )


def read_province(db: Database, tenant: Tenant, role: str, key: PeriodKey, today: dt.date):
    """One tenant's line: one query, as the national reader role, in a transaction that is
    rolled back (it writes nothing, and the role ends with it)."""
    line = ProvinceLine(tenant.slug, tenant.name, tenant.province_code, tenant.is_active)
    organizations: dict[str, tuple[int, str]] = {}
    with db.session(tenant.schema_name) as session:
        session.execute(text("SELECT set_config('role', :role, true)"), {"role": role})
        rows = session.execute(_statement(key)).all()
        session.rollback()
    for row in rows:
        line.has_period, line.due_on = True, row.due_on
        line.completeness = line.completeness or _completeness(row, today)
        figures = {k: int(v) for k, v in (row.consolidated or {}).items() if v}
        if row.computed_at is not None:
            line.computed_at = max(filter(None, (line.computed_at, row.computed_at)))
        if row.organization_code is None:
            if row.computed_at is not None:
                line.figures = figures
        else:
            line.by_organization[row.organization_code] = figures
            organizations[row.organization_code] = (
                row.organization_order or 0,
                row.organization_name,
            )
    return line, organizations, (rows[0].title if rows else None)


def national_role(db: Database, configured_prefix: str = "") -> str:
    with db.engine.connect() as conn:
        return national_role_for(current_prefix(conn, configured_prefix))


def _ranked(provinces: Iterable[ProvinceLine]) -> list[ProvinceLine]:
    """Provinces behind, the most missing units first, then the most late, then the lowest
    share submitted; a province without a summary for the period comes last."""

    def key(p: ProvinceLine):
        c = p.completeness
        if c is None:
            return (1, 0, 0, 0.0, p.name)
        return (0, -c.missing, -(c.late + c.province_is_late), c.rate, p.name)

    return sorted((p for p in provinces if p.is_behind), key=key)


def national_view(
    db: Database, tenants: Iterable[Tenant], key: PeriodKey, *, today: dt.date, role: str
) -> NationalView:
    """Every province's line for the period, the national totals by indicator and by
    organization, and the ranking of provinces late or missing."""
    provinces, titles = [], []
    organizations: dict[str, tuple[int, str]] = {}
    for tenant in tenants:
        line, orgs, title = read_province(db, tenant, role, key, today)
        provinces.append(line)
        titles.append(title)
        for code, value in orgs.items():
            organizations.setdefault(code, value)
    totals: Counter = Counter()
    by_org: dict[str, Counter] = defaultdict(Counter)
    for line in provinces:
        totals.update(line.figures)
        for code, figures in line.by_organization.items():
            by_org[code].update(figures)
    order = sorted(organizations, key=lambda c: (organizations[c][0], c))
    return NationalView(
        period=key,
        title=next((t for t in titles if t), key.default_title),
        today=today,
        provinces=sorted(provinces, key=lambda p: p.name),
        totals={k: v for k, v in sorted(totals.items()) if v},
        by_organization={c: dict(sorted(by_org[c].items())) for c in order},
        organizations={c: organizations[c][1] for c in order},
        ranking=_ranked(provinces),
    )
