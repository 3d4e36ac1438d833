"""A report while its unit writes it: opened as a draft prefilled with the figures, refreshed
with the latest ones, edited (a changed figure becomes a marked hand entry). Flush only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from giamsat.core import clock
from giamsat.core.errors import ValidationFailed
from giamsat.core.validation import Errors
from giamsat.reports.labels import NARRATIVE_FIELDS
from giamsat.reports.models import PeriodKind, Report, ReportEntry, ReportPeriod, ReportStatus
from giamsat.reports.operations.common import (
    AUTHORS,
    HEADER_FIELDS,
    audit_report,
    audited_state,
    check_editable,
    check_role,
    check_version,
    record_event,
)
from giamsat.reports.queries.consolidation import build_consolidation
from giamsat.reports.queries.periods import get_period, list_indicators
from giamsat.reports.queries.reports import find_report, get_report
from giamsat.units.departments import department_of_unit
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_unit

#: `update_report(department_id=KEEP)`: the owner stays as it is (None means "no department").
KEEP: Any = object()

#: The largest figure a report takes (a typo guard, far above any real count).
MAX_VALUE = 1_000_000_000
#: Longest document header fields, as the columns allow.
HEADER_MAX_LENGTH = {"document_number": 60, "signer_name": 200, "signer_title": 200}
NOT_A_FIGURE = "Số liệu phải là số nguyên không âm."


def _check_reporting_unit(
    session: Session, period: ReportPeriod, unit: Unit, organization_id: int | None
) -> None:
    if unit.level.is_residential_area:
        raise ValidationFailed(
            "Khu dân cư không lập báo cáo riêng: số liệu của khu dân cư được "
            "tính vào báo cáo của xã, phường.",
            field="unit_id",
        )
    if not unit.is_current(period.ends_on) and not unit.is_current(period.starts_on):
        raise ValidationFailed("Đơn vị không còn tồn tại trong kỳ báo cáo này.", field="unit_id")
    if period.kind == PeriodKind.ad_hoc:
        requester = period.requested_by_unit
        if unit.id == requester.id or not unit.path.startswith(requester.path):
            raise ValidationFailed(
                f"Báo cáo đột xuất “{period.title}” chỉ yêu cầu các đơn vị thuộc {requester.name}.",
                field="unit_id",
            )
    if organization_id is not None:
        org = session.get(Organization, organization_id)
        if org is None or not org.is_enabled:
            raise ValidationFailed(
                "Tổ chức không có hoặc chưa được sử dụng ở tỉnh này.", field="organization_id"
            )


def open_report(
    session: Session,
    principal,
    *,
    period_id: int,
    unit_id: int,
    organization_id: int | None = None,
    today: dt.date | None = None,
) -> tuple[Report, bool]:
    """The report of (unit, organization, period); created as a draft prefilled with the
    consolidated figures when it does not exist yet. Returns (report, created).

    Raises NotFound (unit or period not visible), Forbidden (no author role), ValidationFailed
    (a residential area, a unit outside an ad hoc request, an unknown organization)."""
    unit = get_unit(session, unit_id, principal)
    period = get_period(session, period_id, principal)
    existing = find_report(
        session, period_id=period.id, unit_id=unit.id, organization_id=organization_id
    )
    if existing is not None:
        return existing, False
    check_role(principal, unit, AUTHORS, "lập báo cáo của đơn vị này")
    _check_reporting_unit(session, period, unit, organization_id)
    report = Report(
        period_id=period.id,
        unit_id=unit.id,
        organization_id=organization_id,
        status=ReportStatus.draft,
        created_by_id=principal.user_id,
    )
    session.add(report)
    session.flush()
    _prefill(session, report, period, unit, today or clock.today(), keep_hand_entries=False)
    session.flush()
    record_event(session, principal, report, "create", None)
    audit_report(session, principal, report, "create", None)
    return report, True


def _prefill(
    session: Session,
    report: Report,
    period: ReportPeriod,
    unit: Unit,
    today: dt.date,
    *,
    keep_hand_entries: bool,
) -> None:
    """Entries from the consolidation: computed indicators get the figure (and keep a hand
    entry beside it when asked); manual ones start from the children's reported hand entries."""
    totals = build_consolidation(session, period, unit, report.organization_id, today).totals
    entries = {e.indicator_code: e for e in report.entries}
    for indicator in list_indicators(session):
        figure = totals.get(indicator.code, 0)
        entry = entries.get(indicator.code)
        if entry is None:
            entry = ReportEntry(
                indicator_code=indicator.code,
                value=figure,
                computed_value=None if indicator.is_manual else figure,
                is_manual=indicator.is_manual,
                note="Tổng hợp từ báo cáo cấp dưới" if indicator.is_manual and figure else "",
            )
            report.entries.append(entry)
            continue
        if indicator.is_manual:
            continue  # a person's figure: never overwritten
        entry.computed_value = figure
        if not (keep_hand_entries and entry.is_manual):
            entry.value, entry.is_manual, entry.note = figure, False, ""


def _writable(session: Session, principal, report_id: int, version: int | None) -> Report:
    report = get_report(session, principal, report_id)
    check_role(principal, report.unit, AUTHORS, "sửa báo cáo này")
    check_editable(report)
    check_version(report, version)
    return report


def refresh_report(
    session: Session,
    principal,
    report_id: int,
    *,
    version: int | None = None,
    today: dt.date | None = None,
) -> Report:
    """Take the latest figures into a draft or returned report; hand entries stay."""
    report = _writable(session, principal, report_id, version)
    _prefill(
        session, report, report.period, report.unit, today or clock.today(), keep_hand_entries=True
    )
    report.version += 1
    session.flush()
    record_event(session, principal, report, "refresh", report.status)
    return report


def _figure(errors: Errors, code: str, raw) -> int | None:
    """A posted figure: a whole number (digits typed on a page are taken), None for "back to
    the computed figure"; a bad one is recorded on `figures.<code>`."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_VALUE:
        errors.add(f"figures.{code}", NOT_A_FIGURE)
        return None
    return raw


def update_report(
    session: Session,
    principal,
    report_id: int,
    *,
    version: int | None = None,
    narrative: dict[str, str] | None = None,
    header: dict[str, str] | None = None,
    figures: dict[str, int | None] | None = None,
    notes: dict[str, str] | None = None,
    department_id: Any = KEEP,
) -> Report:
    """Edit a draft or returned report: narrative sections, document header, figures, the
    department that owns it (`department_id`: one of the unit's own, or None).

    A figure that differs from the computed one becomes a hand entry (marked); None puts a
    computed indicator back to its computed figure. Every problem is reported at once and
    nothing is written (ValidationFailed); Conflict once submitted or accepted, or when
    `version` is stale."""
    report = _writable(session, principal, report_id, version)
    errors = Errors()
    entries = {e.indicator_code: e for e in report.entries}
    parsed: dict[str, int | None] = {}
    for code, raw in (figures or {}).items():
        if code not in entries:
            errors.add(f"figures.{code}", "Không có chỉ tiêu này trong báo cáo.")
            continue
        parsed[code] = _figure(errors, code, raw)
    for code in notes or {}:
        if code not in entries:
            errors.add(f"notes.{code}", "Không có chỉ tiêu này trong báo cáo.")
    for name in narrative or {}:
        if name not in NARRATIVE_FIELDS:
            errors.add(name, "Không có mục này trong báo cáo.")
    for name, value in (header or {}).items():
        if name not in HEADER_FIELDS:
            errors.add(name, "Không có mục này trong báo cáo.")
        elif len(value or "") > HEADER_MAX_LENGTH[name]:
            errors.add(name, "Nội dung quá dài.")
    if department_id is not KEEP:
        try:
            department_id = department_of_unit(
                session, department_id, report.unit_id, current=report.department_id
            )
        except ValidationFailed as exc:
            errors.add("department_id", exc.message)
    errors.raise_if_any("Báo cáo chưa lưu được: hãy sửa các ô được đánh dấu.")
    before = audited_state(report)
    if department_id is not KEEP:
        report.department_id = department_id
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
            changed_figures[f"figures.{code}"] = [old[0], entry.value]
    for code, note in (notes or {}).items():
        entries[code].note = (note or "").strip()
    for name, value in {**(narrative or {}), **(header or {})}.items():
        setattr(report, name, (value or "").strip())
    report.version += 1
    session.flush()
    record_event(session, principal, report, "edit", report.status)
    audit_report(session, principal, report, "update", before, extra=changed_figures)
    return report
