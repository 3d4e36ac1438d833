"""Reports listen to the other domains' events: a changed record schedules the recompute of the
(unit, period) figures it counts in, through the outbox (debounced per unit and period)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from giamsat.cases.events import CaseChanged
from giamsat.core import clock
from giamsat.letters.events import LetterRecordChanged
from giamsat.reports.operations.scheduling import schedule_for_case, schedule_recompute
from giamsat.supervision.events import SupervisionRecordChanged

#: The dates a record counts on, by attribute name, for any supervision or letters record.
DATE_FIELDS = (
    "starts_on",
    "ends_on",
    "issued_on",
    "answered_on",
    "due_on",
    "held_on",
    "valid_from",
    "valid_to",
    "installed_on",
    "opened_at",
)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return (value.astimezone(clock.zone()) if value.tzinfo else value).date()
    return value if isinstance(value, dt.date) else None


def record_dates(obj: Any, before: dict | None) -> list[dt.date]:
    """Every date the record counts on, now and before the change (a moved date changes two
    periods), or today for records without dates of their own (comments, issues…)."""
    dates = {_as_date(getattr(obj, name, None)) for name in DATE_FIELDS}
    dates |= {_as_date((before or {}).get(name)) for name in DATE_FIELDS}
    activity = getattr(obj, "activity", None)  # a comment counts when its activity took place
    if activity is not None:
        dates.add(_as_date(activity.starts_on))
    dialogue = getattr(obj, "dialogue", None)  # an issue counts when its dialogue was held
    if dialogue is not None:
        dates.add(_as_date(dialogue.held_on))
    dates.discard(None)
    return sorted(dates) or [clock.today()]


def on_case_changed(session: Session, event: CaseChanged) -> None:
    if getattr(event.case, "unit_id", None) is not None:
        schedule_for_case(session, event.case)


def on_record_changed(
    session: Session, event: LetterRecordChanged | SupervisionRecordChanged
) -> None:
    obj = event.obj
    if obj is not None and hasattr(obj, "unit_id"):
        schedule_recompute(session, obj.unit_id, *record_dates(obj, event.before))
