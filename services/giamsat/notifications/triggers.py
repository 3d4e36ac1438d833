"""Domain events → notify jobs. Only an outbox row is recorded here, in the caller's
transaction: nothing is looked up for recipients and no mail is sent inside a request."""

from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session

from giamsat.cases.events import CaseChanged
from giamsat.core.events import Event
from giamsat.jobs.outbox import record_job
from giamsat.letters.events import LetterOcrDone, LetterOcrFailed
from giamsat.reports.events import ReportChanged, ReportExportFinished, ReportRequested
from giamsat.tenancy.context import current_tenant_or_none

log = logging.getLogger(__name__)

NOTIFY = "giamsat.notifications.jobs.notify"


def _case_trigger(event: CaseChanged) -> tuple[str, str] | None:
    case = event.case
    details = getattr(event.event, "details", None) or {}
    if (
        event.action == "receive"
        and case.origin_case_id is not None
        and details.get("from") in ("escalate", "assign")
    ):
        # The continuing case at the receiving unit: "a case escalated or assigned to my unit".
        kind = "case_escalated_in" if details["from"] == "escalate" else "case_assigned_in"
        return kind, f"case:{case.id}:received"
    if event.action == "forward":
        # The competent body's response clock starts: the unit's users learn the due date.
        return "case_forwarded", f"case:{case.id}:forwarded:{case.due_on.isoformat()}"
    return None


def trigger_for(event: Event) -> tuple[str, int, str, int | None] | None:
    """(kind, object id, event key, actor to leave out) for events someone should hear about."""
    # Returned or accepted more than once over time: each time is its own event.
    stamp = time.time_ns() // 1_000_000
    if isinstance(event, CaseChanged):
        found = _case_trigger(event) if event.case.id is not None else None
        if found is None:
            return None
        return found[0], event.case.id, found[1], getattr(event.event, "actor_id", None)
    if isinstance(event, ReportChanged) and event.report.id is not None:
        report = event.report
        if event.action == "return":
            return "report_returned", report.id, f"report:{report.id}:returned:{stamp}", None
        if event.action == "accept":
            return "report_accepted", report.id, f"report:{report.id}:accepted", None
    if isinstance(event, ReportRequested) and event.period.id is not None:
        period = event.period
        return "report_requested", period.id, f"period:{period.id}:requested", None
    if (
        isinstance(event, LetterOcrFailed)
        and event.letter is not None
        and event.letter.id is not None
    ):
        letter = event.letter
        return "letter_ocr_failed", letter.id, f"letter:{letter.id}:ocr_failed:{stamp}", None
    if isinstance(event, LetterOcrDone) and event.letter is not None and event.letter.id:
        letter = event.letter
        return "letter_ocr_done", letter.id, f"letter:{letter.id}:ocr_done:{stamp}", None
    if isinstance(event, ReportExportFinished) and event.export.requested_by_id is not None:
        export, outcome = event.export, ("done" if event.ok else "failed")
        # One failure notice however many retries fail; a later success still says "done".
        return f"report_export_{outcome}", export.id, f"export:{export.id}:{outcome}", None
    return None


def on_event(session: Session, event: Event) -> None:
    found = trigger_for(event)
    if found is None:
        return
    scope = current_tenant_or_none()
    if scope is None or scope.session is not session:
        # Operations driven directly (tests, scripts) have no tenant to run a job in.
        log.debug("notification for %s skipped: no tenant context", type(event).__name__)
        return
    kind, object_id, event_key, actor_id = found
    record_job(
        session,
        NOTIFY,
        kind=kind,
        object_id=object_id,
        event_key=event_key,
        actor_id=actor_id,
        dedupe_key=f"notify:{scope.tenant_id}:{event_key}",
    )


#: The events notifications listen to (see the domain's declaration).
EVENTS = (
    CaseChanged,
    ReportChanged,
    ReportRequested,
    LetterOcrFailed,
    LetterOcrDone,
    ReportExportFinished,
)
