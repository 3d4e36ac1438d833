"""Working-day deadlines: weekends, Tết, swapped days, local days off."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.core.workdays import NATIONAL, WorkCalendar

D = dt.date


def test_weekend_is_skipped():
    # Friday 2026-11-27 + 1 working day = Monday 2026-11-30.
    assert NATIONAL.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_twenty_working_days_across_tet_2026():
    # Received Monday 9/2/2026; Tết holidays 16–20/2/2026 (Mon–Fri) are not working days.
    due = NATIONAL.add_working_days(D(2026, 2, 9), 20)
    assert due == D(2026, 3, 16)
    assert NATIONAL.working_days_between(D(2026, 2, 9), due) == 20
    # In calendar days it would have been 1/3.
    assert due - D(2026, 2, 9) == dt.timedelta(days=35)


def test_swapped_saturday_is_a_working_day_and_its_monday_is_off():
    assert NATIONAL.is_working_day(D(2026, 8, 22))  # Saturday worked
    assert not NATIONAL.is_working_day(D(2026, 8, 31))  # day off in exchange
    assert not NATIONAL.is_working_day(D(2026, 9, 2))  # National Day


def test_local_days_off_are_data():
    local = WorkCalendar(extra_days_off=[D(2026, 12, 1)])
    assert NATIONAL.add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 1)
    assert local.add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 2)


def test_holiday_names_are_vietnamese():
    assert "Tết" in NATIONAL.holiday_name(D(2026, 2, 17))


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        NATIONAL.add_working_days(D(2026, 1, 5), -1)


# --- property: a working-day deadline is a working day ------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=_DAYS, days=st.integers(min_value=1, max_value=90), off=st.lists(_DAYS, max_size=30))
def test_a_working_day_deadline_never_lands_on_a_day_off(start, days, off):
    calendar = WorkCalendar(extra_days_off=off)
    due = calendar.add_working_days(start, days)
    assert due.weekday() < 5 or NATIONAL.is_working_day(due)  # a weekend only if swapped in
    assert NATIONAL.holiday_name(due) is None
    assert due not in set(off)
    assert calendar.working_days_between(start, due) == days
