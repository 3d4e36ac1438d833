"""What every case operation shares: the acting party, the handler check, the history row and
audit entry of a change, and the checks of a reason and of a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from giamsat.cases import workflow
from giamsat.cases.events import CaseChanged
from giamsat.cases.models import Case, CaseEvent, CaseStatus
from giamsat.cases.queries import get_case
from giamsat.core import audit, clock, events
from giamsat.core.errors import Forbidden, ValidationFailed
from giamsat.core.validation import Errors
from giamsat.units.models import Unit

MIN_REASON = 5
#: Audit object type; a case's columns are all non-secret (the reporter lives apart).
AUDITED_OBJECT = "case"


def today() -> dt.date:
    """The current date (one place, so tests can stand on a given day)."""
    return clock.today()


def current_day() -> dt.date:
    # Looked up on the package at call time: tests stand on a day by patching `operations.today`.
    from giamsat.cases import operations

    return operations.today()


@dataclass(frozen=True)
class PublicActor:
    """The public online form: no user; may only create an online case at a current Front unit."""

    user_id: None = None
    actor_label: str = "biểu mẫu công khai"


def is_public(principal) -> bool:
    return isinstance(principal, PublicActor)


def require_handler(principal, unit: Unit) -> None:
    """Staff, leader or admin over the unit; readonly and others get 403."""
    if is_public(principal) or not principal.has_role_over(unit.path, workflow.CASE_HANDLERS):
        raise Forbidden("Bạn chỉ có quyền xem, không được ghi hoặc xử lý hồ sơ của đơn vị này.")


def record_event(
    session: Session,
    case: Case,
    principal,
    action: str,
    *,
    from_status=None,
    to_status=None,
    reason: str | None = None,
    details: dict | None = None,
) -> CaseEvent:
    """The case's own history row (shown on the case page), announced as CaseChanged."""
    event = CaseEvent(
        case_id=case.id,
        actor_id=principal.user_id,
        actor_label=principal.actor_label,
        action=action,
        from_status=from_status.value if from_status else None,
        to_status=to_status.value if to_status else None,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    events.emit(session, CaseChanged(case=case, event=event, action=action))
    return event


def audit_case(
    session: Session, principal, action: str, case: Case, before: dict, extra: dict | None = None
) -> None:
    changes = audit.diff(before, audit.snapshot(case)) | (extra or {})
    audit.record(
        session,
        principal,
        action=action,
        object_type=AUDITED_OBJECT,
        object_id=case.id,
        changes=changes,
    )


def case_for_action(
    session: Session, principal, case_id: int, action: str
) -> tuple[Case, CaseStatus]:
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    return case, workflow.check_transition(case.status, action)


def move(
    session: Session,
    principal,
    case: Case,
    action: str,
    target: CaseStatus,
    *,
    reason=None,
    details=None,
    before=None,
) -> Case:
    """Put `case` in `target`, with its history row and audit entry."""
    source = case.status
    before = before or audit.snapshot(case)
    case.status = target
    session.flush()
    record_event(
        session,
        case,
        principal,
        action,
        from_status=source,
        to_status=target,
        reason=reason,
        details=details,
    )
    audit_case(session, principal, action, case, before)
    return case


def reason_text(errors: Errors, reason, field: str, message: str) -> str | None:
    """A stated reason of at least MIN_REASON characters; `message` says what to write."""
    reason = errors.text(reason, field, label="Lý do", single_line=False)
    if reason is not None and len(reason) < MIN_REASON:
        errors.add(field, f"{message} (ít nhất {MIN_REASON} ký tự)")
        return None
    return reason


def required_reason(reason, field: str = "reason", message: str = "Hãy ghi rõ lý do.") -> str:
    errors = Errors()
    reason = reason_text(errors, reason, field, message)
    errors.raise_if_any()
    return reason


def check_day(
    errors: Errors, day, field: str, *, not_before: dt.date | None = None, before_label: str = ""
) -> dt.date | None:
    """A day of the past or today (today when not given); ISO text is accepted too."""
    if day is None:
        return current_day()
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            errors.add(field, "Ngày không hợp lệ (dạng năm-tháng-ngày).")
            return None
    if day > current_day():
        errors.add(field, "Ngày không được sau hôm nay.")
    elif not_before and day < not_before:
        errors.add(field, f"Ngày không được trước {before_label} ({not_before:%d/%m/%Y}).")
    return day


def add_failure(errors: Errors, failure: ValidationFailed) -> None:
    """Another check's field errors, reported with the rest."""
    for field, messages in failure.errors.items():
        for message in messages:
            errors.add(field, message)
