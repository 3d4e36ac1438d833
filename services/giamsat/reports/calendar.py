"""The report calendar: periods of a year from the tenant rules (deadlines and cut-off days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.units.queries import get_rule

#: Seed defaults (DOMAIN.md §0, §7.1): due before 20th of the quarter's last month, before
#: 20/6, before 15/12. The same keys and defaults as tenancy/manifest.py.
DEFAULT_DEADLINES = {
    "report_deadline_quarterly": {"month_of_quarter": 3, "before_day": 20},
    "report_deadline_six_monthly": {"month": 6, "before_day": 20},
    "report_deadline_yearly": {"month": 12, "before_day": 15},
}
#: Cut-off convention [UNCONFIRMED, DOMAIN.md §7.1]: a period's records run up to the day before
#: the cut-off day and the next period starts on it. The default, the 15th of the quarter's last
#: month, makes the yearly report cover 15/12 of the previous year to 14/12 — complete before the
#: 15/12 deadline — and aligns quarters, half-year and year on the same days.
DEFAULT_CUTOFFS = {
    "report_cutoff_quarterly": {"month_of_quarter": 3, "day": 15},
    "report_cutoff_six_monthly": {"month": 6, "day": 15},
    "report_cutoff_yearly": {"month": 12, "day": 15},
}

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PeriodSpec:
    kind: PeriodKind
    year: int
    number: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class CalendarRules:
    quarterly_deadline: dict
    six_monthly_deadline: dict
    yearly_deadline: dict
    quarterly_cutoff: dict
    six_monthly_cutoff: dict
    yearly_cutoff: dict
    ad_hoc: bool = True

    @classmethod
    def defaults(cls) -> CalendarRules:
        d, c = DEFAULT_DEADLINES, DEFAULT_CUTOFFS
        return cls(
            d["report_deadline_quarterly"],
            d["report_deadline_six_monthly"],
            d["report_deadline_yearly"],
            c["report_cutoff_quarterly"],
            c["report_cutoff_six_monthly"],
            c["report_cutoff_yearly"],
        )


def calendar_rules(session: Session) -> CalendarRules:
    """The tenant's rules, each falling back to the seed default when absent."""

    def rule(key, defaults):
        return get_rule(session, key, defaults[key])

    d, c = DEFAULT_DEADLINES, DEFAULT_CUTOFFS
    return CalendarRules(
        quarterly_deadline=rule("report_deadline_quarterly", d),
        six_monthly_deadline=rule("report_deadline_six_monthly", d),
        yearly_deadline=rule("report_deadline_yearly", d),
        quarterly_cutoff=rule("report_cutoff_quarterly", c),
        six_monthly_cutoff=rule("report_cutoff_six_monthly", c),
        yearly_cutoff=rule("report_cutoff_yearly", c),
        ad_hoc=bool(get_rule(session, "report_ad_hoc", True)),
    )


def _day(year: int, month: int, day: int) -> dt.date:
    # Clamp to the month's last day (a 31 in a 30-day month; 29/2 in a common year).
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def _before(year: int, month: int, before_day: int) -> dt.date:
    """The last on-time day of "trước ngày `before_day`/`month`"."""
    return _day(year, month, before_day) - dt.timedelta(days=1)


def _cutoff(year: int, month: int, day: int) -> dt.date:
    return _day(year, month, day)


def _shift_year(month: int, year: int, months_back: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - months_back
    return index // 12, index % 12 + 1


def periods_for_year(rules: CalendarRules, year: int) -> list[PeriodSpec]:
    """The regular periods of `year`: quarters I–IV, the first half-year and the year."""
    specs = []
    qc, qd = rules.quarterly_cutoff, rules.quarterly_deadline
    for quarter in range(1, 5):
        month = (quarter - 1) * 3 + qc["month_of_quarter"]
        ends = _cutoff(year, month, qc["day"]) - dt.timedelta(days=1)
        prev_year, prev_month = _shift_year(month, year, 3)
        starts = _cutoff(prev_year, prev_month, qc["day"])
        due = _before(year, (quarter - 1) * 3 + qd["month_of_quarter"], qd["before_day"])
        specs.append(
            PeriodSpec(
                PeriodKind.quarterly,
                year,
                quarter,
                f"Quý {ROMAN[quarter]} năm {year}",
                starts,
                ends,
                due,
            )
        )
    hc, hd = rules.six_monthly_cutoff, rules.six_monthly_deadline
    prev_year, prev_month = _shift_year(hc["month"], year, 6)
    specs.append(
        PeriodSpec(
            PeriodKind.six_monthly,
            year,
            1,
            f"6 tháng đầu năm {year}",
            _cutoff(prev_year, prev_month, hc["day"]),
            _cutoff(year, hc["month"], hc["day"]) - dt.timedelta(days=1),
            _before(year, hd["month"], hd["before_day"]),
        )
    )
    yc, yd = rules.yearly_cutoff, rules.yearly_deadline
    specs.append(
        PeriodSpec(
            PeriodKind.yearly,
            year,
            1,
            f"Năm {year}",
            _cutoff(year - 1, yc["month"], yc["day"]),
            _cutoff(year, yc["month"], yc["day"]) - dt.timedelta(days=1),
            _before(year, yd["month"], yd["before_day"]),
        )
    )
    return specs


def ensure_periods(session: Session, years: list[int]) -> list[ReportPeriod]:
    """Create the missing regular periods of `years`; flush only. Existing periods are left as
    they are (reports may already refer to them); returns the created ones."""
    rules = calendar_rules(session)
    existing = {
        (p.kind, p.year, p.number)
        for p in session.scalars(
            select(ReportPeriod).where(
                ReportPeriod.year.in_(years), ReportPeriod.kind != PeriodKind.ad_hoc
            )
        )
    }
    created = []
    for year in years:
        for spec in periods_for_year(rules, year):
            if (spec.kind, spec.year, spec.number) in existing:
                continue
            period = ReportPeriod(
                kind=spec.kind,
                year=spec.year,
                number=spec.number,
                title=spec.title,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                due_on=spec.due_on,
            )
            session.add(period)
            created.append(period)
    session.flush()
    return created


def periods_containing(session: Session, day: dt.date) -> list[ReportPeriod]:
    """Every period (regular or ad hoc) whose record window contains `day`."""
    return list(
        session.scalars(
            select(ReportPeriod)
            .where(ReportPeriod.starts_on <= day, ReportPeriod.ends_on >= day)
            .order_by(ReportPeriod.id)
        )
    )


def is_on_time(period: ReportPeriod, submitted_on: dt.date) -> bool:
    return submitted_on <= period.due_on
