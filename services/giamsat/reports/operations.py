"""State changes of reports: drafts prefilled from figures, hand entries, submit → return or
accept (frozen), ad hoc requests, and scheduling recomputes. Flush only; never commit."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import events
from giamsat.reports.events import ReportChanged, ReportRequested
from giamsat.identity import Role
from giamsat.core import audit
from giamsat.core.db import utcnow
from giamsat.core.errors import Conflict, Forbidden, ValidationFailed
from giamsat.jobs.models import OutboxEntry
from giamsat.reports.calendar import periods_containing
from giamsat.reports.indicators import LOCAL_TZ
from giamsat.reports.labels import NARRATIVE_FIELDS, PERIOD_KIND_LABELS, vietnamese
from giamsat.reports.models import (
    PeriodKind,
    Report,
    ReportEntry,
    ReportEvent,
    ReportPeriod,
    ReportStatus,
)
from giamsat.reports.queries import (
    build_consolidation,
    find_report,
    get_period,
    get_report,
    list_indicators,
    local_today,
)
from giamsat.tenancy.context import current_tenant_or_none
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_rule, get_unit

log = logging.getLogger(__name__)

RECOMPUTE_JOB = "giamsat.reports.jobs.recompute_unit"
#: Who writes and submits a unit's report (at the unit or above); readonly only reads.
AUTHORS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})
#: Who accepts or returns it, at the receiving (parent) unit or above.
REVIEWERS = frozenset({Role.leader, Role.unit_admin, Role.tenant_admin})
HEADER_FIELDS = ("document_number", "signer_name", "signer_title")
MAX_VALUE = 1_000_000_000
AUDITED = (*NARRATIVE_FIELDS, *HEADER_FIELDS, "status", "returned_reason", "is_late")


# --- scheduling recomputes (called by the other domains) ----------------------------------------

def schedule_recompute(session: Session, unit_id: int, on_date: dt.date,
                       *more_dates: dt.date | None, tenant_id: int | None = None) -> list[int]:
    """After a record of `unit_id` dated `on_date` (and `more_dates`) changed: one outbox job
    per (unit, period) whose window holds one of the dates, in the caller's transaction.

    De-duplicated: while a job for the same (tenant, period, unit) is not done, no second one is
    recorded — a burst of changes is one recompute. Never lost: the pending row is share-locked
    until this transaction commits, so a job that starts meanwhile waits for our data before it
    claims the row; a job already claimed has its row done, and ours becomes a new one.
    Returns the outbox ids recorded (empty when every job was already pending).

    Outside a tenant context (tests driving operations directly) there is no tenant to run the
    job in; nothing is recorded and the nightly recompute catches up."""
    from giamsat.jobs.outbox import record_job

    if tenant_id is None:
        scope = current_tenant_or_none()
        if scope is None or scope.session is not session:
            log.debug("schedule_recompute outside a tenant context: left to the nightly run")
            return []
        tenant_id = scope.tenant_id
    days = {d for d in (on_date, *more_dates) if d is not None}
    period_ids = sorted({p.id for day in days for p in periods_containing(session, day)})
    recorded = []
    for period_id in period_ids:
        key = recompute_dedupe_key(tenant_id, period_id, unit_id)
        pending = session.execute(
            select(OutboxEntry.id).where(OutboxEntry.dedupe_key == key,
                                         OutboxEntry.done_at.is_(None))
            .with_for_update(read=True)).first()
        if pending is not None:
            continue
        entry_id = record_job(session, RECOMPUTE_JOB, tenant_id=tenant_id, dedupe_key=key,
                              period_id=period_id, unit_id=unit_id)
        if entry_id is not None:
            recorded.append(entry_id)
    return recorded


def schedule_for_case(session: Session, case, *, tenant_id: int | None = None) -> list[int]:
    """After any change to a case: recompute where it counts (its residential area, else its
    unit) for every date an indicator reads — received, forwarded, answered, and today (the
    day of an archive or close event)."""
    return schedule_recompute(session, case.area_id or case.unit_id, case.received_on,
                              case.forwarded_on, case.responded_on, local_today(),
                              tenant_id=tenant_id)


def recompute_dedupe_key(tenant_id: int, period_id: int, unit_id: int) -> str:
    return f"reports.recompute:{tenant_id}:{period_id}:{unit_id}"


# --- reports ------------------------------------------------------------------------------------

def _check_role(principal, unit: Unit, roles, action: str) -> None:
    if not principal.has_role_over(unit.path, roles):
        raise Forbidden(f"Bạn không có quyền {action}.")


def reviewer_unit(session: Session, report: Report) -> Unit:
    """Where a report goes: the parent unit; the province's own reports are received by the
    province's leadership itself (they go on to the party committee outside the system)."""
    if report.unit.parent_id is None:
        return report.unit
    return session.get(Unit, report.unit.parent_id)


def _event(session: Session, principal, report: Report, action: str, from_status,
           reason: str | None = None) -> None:
    session.add(ReportEvent(report_id=report.id, actor_id=principal.user_id,
                            actor_label=principal.actor_label, action=action,
                            from_status=from_status.value if from_status else None,
                            to_status=report.status.value, reason=reason))
    events.emit(session, ReportChanged(report=report, action=action, reason=reason))


def _state(report: Report) -> dict:
    full = audit.snapshot(report)
    return {k: full[k] for k in AUDITED if k in full}


def _audit(session: Session, principal, report: Report, action: str, before: dict | None,
           request_id: str | None) -> None:
    after = _state(report)
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action=action, object_type="report", object_id=report.id,
                 changes=audit.diff(before, after) if before is not None else
                 {k: [None, v] for k, v in after.items() if v not in (None, "")},
                 request_id=request_id)


def _check_reporting_unit(session: Session, period: ReportPeriod, unit: Unit,
                          organization_id: int | None) -> None:
    if unit.level.is_residential_area:
        raise ValidationFailed("Khu dân cư không lập báo cáo riêng: số liệu của khu dân cư được "
                               "tính vào báo cáo của xã, phường.", field="unit_id")
    if not unit.is_current(period.ends_on) and not unit.is_current(period.starts_on):
        raise ValidationFailed("Đơn vị không còn tồn tại trong kỳ báo cáo này.", field="unit_id")
    if period.kind == PeriodKind.ad_hoc:
        requester = period.requested_by_unit
        if unit.id == requester.id or not unit.path.startswith(requester.path):
            raise ValidationFailed(f"Báo cáo đột xuất “{period.title}” chỉ yêu cầu các đơn vị "
                                   f"thuộc {requester.name}.", field="unit_id")
    if organization_id is not None:
        org = session.get(Organization, organization_id)
        if org is None or not org.is_enabled:
            raise ValidationFailed("Tổ chức không có hoặc chưa được sử dụng ở tỉnh này.",
                                   field="organization_id")


def open_report(session: Session, principal, *, period_id: int, unit_id: int,
                organization_id: int | None = None, today: dt.date | None = None,
                request_id: str | None = None) -> tuple[Report, bool]:
    """The report of (unit, organization, period); created as a draft prefilled with the
    consolidated figures when it does not exist yet. Returns (report, created).

    Raises NotFound (unit or period not visible), Forbidden (no author role), ValidationFailed
    (a residential area, a unit outside an ad hoc request, an unknown organization)."""
    unit = get_unit(session, unit_id, principal)
    period = get_period(session, period_id, principal)
    existing = find_report(session, period_id=period.id, unit_id=unit.id,
                           organization_id=organization_id)
    if existing is not None:
        return existing, False
    _check_role(principal, unit, AUTHORS, "lập báo cáo của đơn vị này")
    _check_reporting_unit(session, period, unit, organization_id)
    report = Report(period_id=period.id, unit_id=unit.id, organization_id=organization_id,
                    status=ReportStatus.draft, created_by_id=principal.user_id)
    session.add(report)
    session.flush()
    _prefill(session, report, period, unit, today or local_today(), keep_hand_entries=False)
    session.flush()
    _event(session, principal, report, "create", None)
    _audit(session, principal, report, "create", None, request_id)
    return report, True


def _prefill(session: Session, report: Report, period: ReportPeriod, unit: Unit,
             today: dt.date, *, keep_hand_entries: bool) -> None:
    """Entries from the consolidation: computed indicators get the figure (and keep a hand
    entry beside it when asked); manual ones start from the children's reported hand entries."""
    totals = build_consolidation(session, period, unit, report.organization_id, today).totals
    entries = {e.indicator_code: e for e in report.entries}
    for indicator in list_indicators(session):
        figure = totals.get(indicator.code, 0)
        entry = entries.get(indicator.code)
        if entry is None:
            entry = ReportEntry(indicator_code=indicator.code, value=figure,
                                computed_value=None if indicator.is_manual else figure,
                                is_manual=indicator.is_manual,
                                note="Tổng hợp từ báo cáo cấp dưới" if indicator.is_manual
                                and figure else "")
            report.entries.append(entry)
            continue
        if indicator.is_manual:
            continue  # a person's figure: never overwritten
        entry.computed_value = figure
        if not (keep_hand_entries and entry.is_manual):
            entry.value, entry.is_manual, entry.note = figure, False, ""


def _editable(report: Report) -> None:
    if report.status == ReportStatus.accepted:
        raise Conflict("Báo cáo đã được cấp trên tiếp nhận nên không sửa được nữa.",
                       field="status")
    if report.status == ReportStatus.submitted:
        raise Conflict("Báo cáo đã gửi và đang chờ cấp trên tiếp nhận: chỉ sửa được khi bị "
                       "trả lại.", field="status")


def _check_version(report: Report, version: int | None) -> None:
    if version is not None and version != report.version:
        raise Conflict("Báo cáo vừa được người khác thay đổi. Hãy tải lại trang rồi sửa lại.",
                       field="version")


def refresh_report(session: Session, principal, report_id: int, *,
                   version: int | None = None, today: dt.date | None = None,
                   request_id: str | None = None) -> Report:
    """Take the latest figures into a draft or returned report; hand entries stay."""
    report = get_report(session, principal, report_id)
    _check_role(principal, report.unit, AUTHORS, "sửa báo cáo này")
    _editable(report)
    _check_version(report, version)
    _prefill(session, report, report.period, report.unit, today or local_today(),
             keep_hand_entries=True)
    report.version += 1
    session.flush()
    _event(session, principal, report, "refresh", report.status)
    return report


def _parse_value(code: str, raw) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw.strip())
        else:
            raise ValidationFailed("Số liệu phải là số nguyên không âm.",
                                   field=f"figures.{code}")
    if not 0 <= raw <= MAX_VALUE:
        raise ValidationFailed("Số liệu phải là số nguyên không âm.", field=f"figures.{code}")
    return raw


def update_report(session: Session, principal, report_id: int, *, version: int | None = None,
                  narrative: dict[str, str] | None = None,
                  header: dict[str, str] | None = None,
                  figures: dict[str, int | None] | None = None,
                  notes: dict[str, str] | None = None,
                  request_id: str | None = None) -> Report:
    """Edit a draft or returned report: narrative sections, document header, figures.

    A figure that differs from the computed one becomes a hand entry (marked); None puts a
    computed indicator back to its computed figure. Every problem is reported at once and
    nothing is written (ValidationFailed); Conflict once submitted or accepted, or when
    `version` is stale."""
    report = get_report(session, principal, report_id)
    _check_role(principal, report.unit, AUTHORS, "sửa báo cáo này")
    _editable(report)
    _check_version(report, version)
    errors: dict[str, list[str]] = {}
    entries = {e.indicator_code: e for e in report.entries}
    parsed: dict[str, int | None] = {}
    for code, raw in (figures or {}).items():
        if code not in entries:
            errors[f"figures.{code}"] = ["Không có chỉ tiêu này trong báo cáo."]
            continue
        try:
            parsed[code] = _parse_value(code, raw)
        except ValidationFailed as error:
            errors.update(error.errors)
    for code in (notes or {}):
        if code not in entries:
            errors[f"notes.{code}"] = ["Không có chỉ tiêu này trong báo cáo."]
    for name in (narrative or {}):
        if name not in NARRATIVE_FIELDS:
            errors[name] = ["Không có mục này trong báo cáo."]
    for name, value in (header or {}).items():
        if name not in HEADER_FIELDS:
            errors[name] = ["Không có mục này trong báo cáo."]
        elif len(value or "") > (60 if name == "document_number" else 200):
            errors[name] = ["Nội dung quá dài."]
    if errors:
        raise ValidationFailed("Báo cáo chưa lưu được: hãy sửa các ô được đánh dấu.",
                               errors=errors)
    before = _state(report)
    changed_figures = {}
    for code, value in parsed.items():
        entry = entries[code]
        old = (entry.value, entry.is_manual)
        if value is None:
            if entry.computed_value is not None:
                entry.value, entry.is_manual = entry.computed_value, False
        else:
            entry.value = value
            entry.is_manual = entry.computed_value is None or value != entry.computed_value
        if (entry.value, entry.is_manual) != old:
            changed_figures[code] = [old[0], entry.value]
    for code, note in (notes or {}).items():
        entries[code].note = (note or "").strip()
    for name, value in {**(narrative or {}), **(header or {})}.items():
        setattr(report, name, (value or "").strip())
    report.version += 1
    session.flush()
    _event(session, principal, report, "edit", report.status)
    after = _state(report)
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action="update", object_type="report", object_id=report.id,
                 changes={**audit.diff(before, after),
                          **{f"figures.{c}": v for c, v in changed_figures.items()}},
                 request_id=request_id)
    return report


def submitted_on(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TZ).date()


def submit_report(session: Session, principal, report_id: int, *, version: int | None = None,
                  now: dt.datetime | None = None, request_id: str | None = None) -> Report:
    """Send a draft (or a returned report, again) to the receiving unit.

    On time or late is decided by the first submission against the period's due date (a
    report returned and sent again keeps it). ValidationFailed when the "Kết quả" section is
    empty; Conflict when already submitted or accepted."""
    report = get_report(session, principal, report_id)
    _check_role(principal, report.unit, AUTHORS, "gửi báo cáo này")
    _editable(report)
    _check_version(report, version)
    if not report.results.strip():
        raise ValidationFailed("Hãy viết phần “Kết quả thực hiện” trước khi gửi báo cáo.",
                               field="results")
    now = now or utcnow()
    before = _state(report)
    previous = report.status
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.is_late = submitted_on(now) > report.period.due_on
    report.submitted_at, report.submitted_by_id = now, principal.user_id
    report.status = ReportStatus.submitted
    report.version += 1
    session.flush()
    _event(session, principal, report, "submit", previous)
    _audit(session, principal, report, "submit", before, request_id)
    return report


def _reviewable(session: Session, principal, report: Report, action: str) -> None:
    _check_role(principal, reviewer_unit(session, report), REVIEWERS, action)
    if report.status != ReportStatus.submitted:
        raise Conflict("Chỉ tiếp nhận hoặc trả lại được báo cáo đã gửi và đang chờ tiếp nhận.",
                       field="status")


def return_report(session: Session, principal, report_id: int, *, reason: str,
                  version: int | None = None, request_id: str | None = None) -> Report:
    """The receiving unit sends a submitted report back, saying why (required)."""
    report = get_report(session, principal, report_id)
    _reviewable(session, principal, report, "trả lại báo cáo này")
    _check_version(report, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.",
                               field="reason")
    before = _state(report)
    report.status, report.returned_reason = ReportStatus.returned, reason
    report.version += 1
    session.flush()
    _event(session, principal, report, "return", ReportStatus.submitted, reason)
    _audit(session, principal, report, "return", before, request_id)
    return report


def accept_report(session: Session, principal, report_id: int, *, version: int | None = None,
                  now: dt.datetime | None = None, request_id: str | None = None) -> Report:
    """The receiving unit accepts a submitted report: its figures and text are frozen."""
    report = get_report(session, principal, report_id)
    _reviewable(session, principal, report, "tiếp nhận báo cáo này")
    _check_version(report, version)
    now = now or utcnow()
    before = _state(report)
    report.status, report.accepted_at, report.accepted_by_id = (
        ReportStatus.accepted, now, principal.user_id)
    report.snapshot = freeze(report, now)
    report.version += 1
    session.flush()
    _event(session, principal, report, "accept", ReportStatus.submitted)
    _audit(session, principal, report, "accept", before, request_id)
    return report


def freeze(report: Report, at: dt.datetime) -> dict:
    """The frozen content of an accepted report. Figures and text only: no reporter data exists
    in a report, and none is ever added here."""
    return {
        "accepted_at": at.isoformat(),
        "period": {"id": report.period_id, "title": report.period.title,
                   "starts_on": report.period.starts_on.isoformat(),
                   "ends_on": report.period.ends_on.isoformat(),
                   "due_on": report.period.due_on.isoformat()},
        "unit": {"id": report.unit_id, "name": report.unit.name},
        "organization_id": report.organization_id,
        "narrative": {name: getattr(report, name) for name in NARRATIVE_FIELDS},
        "header": {name: getattr(report, name) for name in HEADER_FIELDS},
        "figures": {e.indicator_code: {"value": e.value, "computed_value": e.computed_value,
                                       "is_manual": e.is_manual, "note": e.note}
                    for e in report.entries},
        "is_late": report.is_late,
    }


# --- ad hoc requests ----------------------------------------------------------------------------

def request_ad_hoc_report(session: Session, principal, *, unit_id: int, title: str,
                          starts_on: dt.date, ends_on: dt.date, due_on: dt.date,
                          note: str = "", today: dt.date | None = None,
                          request_id: str | None = None) -> ReportPeriod:
    """A higher unit asks the units below it for an ad hoc report (báo cáo đột xuất) on a
    window of its choice, due on its own date. Forbidden without a leading role at the unit;
    ValidationFailed for bad dates or when the province does not use ad hoc reports."""
    unit = get_unit(session, unit_id, principal)
    _check_role(principal, unit, REVIEWERS, "yêu cầu báo cáo đột xuất")
    if not get_rule(session, "report_ad_hoc", True):
        raise ValidationFailed("Tỉnh không dùng báo cáo đột xuất (quy định report_ad_hoc).",
                               field="unit_id")
    today = today or local_today()
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title or len(title) > 300:
        errors["title"] = ["Hãy ghi tên báo cáo (tối đa 300 ký tự)."]
    if unit.level.is_residential_area:
        errors["unit_id"] = ["Khu dân cư không yêu cầu báo cáo."]
    if ends_on < starts_on:
        errors["ends_on"] = ["Ngày cuối kỳ phải sau ngày đầu kỳ."]
    if due_on < today:
        errors["due_on"] = ["Hạn nộp đã qua: hãy chọn một ngày từ hôm nay trở đi."]
    if errors:
        raise ValidationFailed("Chưa tạo được yêu cầu báo cáo: hãy sửa các ô được đánh dấu.",
                               errors=errors)
    number = 1 + len(session.scalars(select(ReportPeriod.id).where(
        ReportPeriod.kind == PeriodKind.ad_hoc, ReportPeriod.year == ends_on.year)).all())
    period = ReportPeriod(kind=PeriodKind.ad_hoc, year=ends_on.year, number=number, title=title,
                          starts_on=starts_on, ends_on=ends_on, due_on=due_on,
                          requested_by_unit_id=unit.id, request_note=(note or "").strip(),
                          requested_by_id=principal.user_id)
    session.add(period)
    session.flush()
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action="create", object_type="report_period", object_id=period.id,
                 changes={"kind": [None, vietnamese(PERIOD_KIND_LABELS[PeriodKind.ad_hoc])],
                          "title": [None, title], "due_on": [None, due_on.isoformat()],
                          "unit_id": [None, unit.id]},
                 request_id=request_id)
    events.emit(session, ReportRequested(period=period, unit=unit))
    return period
