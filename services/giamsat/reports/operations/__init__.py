"""State changes of reports, by concern: drafts (open, refresh, edit), review (submit, return,
accept), ad hoc requests, and scheduling recomputes for the other domains. Flush only; never
commit. The public steps are re-exported here: callers say `operations.submit_report`."""

from giamsat.reports.operations.ad_hoc import request_ad_hoc_report
from giamsat.reports.operations.common import AUTHORS, REVIEWERS, reviewer_unit
from giamsat.reports.operations.drafts import open_report, refresh_report, update_report
from giamsat.reports.operations.past_years import PastPeriods, generate_past_periods
from giamsat.reports.operations.review import (
    WITHDRAW_WINDOW,
    accept_report,
    can_withdraw,
    freeze,
    return_report,
    submit_report,
    submitted_on,
    withdraw_report,
)
from giamsat.reports.operations.scheduling import (
    RECOMPUTE_JOB,
    recompute_dedupe_key,
    schedule_for_case,
    schedule_recompute,
)

__all__ = [
    "AUTHORS",
    "PastPeriods",
    "RECOMPUTE_JOB",
    "REVIEWERS",
    "WITHDRAW_WINDOW",
    "accept_report",
    "can_withdraw",
    "freeze",
    "generate_past_periods",
    "open_report",
    "recompute_dedupe_key",
    "refresh_report",
    "request_ad_hoc_report",
    "return_report",
    "reviewer_unit",
    "schedule_for_case",
    "schedule_recompute",
    "submit_report",
    "submitted_on",
    "update_report",
    "withdraw_report",
]
