"""Vietnam's working days: deadlines counted in working days, never calendar days.

Weekends, public holidays (lunar Tết included) and the government's swapped days off come from
the `holidays` package; a tenant may add local days off (e.g. a provincial holiday) as data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year], language="vi")


class WorkCalendar:
    """Working-day arithmetic for one tenant (national calendar + its extra days off)."""

    def __init__(self, extra_days_off: Iterable[dt.date] = ()):
        self.extra_days_off = frozenset(extra_days_off)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_days_off:
            return False
        return _national(day.year).is_working_day(day)

    def holiday_name(self, day: dt.date) -> str | None:
        return _national(day.year).get(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The day `days` working days after `start` (start itself not counted).

        Received on Friday with 1 working day → due the next working Monday."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        remaining = days
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


NATIONAL = WorkCalendar()
