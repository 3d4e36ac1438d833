"""What every step of a report shares: who may act, the guards, and the trail it leaves (its
history on the page and the audit log)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from giamsat.core import audit, events
from giamsat.core.errors import Conflict, Forbidden
from giamsat.identity import Role
from giamsat.reports.events import ReportChanged
from giamsat.reports.labels import NARRATIVE_FIELDS
from giamsat.reports.models import Report, ReportEvent, ReportStatus
from giamsat.units.models import Unit

#: Who writes and submits a unit's report (at the unit or above); readonly only reads.
AUTHORS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})
#: Who accepts or returns it, at the receiving (parent) unit or above.
REVIEWERS = frozenset({Role.leader, Role.unit_admin, Role.tenant_admin})
HEADER_FIELDS = ("document_number", "signer_name", "signer_title")
#: The report's columns whose before/after the audit log keeps.
AUDITED = (
    *NARRATIVE_FIELDS,
    *HEADER_FIELDS,
    "status",
    "returned_reason",
    "is_late",
    "department_id",
)


def check_role(principal, unit: Unit, roles, action: str) -> None:
    if not principal.has_role_over(unit.path, roles):
        raise Forbidden(f"Bạn không có quyền {action}.")


def reviewer_unit(session: Session, report: Report) -> Unit:
    """Where a report goes: the parent unit; the province's own reports are received by the
    province's leadership itself (they go on to the party committee outside the system)."""
    if report.unit.parent_id is None:
        return report.unit
    return session.get(Unit, report.unit.parent_id)


def check_editable(report: Report) -> None:
    if report.status == ReportStatus.accepted:
        raise Conflict("Báo cáo đã được cấp trên tiếp nhận nên không sửa được nữa.", field="status")
    if report.status == ReportStatus.submitted:
        raise Conflict(
            "Báo cáo đã gửi và đang chờ cấp trên tiếp nhận: chỉ sửa được khi bị trả lại.",
            field="status",
        )


def check_version(report: Report, version: int | None) -> None:
    if version is not None and version != report.version:
        raise Conflict(
            "Báo cáo vừa được người khác thay đổi. Hãy tải lại trang rồi sửa lại.", field="version"
        )


def record_event(
    session: Session, principal, report: Report, action: str, from_status, reason: str | None = None
) -> None:
    """A line of the report's history, and the event other domains listen to."""
    session.add(
        ReportEvent(
            report_id=report.id,
            actor_id=principal.user_id,
            actor_label=principal.actor_label,
            action=action,
            from_status=from_status.value if from_status else None,
            to_status=report.status.value,
            reason=reason,
        )
    )
    events.emit(session, ReportChanged(report=report, action=action, reason=reason))


def audited_state(report: Report) -> dict:
    full = audit.snapshot(report)
    return {k: full[k] for k in AUDITED if k in full}


def audit_report(
    session: Session,
    principal,
    report: Report,
    action: str,
    before: dict | None,
    extra: dict | None = None,
) -> None:
    """The audit entry of a step: what changed since `before` (everything set, on creation),
    plus `extra` changes that are not columns (the figures)."""
    after = audited_state(report)
    changes = (
        audit.diff(before, after)
        if before is not None
        else {k: [None, v] for k, v in after.items() if v not in (None, "")}
    )
    audit.record(
        session,
        principal,
        action=action,
        object_type="report",
        object_id=report.id,
        changes={**changes, **(extra or {})},
    )
