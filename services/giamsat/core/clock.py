"""The one clock: every "now" and "today" of the product comes from here.

Moments are stored in UTC; days are Vietnam's (the deployment's zone, `Asia/Ho_Chi_Minh` unless
`GIAMSAT_TIME_ZONE` says otherwise), so a form filled in at 00:47 on 6 December in Hà Nội is
dated 06/12 even while the server's own clock still says 5 December in UTC. Tests move time with
`time-machine`, which this module reads like any other caller.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
_zone = ZoneInfo(DEFAULT_ZONE)


def set_zone(name: str) -> None:
    """Use the deployment's zone (the app, worker and commands call this from Settings)."""
    global _zone
    _zone = zone_named(name)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (e.g. {DEFAULT_ZONE})") from None


def zone() -> ZoneInfo:
    return _zone


def now() -> dt.datetime:
    """This moment, timezone-aware in UTC (what the database stores)."""
    return dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """This moment on the local wall clock."""
    return now().astimezone(_zone)


def today() -> dt.date:
    """Today's date in the deployment's zone."""
    return local_now().date()


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` (aware; naive is taken as UTC) on the local wall clock."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(_zone)


def local_day(moment: dt.datetime) -> dt.date:
    """The local calendar day `moment` falls on."""
    return local(moment).date()


def day_starts_at(day: dt.date) -> dt.datetime:
    """The UTC moment the local `day` begins (for "everything recorded on day X" queries)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=_zone).astimezone(dt.UTC)


def format_day(day: dt.date | dt.datetime | str | None) -> str:
    """dd/mm/yyyy (a moment is shown on its local day; an ISO date kept in JSON, e.g. a case
    event's details, is read first); empty for None."""
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if isinstance(day, dt.datetime):
        day = local_day(day)
    return f"{day:%d/%m/%Y}"


def format_moment(moment: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM on the local wall clock; empty for None."""
    return f"{local(moment):%d/%m/%Y %H:%M}" if moment is not None else ""
