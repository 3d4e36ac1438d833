"""The notifications domain as the app, worker and commands see it."""

from __future__ import annotations

from giamsat.core.domain import Domain
from giamsat.notifications import api, jobs, report_reminders, triggers, views
from giamsat.reports.reminding import MISSING_REPORT_REMINDERS

DOMAIN = Domain(
    name="notifications",
    depends_on=("accounts", "cases", "letters", "reports", "supervision", "units"),
    api_blueprints=api.BLUEPRINTS,
    page_blueprints=(views.bp,),
    # "Thông báo (3)": the label carries the user's unread count, counted only when shown.
    nav_links=lambda: [("notifications_pages.index", views.nav_label())],
    periodic_jobs=tuple(jobs.PERIODIC),
    # Another domain's change that someone should hear about: record a notify job (outbox).
    listeners=tuple((event, triggers.on_event) for event in triggers.EVENTS),
    # The province's "remind the units that have not sent their report" button.
    hooks=((MISSING_REPORT_REMINDERS, report_reminders.send_missing_reminders),),
)
