"""State changes of the supervision register. They flush, never commit; the handler owns the
transaction. Every write is audited; every object is first read through the scoped queries, so
an id outside the caller's subtree is a NotFound (404), never a Forbidden."""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import events
from giamsat.supervision.events import SupervisionRecordChanged
from giamsat.identity import Role
from giamsat.core import audit
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.core.workdays import NATIONAL
from giamsat.supervision import queries
from giamsat.supervision.labels import (
    ACTIVITY_KIND_LABELS,
    ADDRESSEE_KIND_LABELS,
    DIALOGUE_STATUS_LABELS,
    EXPECTED_ANSWER_LABELS,
    MANAGEMENT_LEVEL_LABELS,
    TIER_LABELS,
    vietnamese,
)
from giamsat.supervision.models import (
    ActivityKind,
    AddresseeKind,
    CommitmentStatus,
    Dialogue,
    DialogueCommitment,
    DialogueIssue,
    DialogueStatus,
    ExpectedAnswer,
    ManagementLevel,
    PersonTier,
    Place,
    PlanStatus,
    Recommendation,
    RecommendationReminder,
    RecommendationStatus,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionComment,
    SupervisionPlan,
)
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import get_residential_area, get_rule, get_unit

#: Roles that record supervision work at a unit (and below it); readonly only reads.
WRITERS = frozenset({Role.staff, Role.leader, Role.unit_admin, Role.tenant_admin})
#: Roles that approve a yearly plan.
APPROVERS = frozenset({Role.leader, Role.unit_admin, Role.tenant_admin})
#: Default answer time when the tenant sets neither rule (QĐ 124-QĐ/TW Art. 8, [PARTIAL]).
DEFAULT_RESPONSE_DAYS = 20


# --- shared checks ---------------------------------------------------------------------------

def require_writer(principal, unit: Unit, roles: frozenset[Role] = WRITERS) -> None:
    if not principal.has_role_over(unit.path, roles):
        raise Forbidden("Bạn chỉ được xem, không được thay đổi sổ giám sát của đơn vị này.")


def writable_unit(session: Session, principal, unit_id: int) -> Unit:
    unit = get_unit(session, unit_id, principal)
    require_writer(principal, unit)
    return unit


def _unit_of(session: Session, obj) -> Unit:
    return session.get(Unit, obj.unit_id)


def _audit(session: Session, principal, action: str, obj, before: dict | None,
           request_id: str | None, object_type: str | None = None) -> None:
    changes = audit.diff(before or {}, audit.snapshot(obj))
    if before is not None and not changes:
        return
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action=action, object_type=object_type or obj.__tablename__,
                 object_id=obj.id, changes=changes, request_id=request_id)
    events.emit(session, SupervisionRecordChanged(obj=obj, before=before, action=action))


def _text(value: Any, field: str, *, label: str, required: bool = False,
          max_length: int | None = None, single_line: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{label} phải là chữ.", field=field)
    value = " ".join(value.split()) if single_line else value.strip()
    if required and not value:
        raise ValidationFailed(f"Hãy nhập {label.lower()}.", field=field)
    if max_length and len(value) > max_length:
        raise ValidationFailed(f"{label} dài quá {max_length} ký tự.", field=field)
    return value


def _choice(cls: type[enum.Enum], value: Any, field: str, labels: Mapping | None = None):
    try:
        return value if isinstance(value, cls) else cls(value)
    except ValueError:
        allowed = ", ".join(vietnamese(labels)[m] if labels else m.value for m in cls)
        raise ValidationFailed(f"Giá trị không hợp lệ. Chọn một trong: {allowed}.",
                               field=field) from None


def _count(value: Any, field: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationFailed("Số người phải là số nguyên, không âm.", field=field)
    return value


def _organization_at(session: Session, organization_id: Any, unit: Unit) -> Organization:
    org = session.get(Organization, organization_id) if isinstance(organization_id, int) else None
    if org is None or not org.is_enabled:
        raise ValidationFailed("Tổ chức không có trong danh sách của tỉnh.",
                               field="organization_id")
    if org.level_codes is not None and unit.level_code not in org.level_codes:
        raise ValidationFailed(f"{org.short_name} không tổ chức ở cấp của đơn vị này.",
                               field="organization_id")
    return org


def _apply(obj, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        setattr(obj, key, value)


def _today() -> dt.date:
    return dt.date.today()


# --- people (đối tượng giám sát) ----------------------------------------------------------

#: Fields of a person that callers may set (create, patch, import).
PERSON_FIELDS = ("full_name", "birth_year", "position", "tier", "workplace_agency",
                 "workplace_unit", "residence_area_id", "residence", "management_level",
                 "is_party_member", "notes", "is_active")


def clean_person_fields(session: Session, principal, values: Mapping[str, Any]) -> dict:
    """Check and normalise the given person fields; ValidationFailed names the bad field.

    Used by create, update and the XLSX import, so every rule and message has one home."""
    out: dict[str, Any] = {}
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed("Trường không được hỗ trợ: " + ", ".join(sorted(unknown)) + ".")
    if "full_name" in values:
        out["full_name"] = _text(values["full_name"], "full_name", label="Họ và tên",
                                 required=True, max_length=200)
    if "birth_year" in values:
        year = values["birth_year"]
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                                 or not 1900 <= year <= _today().year):
            raise ValidationFailed(f"Năm sinh phải là năm có 4 chữ số, từ 1900 đến "
                                   f"{_today().year}.", field="birth_year")
        out["birth_year"] = year
    for key, label in (("position", "Chức vụ"), ("workplace_agency", "Cơ quan công tác"),
                       ("workplace_unit", "Đơn vị"), ("residence", "Nơi cư trú")):
        if key in values:
            out[key] = _text(values[key], key, label=label, max_length=300)
    if "notes" in values:
        out["notes"] = _text(values["notes"], "notes", label="Ghi chú", single_line=False)
    if "tier" in values:
        out["tier"] = _choice(PersonTier, values["tier"], "tier", TIER_LABELS)
    if "management_level" in values:
        level = values["management_level"]
        out["management_level"] = ManagementLevel.other if level in (None, "") else _choice(
            ManagementLevel, level, "management_level", MANAGEMENT_LEVEL_LABELS)
    for key in ("is_party_member", "is_active"):
        if key in values:
            if not isinstance(values[key], bool):
                raise ValidationFailed("Chỉ nhận có hoặc không.", field=key)
            out[key] = values[key]
    if "residence_area_id" in values:
        area_id = values["residence_area_id"]
        if area_id is not None:
            try:
                area_id = get_residential_area(session, area_id, principal).id
            except NotFound:
                raise ValidationFailed("Không tìm thấy khu dân cư nơi cư trú.",
                                       field="residence_area_id") from None
        out["residence_area_id"] = area_id
    return out


def _set_keys(person: SupervisedPerson) -> None:
    person.name_key = queries.fold(person.full_name)
    person.workplace_key = queries.fold(person.workplace_agency)


def _check_not_duplicate(session: Session, person: SupervisedPerson) -> None:
    twin = queries.find_duplicate_person(session, person.unit_id, person.name_key,
                                         person.birth_year, person.workplace_key,
                                         exclude_id=person.id)
    if twin is not None:
        raise Conflict(f"“{twin.full_name}” (cùng năm sinh, cùng cơ quan công tác) đã có trong "
                       "danh sách của đơn vị.", field="full_name")


def create_person(session: Session, principal, *, unit_id: int, request_id: str | None = None,
                  action: str = "create", **values: Any) -> SupervisedPerson:
    """Add a person to a unit's register.

    Needs full_name and tier. Raises NotFound (unit not visible), Forbidden (readonly),
    ValidationFailed (a field), Conflict (same name, birth year and workplace already there)."""
    unit = writable_unit(session, principal, unit_id)
    for key in ("full_name", "tier"):
        values.setdefault(key, None)
    person = SupervisedPerson(unit_id=unit.id, **clean_person_fields(session, principal, values))
    _set_keys(person)
    _check_not_duplicate(session, person)
    session.add(person)
    session.flush()
    _audit(session, principal, action, person, None, request_id)
    return person


def update_person(session: Session, principal, person_id: int, *,
                  request_id: str | None = None, **values: Any) -> SupervisedPerson:
    """Change fields of a person (set is_active=False to take them off the register)."""
    person = queries.get_person(session, person_id, principal)
    require_writer(principal, _unit_of(session, person))
    before = audit.snapshot(person)
    _apply(person, clean_person_fields(session, principal, values))
    _set_keys(person)
    _check_not_duplicate(session, person)
    session.flush()
    _audit(session, principal, "update", person, before, request_id)
    return person


# --- assignments (phân công giám sát) -----------------------------------------------------

def _check_open_unique(session: Session, person_id: int, organization_id: int, place: Place,
                       exclude_id: int | None = None) -> None:
    stmt = select(SupervisionAssignment.id).where(
        SupervisionAssignment.person_id == person_id,
        SupervisionAssignment.organization_id == organization_id,
        SupervisionAssignment.place == place,
        SupervisionAssignment.valid_to.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(SupervisionAssignment.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise Conflict("Tổ chức này đang được phân công giám sát người này ở nơi đó rồi.",
                       field="organization_id")


def assign_person(session: Session, principal, *, person_id: int, organization_id: int,
                  place: Place | str, valid_from: dt.date | None = None, note: str = "",
                  request_id: str | None = None) -> SupervisionAssignment:
    """Assign an organization of the person's unit to supervise them at a place.

    Raises Conflict when the same organization already supervises them at that place."""
    person = queries.get_person(session, person_id, principal)
    unit = _unit_of(session, person)
    require_writer(principal, unit)
    if not person.is_active:
        raise ValidationFailed("Người này đã ra khỏi danh sách giám sát.", field="person_id")
    org = _organization_at(session, organization_id, unit)
    place = _choice(Place, place, "place")
    _check_open_unique(session, person.id, org.id, place)
    assignment = SupervisionAssignment(
        unit_id=unit.id, organization_id=org.id, person_id=person.id, place=place,
        valid_from=valid_from or _today(),
        note=_text(note, "note", label="Ghi chú", single_line=False))
    session.add(assignment)
    session.flush()
    _audit(session, principal, "create", assignment, None, request_id)
    return assignment


def _close(assignment: SupervisionAssignment, last_day: dt.date) -> None:
    if last_day < assignment.valid_from:
        raise ValidationFailed("Ngày kết thúc không được trước ngày bắt đầu phân công.",
                               field="valid_to")
    assignment.valid_to = last_day


def end_assignment(session: Session, principal, assignment_id: int, *,
                   valid_to: dt.date | None = None, note: str | None = None,
                   request_id: str | None = None) -> SupervisionAssignment:
    """End an assignment on `valid_to` (its last day, default today); the row stays as history."""
    assignment = queries.get_assignment(session, assignment_id, principal)
    require_writer(principal, _unit_of(session, assignment))
    if assignment.valid_to is not None:
        raise Conflict("Phân công này đã kết thúc từ trước.")
    before = audit.snapshot(assignment)
    _close(assignment, valid_to or _today())
    if note:
        assignment.note = _text(note, "note", label="Ghi chú", single_line=False)
    session.flush()
    _audit(session, principal, "end", assignment, before, request_id)
    return assignment


def change_assignment(session: Session, principal, assignment_id: int, *,
                      organization_id: int | None = None, place: Place | str | None = None,
                      on: dt.date | None = None, note: str = "",
                      request_id: str | None = None) -> SupervisionAssignment:
    """Change who supervises or where: the old row ends the day before `on` and a new row
    starts on `on` (default today). Nothing is updated in place."""
    old = queries.get_assignment(session, assignment_id, principal)
    unit = _unit_of(session, old)
    require_writer(principal, unit)
    if old.valid_to is not None:
        raise Conflict("Phân công này đã kết thúc; hãy tạo phân công mới.")
    start = on or _today()
    if start <= old.valid_from:
        raise ValidationFailed("Ngày thay đổi phải sau ngày bắt đầu phân công cũ.", field="on")
    org = _organization_at(session, organization_id, unit) if organization_id is not None \
        else old.organization
    place = _choice(Place, place, "place") if place is not None else old.place
    if org.id == old.organization_id and place == old.place:
        raise ValidationFailed("Không có gì thay đổi: hãy chọn tổ chức hoặc nơi giám sát khác.")
    _check_open_unique(session, old.person_id, org.id, place, exclude_id=old.id)
    before = audit.snapshot(old)
    _close(old, start - dt.timedelta(days=1))
    session.flush()
    _audit(session, principal, "end", old, before, request_id)
    new = SupervisionAssignment(unit_id=unit.id, organization_id=org.id, person_id=old.person_id,
                                place=place, valid_from=start, replaces_id=old.id,
                                note=_text(note, "note", label="Ghi chú", single_line=False))
    session.add(new)
    session.flush()
    _audit(session, principal, "create", new, None, request_id)
    return new


# --- plans (kế hoạch giám sát) --------------------------------------------------------------

def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationFailed("Năm kế hoạch không hợp lệ.", field="year")
    return value


def create_plan(session: Session, principal, *, unit_id: int, organization_id: int, year: int,
                title: str, content: str = "", request_id: str | None = None) -> SupervisionPlan:
    """A yearly plan of one organization at a unit; Conflict if that year's plan exists."""
    unit = writable_unit(session, principal, unit_id)
    org = _organization_at(session, organization_id, unit)
    year = _year(year)
    taken = session.scalar(select(SupervisionPlan.id).where(
        SupervisionPlan.unit_id == unit.id, SupervisionPlan.organization_id == org.id,
        SupervisionPlan.year == year))
    if taken is not None:
        raise Conflict(f"{org.short_name} của đơn vị đã có kế hoạch giám sát năm {year}.",
                       field="year")
    plan = SupervisionPlan(unit_id=unit.id, organization_id=org.id, year=year,
                           title=_text(title, "title", label="Tên kế hoạch", required=True,
                                       max_length=300),
                           content=_text(content, "content", label="Nội dung",
                                         single_line=False))
    session.add(plan)
    session.flush()
    _audit(session, principal, "create", plan, None, request_id)
    return plan


def update_plan(session: Session, principal, plan_id: int, *, title: str | None = None,
                content: str | None = None, request_id: str | None = None) -> SupervisionPlan:
    """Edit a draft plan; an approved plan is frozen (Conflict)."""
    plan = queries.get_plan(session, plan_id, principal)
    require_writer(principal, _unit_of(session, plan))
    if plan.status == PlanStatus.approved:
        raise Conflict("Kế hoạch đã được duyệt, không sửa được.")
    before = audit.snapshot(plan)
    if title is not None:
        plan.title = _text(title, "title", label="Tên kế hoạch", required=True, max_length=300)
    if content is not None:
        plan.content = _text(content, "content", label="Nội dung", single_line=False)
    session.flush()
    _audit(session, principal, "update", plan, before, request_id)
    return plan


def approve_plan(session: Session, principal, plan_id: int, *, approved_on: dt.date | None = None,
                 request_id: str | None = None) -> SupervisionPlan:
    """Approve a draft plan (leader, unit admin or tenant admin)."""
    plan = queries.get_plan(session, plan_id, principal)
    unit = _unit_of(session, plan)
    require_writer(principal, unit)
    if not principal.has_role_over(unit.path, APPROVERS):
        raise Forbidden("Chỉ lãnh đạo hoặc quản trị viên của đơn vị được duyệt kế hoạch.")
    if plan.status == PlanStatus.approved:
        raise Conflict("Kế hoạch đã được duyệt từ trước.")
    before = audit.snapshot(plan)
    plan.status = PlanStatus.approved
    plan.approved_on = approved_on or _today()
    session.flush()
    _audit(session, principal, "approve", plan, before, request_id)
    return plan


# --- activities (hoạt động giám sát) and comments -----------------------------------------

def _people_of_unit(session: Session, principal, unit: Unit, person_ids: Iterable[int]):
    people = []
    for person_id in dict.fromkeys(person_ids):
        try:
            person = queries.get_person(session, person_id, principal)
        except NotFound:
            raise ValidationFailed(f"Không tìm thấy người thuộc diện giám sát số {person_id}.",
                                   field="person_ids") from None
        if not person.unit.path.startswith(unit.path):
            raise ValidationFailed(f"“{person.full_name}” không thuộc danh sách giám sát của "
                                   "đơn vị này hoặc đơn vị trực thuộc.", field="person_ids")
        people.append(person)
    return people


def _activity_values(session: Session, principal, unit: Unit, activity: SupervisionActivity,
                     values: Mapping[str, Any]) -> None:
    if "kind" in values:
        activity.kind = _choice(ActivityKind, values["kind"], "kind", ACTIVITY_KIND_LABELS)
    if "title" in values:
        activity.title = _text(values["title"], "title", label="Tên hoạt động", required=True,
                               max_length=300)
    if "starts_on" in values:
        if not isinstance(values["starts_on"], dt.date):
            raise ValidationFailed("Hãy nhập ngày bắt đầu.", field="starts_on")
        activity.starts_on = values["starts_on"]
    if "ends_on" in values:
        activity.ends_on = values["ends_on"] or activity.starts_on
    if activity.ends_on is None:
        activity.ends_on = activity.starts_on
    if activity.ends_on < activity.starts_on:
        raise ValidationFailed("Ngày kết thúc không được trước ngày bắt đầu.", field="ends_on")
    if "participants_count" in values:
        activity.participants_count = _count(values["participants_count"], "participants_count")
    for key, label in (("participants", "Thành phần tham dự"), ("findings", "Kết quả")):
        if key in values:
            setattr(activity, key, _text(values[key], key, label=label, single_line=False))
    if "plan_id" in values:
        plan_id = values["plan_id"]
        if plan_id is not None:
            try:
                plan = queries.get_plan(session, plan_id, principal)
            except NotFound:
                raise ValidationFailed("Không tìm thấy kế hoạch.", field="plan_id") from None
            if plan.unit_id != unit.id or plan.organization_id != activity.organization_id:
                raise ValidationFailed("Kế hoạch phải của cùng đơn vị và tổ chức.",
                                       field="plan_id")
        activity.plan_id = plan_id
    if "person_ids" in values:
        activity.people = _people_of_unit(session, principal, unit, values["person_ids"] or [])


def _activity_snapshot(activity: SupervisionActivity) -> dict:
    return audit.snapshot(activity) | {"person_ids": sorted(p.id for p in activity.people)}


def create_activity(session: Session, principal, *, unit_id: int, organization_id: int,
                    kind: ActivityKind | str, title: str, starts_on: dt.date,
                    request_id: str | None = None, **values: Any) -> SupervisionActivity:
    """Record a supervision session or dissemination conference.

    Optional: ends_on (default starts_on), plan_id, participants_count, participants,
    findings, person_ids (people of this unit's register or below)."""
    unit = writable_unit(session, principal, unit_id)
    org = _organization_at(session, organization_id, unit)
    activity = SupervisionActivity(unit_id=unit.id, organization_id=org.id, people=[])
    _activity_values(session, principal, unit, activity,
                     {"kind": kind, "title": title, "starts_on": starts_on, **values})
    session.add(activity)
    session.flush()
    audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                 action="create", object_type=activity.__tablename__, object_id=activity.id,
                 changes=audit.diff({}, _activity_snapshot(activity)), request_id=request_id)
    events.emit(session, SupervisionRecordChanged(obj=activity, before=None, action="create"))
    return activity


def update_activity(session: Session, principal, activity_id: int, *,
                    request_id: str | None = None, **values: Any) -> SupervisionActivity:
    activity = queries.get_activity(session, activity_id, principal)
    unit = _unit_of(session, activity)
    require_writer(principal, unit)
    before = _activity_snapshot(activity)
    _activity_values(session, principal, unit, activity, values)
    session.flush()
    changes = audit.diff(before, _activity_snapshot(activity))
    if changes:
        audit.record(session, actor_id=principal.user_id, actor_label=principal.actor_label,
                     action="update", object_type=activity.__tablename__, object_id=activity.id,
                     changes=changes, request_id=request_id)
        events.emit(session, SupervisionRecordChanged(obj=activity, before=before,
                                                      action="update"))
    return activity


def add_comment(session: Session, principal, activity_id: int, *, content: str,
                person_id: int | None = None,
                request_id: str | None = None) -> SupervisionComment:
    """Record a comment given in an activity (ý kiến góp ý); `person_id` must be one of the
    activity's people."""
    activity = queries.get_activity(session, activity_id, principal)
    require_writer(principal, _unit_of(session, activity))
    if person_id is not None and person_id not in {p.id for p in activity.people}:
        raise ValidationFailed("Người được góp ý phải là một người được giám sát trong hoạt "
                               "động này.", field="person_id")
    comment = SupervisionComment(
        unit_id=activity.unit_id, activity_id=activity.id, person_id=person_id,
        content=_text(content, "content", label="Nội dung góp ý", required=True,
                      single_line=False))
    session.add(comment)
    session.flush()
    session.refresh(activity, ["comments"])
    _audit(session, principal, "create", comment, None, request_id)
    return comment


# --- recommendations (kiến nghị) ----------------------------------------------------------

def response_days(session: Session) -> int:
    """Working days an addressee has to answer: the tenant's recommendation_response_days,
    else its response_days, else 20."""
    days = get_rule(session, "recommendation_response_days", None)
    if days is None:
        days = get_rule(session, "response_days", DEFAULT_RESPONSE_DAYS)
    return days if isinstance(days, int) and days > 0 else DEFAULT_RESPONSE_DAYS


def due_date(session: Session, issued_on: dt.date) -> dt.date:
    return NATIONAL.add_working_days(issued_on, response_days(session))


def issue_recommendation(session: Session, principal, *, unit_id: int, organization_id: int,
                         addressee_kind: AddresseeKind | str, addressee_name: str, content: str,
                         expected_answer: ExpectedAnswer | str,
                         issued_on: dt.date | None = None, activity_id: int | None = None,
                         person_id: int | None = None,
                         request_id: str | None = None) -> Recommendation:
    """Record a recommendation; its due date is counted in working days from `issued_on`."""
    unit = writable_unit(session, principal, unit_id)
    org = _organization_at(session, organization_id, unit)
    issued_on = issued_on or _today()
    if issued_on > _today():
        raise ValidationFailed("Ngày kiến nghị không được sau hôm nay.", field="issued_on")
    rec = Recommendation(
        unit_id=unit.id, organization_id=org.id,
        addressee_kind=_choice(AddresseeKind, addressee_kind, "addressee_kind",
                               ADDRESSEE_KIND_LABELS),
        addressee_name=_text(addressee_name, "addressee_name", label="Nơi nhận kiến nghị",
                             required=True, max_length=300),
        content=_text(content, "content", label="Nội dung kiến nghị", required=True,
                      single_line=False),
        expected_answer=_choice(ExpectedAnswer, expected_answer, "expected_answer",
                                EXPECTED_ANSWER_LABELS),
        issued_on=issued_on, due_on=due_date(session, issued_on),
        status=RecommendationStatus.awaiting)
    if activity_id is not None:
        try:
            activity = queries.get_activity(session, activity_id, principal)
        except NotFound:
            raise ValidationFailed("Không tìm thấy hoạt động giám sát.",
                                   field="activity_id") from None
        if activity.unit_id != unit.id:
            raise ValidationFailed("Hoạt động giám sát phải của cùng đơn vị.", field="activity_id")
        rec.activity_id = activity.id
    if person_id is not None:
        try:
            rec.person_id = queries.get_person(session, person_id, principal).id
        except NotFound:
            raise ValidationFailed("Không tìm thấy người thuộc diện giám sát.",
                                   field="person_id") from None
    session.add(rec)
    session.flush()
    _audit(session, principal, "create", rec, None, request_id)
    return rec


def _awaiting(session: Session, principal, recommendation_id: int) -> Recommendation:
    rec = queries.get_recommendation(session, recommendation_id, principal)
    require_writer(principal, _unit_of(session, rec))
    if rec.status != RecommendationStatus.awaiting:
        raise Conflict("Kiến nghị này không còn chờ trả lời.")
    return rec


def answer_recommendation(session: Session, principal, recommendation_id: int, *,
                          outcome: ExpectedAnswer | str, answer: str,
                          answered_on: dt.date | None = None,
                          request_id: str | None = None) -> Recommendation:
    """Record the answer received: tiếp thu (accept) or giải trình (explain)."""
    rec = _awaiting(session, principal, recommendation_id)
    outcome = _choice(ExpectedAnswer, outcome, "outcome")
    answered_on = answered_on or _today()
    if answered_on < rec.issued_on or answered_on > _today():
        raise ValidationFailed("Ngày trả lời phải từ ngày kiến nghị đến hôm nay.",
                               field="answered_on")
    before = audit.snapshot(rec)
    rec.status = (RecommendationStatus.answered_accepted if outcome == ExpectedAnswer.accept
                  else RecommendationStatus.answered_explained)
    rec.answer = _text(answer, "answer", label="Nội dung trả lời", required=True,
                       single_line=False)
    rec.answered_on = answered_on
    session.flush()
    _audit(session, principal, "answer", rec, before, request_id)
    return rec


def withdraw_recommendation(session: Session, principal, recommendation_id: int, *,
                            reason: str, request_id: str | None = None) -> Recommendation:
    rec = _awaiting(session, principal, recommendation_id)
    before = audit.snapshot(rec)
    rec.status = RecommendationStatus.withdrawn
    rec.withdrawn_reason = _text(reason, "reason", label="Lý do rút kiến nghị", required=True,
                                 single_line=False)
    session.flush()
    _audit(session, principal, "withdraw", rec, before, request_id)
    return rec


def remind_recommendation(session: Session, principal, recommendation_id: int, *,
                          note: str, reminded_on: dt.date | None = None,
                          request_id: str | None = None) -> RecommendationReminder:
    """Record a follow-up reminder (đôn đốc) about an unanswered recommendation."""
    rec = _awaiting(session, principal, recommendation_id)
    reminded_on = reminded_on or _today()
    if reminded_on < rec.issued_on or reminded_on > _today():
        raise ValidationFailed("Ngày đôn đốc phải từ ngày kiến nghị đến hôm nay.",
                               field="reminded_on")
    reminder = RecommendationReminder(
        unit_id=rec.unit_id, recommendation_id=rec.id, reminded_on=reminded_on,
        note=_text(note, "note", label="Nội dung đôn đốc", required=True, single_line=False))
    session.add(reminder)
    session.flush()
    session.refresh(rec, ["reminders"])
    _audit(session, principal, "create", reminder, None, request_id)
    return reminder


# --- dialogues (đối thoại) ------------------------------------------------------------------

def _dialogue_values(dialogue: Dialogue, values: Mapping[str, Any]) -> None:
    if "title" in values:
        dialogue.title = _text(values["title"], "title", label="Chủ đề đối thoại", required=True,
                               max_length=300)
    if "held_on" in values:
        if not isinstance(values["held_on"], dt.date):
            raise ValidationFailed("Hãy nhập ngày đối thoại.", field="held_on")
        dialogue.held_on = values["held_on"]
    if "status" in values:
        dialogue.status = _choice(DialogueStatus, values["status"], "status",
                                  DIALOGUE_STATUS_LABELS)
    if dialogue.status == DialogueStatus.held and dialogue.held_on > _today():
        raise ValidationFailed("Buổi đối thoại chưa tới ngày, chưa thể ghi là đã tổ chức.",
                               field="status")
    for key, label, single in (("place", "Địa điểm", True), ("chaired_by", "Chủ trì", True),
                               ("heads_present", "Người đứng đầu tham dự", False),
                               ("participants", "Thành phần", False),
                               ("summary", "Kết quả", False)):
        if key in values:
            setattr(dialogue, key, _text(values[key], key, label=label, single_line=single,
                                         max_length=300 if single else None))
    if "participants_count" in values:
        dialogue.participants_count = _count(values["participants_count"], "participants_count")


def create_dialogue(session: Session, principal, *, unit_id: int, organization_id: int,
                    title: str, held_on: dt.date, request_id: str | None = None,
                    **values: Any) -> Dialogue:
    """Schedule (or record) a dialogue. Optional: place, status, chaired_by, heads_present,
    participants_count, participants, summary."""
    unit = writable_unit(session, principal, unit_id)
    org = _organization_at(session, organization_id, unit)
    dialogue = Dialogue(unit_id=unit.id, organization_id=org.id,
                        status=DialogueStatus.scheduled)
    _dialogue_values(dialogue, {"title": title, "held_on": held_on, **values})
    session.add(dialogue)
    session.flush()
    _audit(session, principal, "create", dialogue, None, request_id)
    return dialogue


def update_dialogue(session: Session, principal, dialogue_id: int, *,
                    request_id: str | None = None, **values: Any) -> Dialogue:
    dialogue = queries.get_dialogue(session, dialogue_id, principal)
    require_writer(principal, _unit_of(session, dialogue))
    before = audit.snapshot(dialogue)
    _dialogue_values(dialogue, values)
    session.flush()
    _audit(session, principal, "update", dialogue, before, request_id)
    return dialogue


def add_dialogue_issue(session: Session, principal, dialogue_id: int, *, content: str,
                       answer: str = "", request_id: str | None = None) -> DialogueIssue:
    dialogue = queries.get_dialogue(session, dialogue_id, principal)
    require_writer(principal, _unit_of(session, dialogue))
    issue = DialogueIssue(unit_id=dialogue.unit_id, dialogue_id=dialogue.id,
                          content=_text(content, "content", label="Vấn đề nêu ra",
                                        required=True, single_line=False),
                          answer=_text(answer, "answer", label="Trả lời", single_line=False))
    session.add(issue)
    session.flush()
    session.refresh(dialogue, ["issues"])
    _audit(session, principal, "create", issue, None, request_id)
    return issue


def add_commitment(session: Session, principal, dialogue_id: int, *, content: str,
                   responsible: str = "", due_on: dt.date | None = None,
                   issue_id: int | None = None,
                   request_id: str | None = None) -> DialogueCommitment:
    """Record a commitment made at a dialogue; it stays open until kept or reported broken."""
    dialogue = queries.get_dialogue(session, dialogue_id, principal)
    require_writer(principal, _unit_of(session, dialogue))
    if issue_id is not None and issue_id not in {i.id for i in dialogue.issues}:
        raise ValidationFailed("Vấn đề phải thuộc buổi đối thoại này.", field="issue_id")
    if due_on is not None and due_on < dialogue.held_on:
        raise ValidationFailed("Hạn thực hiện không được trước ngày đối thoại.", field="due_on")
    commitment = DialogueCommitment(
        unit_id=dialogue.unit_id, dialogue_id=dialogue.id, issue_id=issue_id,
        content=_text(content, "content", label="Nội dung cam kết", required=True,
                      single_line=False),
        responsible=_text(responsible, "responsible", label="Người chịu trách nhiệm",
                          max_length=300),
        due_on=due_on, status=CommitmentStatus.open)
    session.add(commitment)
    session.flush()
    session.refresh(dialogue, ["commitments"])
    _audit(session, principal, "create", commitment, None, request_id)
    return commitment


def report_commitment(session: Session, principal, commitment_id: int, *,
                      status: CommitmentStatus | str, report: str,
                      reported_on: dt.date | None = None,
                      request_id: str | None = None) -> DialogueCommitment:
    """Close the follow-up of a commitment: kept, or broken (with the report that says so)."""
    commitment = queries.get_commitment(session, commitment_id, principal)
    require_writer(principal, _unit_of(session, commitment))
    if commitment.status != CommitmentStatus.open:
        raise Conflict("Cam kết này đã có kết quả theo dõi.")
    status = _choice(CommitmentStatus, status, "status")
    if status == CommitmentStatus.open:
        raise ValidationFailed("Hãy chọn đã thực hiện hoặc không thực hiện.", field="status")
    reported_on = reported_on or _today()
    if reported_on > _today():
        raise ValidationFailed("Ngày báo cáo không được sau hôm nay.", field="reported_on")
    before = audit.snapshot(commitment)
    commitment.status = status
    commitment.report = _text(report, "report", label="Kết quả theo dõi", required=True,
                              single_line=False)
    commitment.reported_on = reported_on
    session.flush()
    _audit(session, principal, "report", commitment, before, request_id)
    return commitment
