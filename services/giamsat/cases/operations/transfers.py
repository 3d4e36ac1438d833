"""Transfers along the tree: a case continues as a new case at the parent unit (escalate) or at
a direct child unit (assign); the original is marked transferred and links to it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from giamsat.cases.models import Case, CaseStatus, Channel
from giamsat.cases.operations.common import (
    audit_case,
    case_for_action,
    current_day,
    move,
    reason_text,
    record_event,
    required_reason,
)
from giamsat.cases.operations.intake import next_number
from giamsat.core import audit
from giamsat.core.errors import Conflict
from giamsat.core.validation import Errors
from giamsat.units.models import Unit


def _continue_at(
    session: Session, principal, case: Case, unit: Unit, action: str, reason: str
) -> Case:
    """Create the continuing case at `unit` and mark `case` transferred. The reporter's
    identity is NOT copied: it stays with the original case only."""
    day = current_day()
    nxt = Case(
        unit_id=unit.id,
        organization_id=None,
        year=day.year,
        seq=next_number(session, unit.id, day.year),
        received_on=day,
        channel=Channel.forwarded,
        kind=case.kind,
        title=case.title,
        content=case.content,
        concerned=case.concerned,
        status=CaseStatus.received,
        is_complex=case.is_complex,
        reporter_mode=case.reporter_mode,
        origin_case_id=case.id,
        created_by_id=principal.user_id,
    )
    nxt.tags = list(case.tags)
    session.add(nxt)
    session.flush()
    record_event(
        session,
        nxt,
        principal,
        "receive",
        to_status=CaseStatus.received,
        reason=reason,
        details={
            "channel": Channel.forwarded.value,
            "number": nxt.number,
            "from": action,
            "origin_case_id": case.id,
            "origin_unit": case.unit.name,
        },
    )
    audit_case(session, principal, "create", nxt, {}, {"tags": [None, [t.code for t in nxt.tags]]})
    before = audit.snapshot(case)
    case.next_case_id = nxt.id
    move(
        session,
        principal,
        case,
        action,
        CaseStatus.transferred,
        reason=reason,
        before=before,
        details={
            "next_case_id": nxt.id,
            "unit_id": unit.id,
            "unit_name": unit.name,
            "next_number": nxt.number,
        },
    )
    return nxt


def escalate_case(session: Session, principal, case_id: int, *, reason: str) -> Case:
    """Send a case up to the parent unit (chuyển lên cấp trên). Returns the new case there."""
    case, _ = case_for_action(session, principal, case_id, "escalate")
    reason = required_reason(reason, "reason", "Hãy ghi lý do chuyển lên cấp trên.")
    parent = case.unit.parent
    if parent is None or not parent.is_current():
        raise Conflict("Đơn vị này không có cấp trên để chuyển lên.")
    return _continue_at(session, principal, case, parent, "escalate", reason)


def assign_case(session: Session, principal, case_id: int, *, unit_id: int, reason: str) -> Case:
    """Give a case to a direct child Front unit (giao cho cấp dưới). Returns the new case there."""
    case, _ = case_for_action(session, principal, case_id, "assign")
    errors = Errors()
    child = session.get(Unit, unit_id) if unit_id is not None else None
    if (
        child is None
        or child.parent_id != case.unit_id
        or child.level.is_residential_area
        or not child.is_current()
    ):
        errors.add(
            "unit_id",
            "Chỉ giao được cho một Ủy ban MTTQ cấp dưới trực tiếp đang hoạt "
            "động (không phải khu dân cư).",
        )
    reason = reason_text(errors, reason, "reason", "Hãy ghi lý do giao cho cấp dưới.")
    errors.raise_if_any()
    return _continue_at(session, principal, case, child, "assign", reason)
