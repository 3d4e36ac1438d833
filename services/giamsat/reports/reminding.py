"""Reminding the units that have not sent a period's report, from the province's list of them:
the reports domain finds the units, the domain that sends notifications (above it) plugs in
the sending through MISSING_REPORT_REMINDERS, so reports never imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from giamsat.core.domain import Hook, implementations


@dataclass
class Reminded:
    """What one reminder action did: units reminded now, units already reminded today (left
    alone), and the notifications created."""

    units: int = 0
    already_today: int = 0
    notifications: int = 0


#: `(session, principal, tenant_id, period, {unit id: [user ids]}) -> Reminded`: remind the
#: people answering for each unit (those the confirmation listed), once per period, unit, day.
MISSING_REPORT_REMINDERS: Hook[Callable[..., Reminded]] = Hook("missing_report_reminders")


def reminder_sender() -> Callable[..., Any] | None:
    """The installed sender, None when no domain sends notifications."""
    found = implementations(MISSING_REPORT_REMINDERS)
    return found[0] if found else None
