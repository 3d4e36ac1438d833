"""Domain events → notify jobs. Only an outbox row is recorded here, in the caller's
transaction: nothing is looked up for recipients and no mail is sent inside a request."""
from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session

from giamsat.jobs.outbox import record_job
from giamsat.tenancy.context import current_tenant_or_none

log = logging.getLogger(__name__)

NOTIFY = "giamsat.notifications.jobs.notify"


def _case_trigger(action: str, data: dict) -> tuple[str, str] | None:
    case, event = data.get("obj"), data.get("event")
    details = (getattr(event, "details", None) or {})
    if action == "receive" and case.origin_case_id is not None \
            and details.get("from") in ("escalate", "assign"):
        # The continuing case at the receiving unit: "a case escalated or assigned to my unit".
        kind = "case_escalated_in" if details["from"] == "escalate" else "case_assigned_in"
        return kind, f"case:{case.id}:received"
    if action == "forward":
        # The competent body's response clock starts: the unit's users learn the due date.
        return "case_forwarded", f"case:{case.id}:forwarded:{case.due_on.isoformat()}"
    return None


def trigger_for(name: str, data: dict) -> tuple[str, int, str, int | None] | None:
    """(kind, object id, event key, actor to leave out) for events someone should hear about."""
    obj = data.get("obj")
    if obj is None or getattr(obj, "id", None) is None:  # emitted objects are flushed
        return None
    if name.startswith("case."):
        found = _case_trigger(name.removeprefix("case."), data)
        if found is None:
            return None
        actor = getattr(data.get("event"), "actor_id", None)
        return found[0], obj.id, found[1], actor
    # Returned or accepted more than once over time: each time is its own event.
    stamp = time.time_ns() // 1_000_000
    if name == "report.return":
        return "report_returned", obj.id, f"report:{obj.id}:returned:{stamp}", None
    if name == "report.accept":
        return "report_accepted", obj.id, f"report:{obj.id}:accepted", None
    if name == "report_period.requested":
        return "report_requested", obj.id, f"period:{obj.id}:requested", None
    if name == "letters.ocr_failed":
        return "letter_ocr_failed", obj.id, f"letter:{obj.id}:ocr_failed:{stamp}", None
    return None


def on_event(session: Session, name: str, data: dict) -> None:
    found = trigger_for(name, data)
    if found is None:
        return
    scope = current_tenant_or_none()
    if scope is None or scope.session is not session:
        # Operations driven directly (tests, scripts) have no tenant to run a job in.
        log.debug("notification for %s skipped: no tenant context", name)
        return
    kind, object_id, event_key, actor_id = found
    record_job(session, NOTIFY, kind=kind, object_id=object_id, event_key=event_key,
               actor_id=actor_id,
               dedupe_key=f"notify:{scope.tenant_id}:{event_key}")
