"""State changes of cases: intake, the handling workflow, transfers along the tree, tags.

Every function flushes, never commits (one commit per handler), writes a history row
(CaseEvent) and an audit entry, and raises DomainError subclasses with Vietnamese messages.
`principal` is a Principal, or a PublicActor for the public online form (intake only).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from giamsat.core import events
from giamsat.cases.events import CaseChanged
from giamsat.cases import workflow
from giamsat.cases.catalogue import categories_by_code
from giamsat.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Channel,
    RecipientKind,
    ReporterMode,
    ResponseOutcome,
)
from giamsat.cases.queries import get_case
from giamsat.core import audit
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.core.workdays import NATIONAL
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_rule, get_unit

MAX_TITLE = 200
MAX_RECIPIENT = 300
MIN_REASON = 5
#: Audit object type; a case's columns are all non-secret (the reporter lives apart).
_AUDITED_ACTIONS_OBJECT = "case"


def today() -> dt.date:
    """The current date (one place, so tests can stand on a given day)."""
    return dt.date.today()


@dataclass(frozen=True)
class PublicActor:
    """The public online form: no user; may only create an online case at a current Front unit."""

    user_id: None = None
    actor_label: str = "biểu mẫu công khai"


def _is_public(principal) -> bool:
    return isinstance(principal, PublicActor)


class _Errors:
    """Collects field errors so one 422 names every bad field."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise ValidationFailed(first if len(self.errors) == 1
                                   else "Một số thông tin chưa hợp lệ: " + first,
                                   errors=self.errors)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _enum(cls, value, field: str, errors: _Errors, message: str):
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        errors.add(field, message)
        return None


def _required_reason(reason: str | None, field: str = "reason",
                     message: str = "Hãy ghi rõ lý do.") -> str:
    reason = _text(reason)
    if len(reason) < MIN_REASON:
        raise ValidationFailed(message + f" (ít nhất {MIN_REASON} ký tự)", field=field)
    return reason


def _check_day(day, field: str, errors: _Errors, *, not_before: dt.date | None = None,
               before_label: str = "") -> dt.date | None:
    if day is None:
        return today()
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            errors.add(field, "Ngày không hợp lệ (dạng năm-tháng-ngày).")
            return None
    if day > today():
        errors.add(field, "Ngày không được sau hôm nay.")
    elif not_before and day < not_before:
        errors.add(field, f"Ngày không được trước {before_label} ({not_before:%d/%m/%Y}).")
    return day


def require_handler(principal, unit: Unit) -> None:
    """Staff, leader or admin over the unit; readonly and others get 403."""
    if _is_public(principal) or not principal.has_role_over(unit.path, workflow.CASE_HANDLERS):
        raise Forbidden("Bạn chỉ có quyền xem, không được ghi hoặc xử lý hồ sơ của đơn vị này.")


def next_number(session: Session, unit_id: int, year: int) -> int:
    """The next running number of (unit, year), gap-free: the counter row stays locked until the
    handler's transaction ends, so a concurrent intake waits; a rollback gives the number back."""
    stmt = insert(CaseCounter).values(unit_id=unit_id, year=year, last_seq=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[CaseCounter.unit_id, CaseCounter.year],
        set_={"last_seq": CaseCounter.last_seq + 1},
    ).returning(CaseCounter.last_seq)
    return session.execute(stmt).scalar_one()


def _record_event(session: Session, case: Case, principal, action: str, *, from_status=None,
                  to_status=None, reason: str | None = None, details: dict | None = None
                  ) -> CaseEvent:
    event = CaseEvent(case_id=case.id, actor_id=principal.user_id,
                      actor_label=principal.actor_label, action=action,
                      from_status=from_status.value if from_status else None,
                      to_status=to_status.value if to_status else None,
                      reason=reason, details=details or {})
    session.add(event)
    events.emit(session, CaseChanged(case=case, event=event, action=action))
    return event


def _audit(session: Session, principal, action: str, case: Case, before: dict,
           request_id: str | None, extra: dict | None = None) -> None:
    changes = audit.diff(before, audit.snapshot(case)) | (extra or {})
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action=action, object_type=_AUDITED_ACTIONS_OBJECT, object_id=case.id,
                 changes=changes, request_id=request_id)


def _intake_unit(session: Session, principal, unit_id, errors: _Errors) -> Unit | None:
    if unit_id is None:
        errors.add("unit_id", "Hãy chọn đơn vị tiếp nhận.")
        return None
    if _is_public(principal):
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
    else:
        unit = get_unit(session, unit_id, principal)
        require_handler(principal, unit)
    if unit.level.is_residential_area or not unit.is_current():
        errors.add("unit_id", "Đơn vị tiếp nhận phải là một Ủy ban MTTQ đang hoạt động "
                              "(không phải khu dân cư).")
    return unit


def _check_area(session: Session, unit: Unit | None, area_id, errors: _Errors) -> int | None:
    if area_id is None or unit is None:
        return None
    area = session.get(Unit, area_id)
    if area is None or not area.level.is_residential_area or not area.path.startswith(unit.path):
        errors.add("area_id", "Khu dân cư phải thuộc đơn vị tiếp nhận.")
        return None
    return area.id


def _check_organization(session: Session, organization_id, errors: _Errors) -> int | None:
    if organization_id is None:
        return None
    org = session.get(Organization, organization_id)
    if org is None or not org.is_enabled:
        errors.add("organization_id", "Tổ chức tiếp nhận không có trong danh sách của tỉnh.")
        return None
    return org.id


def _check_words(errors: _Errors, title, content) -> tuple[str, str]:
    title, content = _one_line(title), _text(content)
    if not title:
        errors.add("title", "Hãy nhập tiêu đề ngắn của thông tin.")
    elif len(title) > MAX_TITLE:
        errors.add("title", f"Tiêu đề dài quá {MAX_TITLE} ký tự.")
    if not content:
        errors.add("content", "Hãy nhập nội dung thông tin.")
    return title, content


def _identity_given(reporter: dict | None) -> bool:
    return bool(reporter) and any(_text(v) for v in reporter.values())


def receive_case(session: Session, principal, *, unit_id: int, received_on: dt.date | None,
                 channel, kind, title: str, content: str, concerned: str = "",
                 organization_id: int | None = None, area_id: int | None = None,
                 tag_codes=(), is_complex: bool = False,
                 reporter_mode=ReporterMode.anonymous, reporter: dict | None = None,
                 request_id: str | None = None) -> Case:
    """Record information received (tiếp nhận thông tin) with its running number per unit/year.

    The reporter's identity, if any, goes to the protected record (`cases.protection`), never
    onto the case. All field problems are reported together (422); nothing is written then."""
    errors = _Errors()
    unit = _intake_unit(session, principal, unit_id, errors)
    channel = _enum(Channel, channel, "channel", errors, "Kênh tiếp nhận không hợp lệ.")
    if _is_public(principal):
        channel = Channel.online
    kind = _enum(CaseKind, kind, "kind", errors, "Loại thông tin không hợp lệ.")
    mode = _enum(ReporterMode, reporter_mode, "reporter_mode", errors,
                 "Chế độ danh tính người gửi không hợp lệ.")
    received_on = _check_day(received_on, "received_on", errors)
    title, content = _check_words(errors, title, content)
    organization_id = _check_organization(session, organization_id, errors)
    area_id = _check_area(session, unit, area_id, errors)
    if mode == ReporterMode.anonymous and _identity_given(reporter):
        errors.add("reporter", "Thông tin nặc danh không được kèm họ tên, liên hệ hay địa chỉ "
                               "người gửi.")
    if mode in (ReporterMode.confidential, ReporterMode.open) \
            and not _text((reporter or {}).get("name")):
        errors.add("reporter.name", "Hãy nhập họ tên người gửi (hoặc chọn “Nặc danh”).")
    try:
        tags = categories_by_code(session, tag_codes)
    except ValidationFailed as exc:
        tags = []
        for field, messages in exc.errors.items():
            for message in messages:
                errors.add(field, message)
    errors.raise_if_any()

    case = Case(unit_id=unit.id, organization_id=organization_id, year=received_on.year,
                seq=next_number(session, unit.id, received_on.year), received_on=received_on,
                channel=channel, kind=kind, title=title, content=content,
                concerned=_text(concerned), status=CaseStatus.received,
                is_complex=bool(is_complex), reporter_mode=mode, area_id=area_id,
                created_by_id=principal.user_id)
    case.tags = tags
    session.add(case)
    session.flush()
    if mode != ReporterMode.anonymous:
        from giamsat.cases import protection  # the protected record, kept apart from the case

        protection.store_identity(session, case, dict(reporter), actor=principal,
                                  request_id=request_id)
    _record_event(session, case, principal, "receive", to_status=CaseStatus.received,
                  details={"channel": channel.value, "number": case.number})
    _audit(session, principal, "create", case, {}, request_id,
           {"tags": [None, [t.code for t in tags]]})
    return case


def _case_for_action(session: Session, principal, case_id: int, action: str
                     ) -> tuple[Case, CaseStatus]:
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    return case, workflow.check_transition(case.status, action)


def _move(session, principal, case, action, target, *, reason=None, details=None,
          request_id=None, before=None) -> Case:
    source = case.status
    before = before or audit.snapshot(case)
    case.status = target
    session.flush()
    _record_event(session, case, principal, action, from_status=source, to_status=target,
                  reason=reason, details=details)
    _audit(session, principal, action, case, before, request_id)
    return case


def start_verification(session: Session, principal, case_id: int, *, note: str = "",
                       request_id: str | None = None) -> Case:
    """received → verifying (xác minh, phân loại)."""
    case, target = _case_for_action(session, principal, case_id, "verify")
    return _move(session, principal, case, "verify", target, reason=_text(note) or None,
                 request_id=request_id)


def response_days(session: Session, is_complex: bool) -> int:
    """Working days the competent body has to answer (QĐ 124 Art. 8), from the tenant's rules."""
    if is_complex:
        return int(get_rule(session, "response_days_complex", 30))
    return int(get_rule(session, "response_days", 20))


def forward_case(session: Session, principal, case_id: int, *, recipient_kind, recipient_name: str,
                 forwarded_on: dt.date | None = None, is_complex: bool | None = None,
                 request_id: str | None = None) -> Case:
    """verifying → awaiting_response: sent to the competent body, due in working days."""
    case, target = _case_for_action(session, principal, case_id, "forward")
    errors = _Errors()
    kind = _enum(RecipientKind, recipient_kind, "recipient_kind", errors,
                 "Hãy chọn cơ quan nhận: cấp ủy, ủy ban kiểm tra, cơ quan nhà nước hoặc Ban "
                 "Thanh tra nhân dân.")
    name = _one_line(recipient_name)
    if not name:
        errors.add("recipient_name", "Hãy ghi tên cơ quan nhận.")
    elif len(name) > MAX_RECIPIENT:
        errors.add("recipient_name", f"Tên cơ quan nhận dài quá {MAX_RECIPIENT} ký tự.")
    forwarded_on = _check_day(forwarded_on, "forwarded_on", errors, not_before=case.received_on,
                              before_label="ngày tiếp nhận")
    errors.raise_if_any()
    before = audit.snapshot(case)
    if is_complex is not None:
        case.is_complex = bool(is_complex)
    days = response_days(session, case.is_complex)
    case.recipient_kind, case.recipient_name = kind, name
    case.forwarded_on = forwarded_on
    case.due_on = NATIONAL.add_working_days(forwarded_on, days)
    return _move(session, principal, case, "forward", target, before=before,
                 details={"recipient_kind": kind.value, "recipient_name": name,
                          "working_days": days, "due_on": case.due_on.isoformat()},
                 request_id=request_id)


def handle_case(session: Session, principal, case_id: int, *, note: str,
                request_id: str | None = None) -> Case:
    """verifying → handled: the committee settles it itself (ghi rõ cách giải quyết)."""
    case, target = _case_for_action(session, principal, case_id, "handle")
    note = _required_reason(note, "note", "Hãy ghi cách Ủy ban đã giải quyết.")
    return _move(session, principal, case, "handle", target, reason=note, request_id=request_id)


def archive_case(session: Session, principal, case_id: int, *, reason: str,
                 request_id: str | None = None) -> Case:
    """verifying → archived, with the reason (e.g. nặc danh, không có bằng chứng cụ thể —
    Luật Tố cáo 2018 Điều 25)."""
    case, target = _case_for_action(session, principal, case_id, "archive")
    reason = _required_reason(reason, "reason", "Hãy ghi lý do lưu hồ sơ.")
    before = audit.snapshot(case)
    case.archive_reason = reason
    return _move(session, principal, case, "archive", target, reason=reason, before=before,
                 request_id=request_id)


def record_response(session: Session, principal, case_id: int, *, outcome, text: str,
                    responded_on: dt.date | None = None, request_id: str | None = None) -> Case:
    """awaiting_response → responded: the competent body's answer (tiếp thu / giải trình /
    không tiếp thu). Documents go in as attachments with purpose "response"."""
    case, target = _case_for_action(session, principal, case_id, "respond")
    errors = _Errors()
    outcome = _enum(ResponseOutcome, outcome, "outcome", errors,
                    "Hãy chọn kết quả trả lời: tiếp thu, giải trình hoặc không tiếp thu.")
    text = _text(text)
    if not text:
        errors.add("text", "Hãy ghi nội dung trả lời.")
    responded_on = _check_day(responded_on, "responded_on", errors, not_before=case.forwarded_on,
                              before_label="ngày chuyển")
    errors.raise_if_any()
    before = audit.snapshot(case)
    case.response_outcome, case.response_text, case.responded_on = outcome, text, responded_on
    return _move(session, principal, case, "respond", target, before=before,
                 details={"outcome": outcome.value, "responded_on": responded_on.isoformat(),
                          "late": bool(case.due_on and responded_on > case.due_on)},
                 request_id=request_id)


def close_case(session: Session, principal, case_id: int, *, note: str = "",
               request_id: str | None = None) -> Case:
    """responded | handled → closed."""
    case, target = _case_for_action(session, principal, case_id, "close")
    before = audit.snapshot(case)
    case.closed_at = dt.datetime.now(dt.UTC)
    return _move(session, principal, case, "close", target, reason=_text(note) or None,
                 before=before, request_id=request_id)


def reopen_case(session: Session, principal, case_id: int, *, reason: str,
                request_id: str | None = None) -> Case:
    """archived | closed → verifying, with the reason (new evidence, a late answer…)."""
    case, target = _case_for_action(session, principal, case_id, "reopen")
    reason = _required_reason(reason, "reason", "Hãy ghi lý do mở lại hồ sơ.")
    before = audit.snapshot(case)
    case.closed_at = None
    return _move(session, principal, case, "reopen", target, reason=reason, before=before,
                 request_id=request_id)


def _continue_at(session: Session, principal, case: Case, unit: Unit, action: str,
                 reason: str, request_id: str | None) -> Case:
    """Create the continuing case at `unit` and mark `case` transferred. The reporter's
    identity is NOT copied: it stays with the original case only."""
    day = today()
    nxt = Case(unit_id=unit.id, organization_id=None, year=day.year,
               seq=next_number(session, unit.id, day.year), received_on=day,
               channel=Channel.forwarded, kind=case.kind, title=case.title, content=case.content,
               concerned=case.concerned, status=CaseStatus.received, is_complex=case.is_complex,
               reporter_mode=case.reporter_mode, origin_case_id=case.id,
               created_by_id=principal.user_id)
    nxt.tags = list(case.tags)
    session.add(nxt)
    session.flush()
    _record_event(session, nxt, principal, "receive", to_status=CaseStatus.received,
                  reason=reason, details={"channel": Channel.forwarded.value,
                                          "number": nxt.number, "from": action,
                                          "origin_case_id": case.id,
                                          "origin_unit": case.unit.name})
    _audit(session, principal, "create", nxt, {}, request_id,
           {"tags": [None, [t.code for t in nxt.tags]]})
    before = audit.snapshot(case)
    case.next_case_id = nxt.id
    _move(session, principal, case, action, CaseStatus.transferred, reason=reason, before=before,
          details={"next_case_id": nxt.id, "unit_id": unit.id, "unit_name": unit.name,
                   "next_number": nxt.number}, request_id=request_id)
    return nxt


def escalate_case(session: Session, principal, case_id: int, *, reason: str,
                  request_id: str | None = None) -> Case:
    """Send a case up to the parent unit (chuyển lên cấp trên). Returns the new case there."""
    case, _ = _case_for_action(session, principal, case_id, "escalate")
    reason = _required_reason(reason, "reason", "Hãy ghi lý do chuyển lên cấp trên.")
    parent = case.unit.parent
    if parent is None or not parent.is_current():
        raise Conflict("Đơn vị này không có cấp trên để chuyển lên.")
    return _continue_at(session, principal, case, parent, "escalate", reason, request_id)


def assign_case(session: Session, principal, case_id: int, *, unit_id: int, reason: str,
                request_id: str | None = None) -> Case:
    """Give a case to a direct child Front unit (giao cho cấp dưới). Returns the new case there."""
    case, _ = _case_for_action(session, principal, case_id, "assign")
    errors = _Errors()
    child = session.get(Unit, unit_id) if unit_id is not None else None
    if child is None or child.parent_id != case.unit_id or child.level.is_residential_area \
            or not child.is_current():
        errors.add("unit_id", "Chỉ giao được cho một Ủy ban MTTQ cấp dưới trực tiếp đang hoạt "
                              "động (không phải khu dân cư).")
    if len(_text(reason)) < MIN_REASON:
        errors.add("reason", f"Hãy ghi lý do giao cho cấp dưới. (ít nhất {MIN_REASON} ký tự)")
    errors.raise_if_any()
    return _continue_at(session, principal, case, child, "assign", _text(reason), request_id)


def _editable_case(session: Session, principal, case_id: int) -> Case:
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    if case.status not in workflow.EDITABLE:
        raise Conflict(f"Hồ sơ đang ở trạng thái “{workflow.status_label(case.status)}”, không "
                       "sửa được nữa (hãy mở lại hồ sơ nếu cần).")
    return case


def set_tags(session: Session, principal, case_id: int, tag_codes,
             request_id: str | None = None) -> Case:
    """Replace the classification tags of a case (several allowed)."""
    case = _editable_case(session, principal, case_id)
    return _apply_tags(session, principal, case, categories_by_code(session, tag_codes),
                       request_id)


def _apply_tags(session, principal, case, tags, request_id) -> Case:
    old = [t.code for t in case.tags]
    new = [t.code for t in tags]
    if sorted(old) == sorted(new):
        return case
    case.tags = tags
    session.flush()
    _record_event(session, case, principal, "tag", details={"from": old, "to": new})
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action="tag", object_type=_AUDITED_ACTIONS_OBJECT, object_id=case.id,
                 changes={"tags": [old, new]}, request_id=request_id)
    return case


def update_case(session: Session, principal, case_id: int, *, title: str | None = None,
                content: str | None = None, concerned: str | None = None, kind=None,
                tag_codes=None, request_id: str | None = None) -> Case:
    """Correct the words, kind or tags of a case still being handled."""
    case = _editable_case(session, principal, case_id)
    errors = _Errors()
    new_title, new_content = _check_words(
        errors, case.title if title is None else title,
        case.content if content is None else content)
    new_kind = case.kind if kind is None else _enum(CaseKind, kind, "kind", errors,
                                                    "Loại thông tin không hợp lệ.")
    tags = None
    if tag_codes is not None:
        try:
            tags = categories_by_code(session, tag_codes)
        except ValidationFailed as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    errors.add(field, message)
    errors.raise_if_any()
    before = audit.snapshot(case)
    case.title, case.content, case.kind = new_title, new_content, new_kind
    if concerned is not None:
        case.concerned = _text(concerned)
    session.flush()
    changes = audit.diff(before, audit.snapshot(case))
    if changes:
        _record_event(session, case, principal, "edit", details={"fields": sorted(changes)})
        _audit(session, principal, "update", case, before, request_id)
    if tags is not None:
        _apply_tags(session, principal, case, tags, request_id)
    return case


def set_public_answer(session: Session, principal, case_id: int, text: str,
                      request_id: str | None = None) -> Case:
    """What the sender sees through the receipt code (trả lời công khai)."""
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    before = audit.snapshot(case)
    case.public_answer = _text(text) or None
    session.flush()
    _record_event(session, case, principal, "public_note")
    _audit(session, principal, "public_answer", case, before, request_id)
    return case


def add_attachment(session: Session, principal, case_id: int, *, stream, filename: str,
                   content_type: str | None = None, purpose: str = "intake", storage=None,
                   request_id: str | None = None):
    """Stream a file into the tenant's bucket and record it (see `cases.attachments`)."""
    from giamsat.cases.attachments import store_attachment

    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    if case.status == CaseStatus.transferred:
        raise Conflict("Hồ sơ đã chuyển sang đơn vị khác; hãy đính kèm tệp ở hồ sơ nối tiếp.")
    attachment = store_attachment(session, case, stream=stream, filename=filename,
                                  declared_type=content_type, purpose=purpose,
                                  uploaded_by_id=principal.user_id, storage=storage)
    _record_event(session, case, principal, "attach",
                  details={"attachment_id": attachment.id, "purpose": attachment.purpose,
                           "content_type": attachment.content_type, "size": attachment.size})
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action="attach", object_type="case_attachment", object_id=attachment.id,
                 changes=audit.diff({}, audit.snapshot(attachment)), request_id=request_id)
    return attachment


def add_public_attachment(session: Session, case: Case, *, stream, filename: str,
                          storage=None) -> object:
    """For the public intake: a file sent with (or added later to) an online case."""
    from giamsat.cases.attachments import store_attachment

    actor = PublicActor()
    attachment = store_attachment(session, case, stream=stream, filename=filename,
                                  declared_type=None, purpose="intake", uploaded_by_id=None,
                                  storage=storage)
    _record_event(session, case, actor, "attach",
                  details={"attachment_id": attachment.id, "purpose": attachment.purpose})
    audit.record(session, actor_id=None, actor_label=actor.actor_label, action="attach",
                 object_type="case_attachment", object_id=attachment.id,
                 changes=audit.diff({}, audit.snapshot(attachment)))
    return attachment


def add_public_note(session: Session, case: Case, text: str) -> CaseEvent:
    """More information from the sender through the receipt code (bổ sung thông tin)."""
    text = _text(text)
    if not text:
        raise ValidationFailed("Hãy nhập nội dung bổ sung.", field="text")
    actor = PublicActor()
    event = _record_event(session, case, actor, "public_addition", reason=text)
    session.flush()
    audit.record(session, actor_id=None, actor_label=actor.actor_label,
                 action="public_addition", object_type=_AUDITED_ACTIONS_OBJECT,
                 object_id=case.id, changes={"event_id": [None, event.id]})
    return event

