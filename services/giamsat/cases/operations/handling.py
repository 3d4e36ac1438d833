"""The handling workflow at the unit (see `cases.workflow`): verify, forward to the competent
body with a due date in working days, settle, archive, record the answer, close, reopen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from giamsat.cases import deadlines
from giamsat.cases.labels import CLOCK_LABELS
from giamsat.cases.models import Case, DeadlineRule, RecipientKind, ResponseOutcome
from giamsat.cases.operations.common import case_for_action, check_day, move, required_reason
from giamsat.core import audit, clock
from giamsat.core.errors import Conflict
from giamsat.core.validation import Errors

MAX_RECIPIENT = 300


def _note(value) -> str | None:
    return str(value or "").strip() or None


def start_verification(session: Session, principal, case_id: int, *, note: str = "") -> Case:
    """received → verifying (xác minh, phân loại)."""
    case, target = case_for_action(session, principal, case_id, "verify")
    return move(session, principal, case, "verify", target, reason=_note(note))


def forward_case(
    session: Session,
    principal,
    case_id: int,
    *,
    recipient_kind,
    recipient_name: str,
    forwarded_on: dt.date | None = None,
    is_complex: bool | None = None,
    accepted_on: dt.date | None = None,
) -> Case:
    """verifying → awaiting_response: sent to the competent body, due by the tenant's deadline
    rule for that kind of body and of case (`cases.deadlines`)."""
    case, target = case_for_action(session, principal, case_id, "forward")
    errors = Errors()
    kind = errors.choice(
        RecipientKind,
        recipient_kind,
        "recipient_kind",
        message="Hãy chọn cơ quan nhận: cấp ủy, ủy ban kiểm tra, cơ quan nhà "
        "nước, Ban Thanh tra nhân dân hoặc Ủy ban MTTQ.",
    )
    name = errors.text(
        recipient_name, "recipient_name", label="Tên cơ quan nhận", max_length=MAX_RECIPIENT
    )
    if name == "":
        errors.add("recipient_name", "Hãy ghi tên cơ quan nhận.")
    forwarded_on = check_day(
        errors,
        forwarded_on,
        "forwarded_on",
        not_before=case.received_on,
        before_label="ngày tiếp nhận",
    )
    if accepted_on is not None and forwarded_on is not None:
        accepted_on = check_day(
            errors,
            accepted_on,
            "accepted_on",
            not_before=forwarded_on,
            before_label="ngày chuyển",
        )
    errors.raise_if_any()
    assert kind is not None and forwarded_on is not None  # else an error was raised
    before = audit.snapshot(case)
    if is_complex is not None:
        case.is_complex = bool(is_complex)
    rule = deadlines.rule_for(session, kind, case.kind)
    deadline = deadlines.compute(
        session,
        rule,
        received_on=case.received_on,
        forwarded_on=forwarded_on,
        accepted_on=accepted_on,
        is_complex=case.is_complex,
    )
    case.recipient_kind, case.recipient_name = kind, name
    case.forwarded_on = forwarded_on
    case.due_on = deadline.due_on
    case.deadline_rule_id, case.deadline_basis = rule.id, deadline.basis
    return move(
        session,
        principal,
        case,
        "forward",
        target,
        before=before,
        details={
            "recipient_kind": kind.value,
            "recipient_name": name,
            "deadline_rule_id": rule.id,
            "law": rule.law,
            "days": deadline.days,
            "clock": rule.clock.value,
            "start_day": deadline.start_day.isoformat(),
            "due_on": case.due_on.isoformat(),
        },
    )


def extend_deadline(session: Session, principal, case_id: int, *, reason: str) -> Case:
    """The competent body extended its time limit (gia hạn): push the due date by one
    extension of the case's rule, at most as often as the rule allows."""
    case, target = case_for_action(session, principal, case_id, "extend")
    rule = session.get(DeadlineRule, case.deadline_rule_id) if case.deadline_rule_id else None
    if rule is None or rule.max_extensions < 1 or rule.extension_days < 1 or not case.due_on:
        raise Conflict("Thời hạn trả lời của hồ sơ này không có quy định gia hạn.")
    used = deadlines.extensions_used(session, case)
    if used >= rule.max_extensions:
        raise Conflict(
            f"Đã gia hạn {used} lần, là số lần tối đa theo {rule.law}; không gia hạn thêm được."
        )
    why = required_reason(reason, message="Hãy ghi lý do và văn bản gia hạn của cơ quan nhận.")
    before = audit.snapshot(case)
    previous = case.due_on
    case.due_on = deadlines.extended_due_on(session, rule, previous)
    case.deadline_basis = (
        f"{case.deadline_basis or ''} Gia hạn lần {used + 1}: thêm {rule.extension_days} "
        f"{CLOCK_LABELS[rule.clock]}, đến {case.due_on:%d/%m/%Y}."
    ).strip()
    return move(
        session,
        principal,
        case,
        "extend",
        target,
        reason=why,
        before=before,
        details={"due_on": case.due_on.isoformat(), "previous_due_on": previous.isoformat()},
    )


def handle_case(session: Session, principal, case_id: int, *, note: str) -> Case:
    """verifying → handled: the committee settles it itself (ghi rõ cách giải quyết)."""
    case, target = case_for_action(session, principal, case_id, "handle")
    note = required_reason(note, "note", "Hãy ghi cách Ủy ban đã giải quyết.")
    return move(session, principal, case, "handle", target, reason=note)


def archive_case(session: Session, principal, case_id: int, *, reason: str) -> Case:
    """verifying → archived, with the reason (e.g. nặc danh, không có bằng chứng cụ thể —
    Luật Tố cáo 2018 Điều 25)."""
    case, target = case_for_action(session, principal, case_id, "archive")
    reason = required_reason(reason, "reason", "Hãy ghi lý do lưu hồ sơ.")
    before = audit.snapshot(case)
    case.archive_reason = reason
    return move(session, principal, case, "archive", target, reason=reason, before=before)


def record_response(
    session: Session,
    principal,
    case_id: int,
    *,
    outcome,
    text: str,
    responded_on: dt.date | None = None,
) -> Case:
    """awaiting_response → responded: the competent body's answer (tiếp thu / giải trình /
    không tiếp thu). Documents go in as attachments with purpose "response"."""
    case, target = case_for_action(session, principal, case_id, "respond")
    errors = Errors()
    outcome = errors.choice(
        ResponseOutcome,
        outcome,
        "outcome",
        message="Hãy chọn kết quả trả lời: tiếp thu, giải trình hoặc không tiếp thu.",
    )
    text = errors.text(text, "text", label="Nội dung trả lời", single_line=False)
    if text == "":
        errors.add("text", "Hãy ghi nội dung trả lời.")
    responded_on = check_day(
        errors,
        responded_on,
        "responded_on",
        not_before=case.forwarded_on,
        before_label="ngày chuyển",
    )
    errors.raise_if_any()
    before = audit.snapshot(case)
    case.response_outcome, case.response_text, case.responded_on = outcome, text, responded_on
    return move(
        session,
        principal,
        case,
        "respond",
        target,
        before=before,
        details={
            "outcome": outcome.value,
            "responded_on": responded_on.isoformat(),
            "late": bool(case.due_on and responded_on > case.due_on),
        },
    )


def close_case(session: Session, principal, case_id: int, *, note: str = "") -> Case:
    """responded | handled → closed."""
    case, target = case_for_action(session, principal, case_id, "close")
    before = audit.snapshot(case)
    case.closed_at = clock.now()
    return move(session, principal, case, "close", target, reason=_note(note), before=before)


def reopen_case(session: Session, principal, case_id: int, *, reason: str) -> Case:
    """archived | closed → verifying, with the reason (new evidence, a late answer…)."""
    case, target = case_for_action(session, principal, case_id, "reopen")
    reason = required_reason(reason, "reason", "Hãy ghi lý do mở lại hồ sơ.")
    before = audit.snapshot(case)
    case.closed_at = None
    return move(session, principal, case, "reopen", target, reason=reason, before=before)
