"""One Vietnam clock: days and moments are Vietnam's whatever the server's zone, at the edges
where UTC and Vietnam disagree (23:30 UTC is already tomorrow; 17:00 UTC is midnight)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from giamsat.core import clock

UTC = dt.UTC


@pytest.fixture(autouse=True)
def vietnam():
    clock.set_zone(clock.DEFAULT_ZONE)
    yield
    clock.set_zone(clock.DEFAULT_ZONE)


@time_machine.travel(dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC), tick=False)
def test_half_past_eleven_utc_is_the_next_morning_in_vietnam():
    assert clock.now() == dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    assert clock.today() == dt.date(2026, 12, 6)
    assert clock.format_moment(clock.now()) == "06/12/2026 06:30"
    assert clock.format_day(clock.now()) == "06/12/2026"
    assert clock.day_starts_at(dt.date(2026, 12, 6)) == dt.datetime(2026, 12, 5, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    "utc, local_day",
    [
        (dt.datetime(2026, 12, 31, 16, 59, tzinfo=UTC), dt.date(2026, 12, 31)),
        (dt.datetime(2026, 12, 31, 17, 1, tzinfo=UTC), dt.date(2027, 1, 1)),
    ],
)
def test_the_last_minutes_of_a_quarter_belong_to_vietnams_calendar(utc, local_day):
    with time_machine.travel(utc, tick=False):
        assert clock.today() == local_day
        assert clock.local_day(clock.now()) == local_day


def test_the_zone_is_a_setting():
    clock.set_zone("UTC")
    with time_machine.travel(dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today() == dt.date(2026, 12, 5)
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        clock.set_zone("Mars/Olympus")


def test_days_kept_as_iso_text_are_shown_the_vietnamese_way():
    assert clock.format_day("2026-02-10") == "10/02/2026"
    assert clock.format_day(None) == clock.format_day("") == clock.format_moment(None) == ""
