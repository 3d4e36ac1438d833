"""Supervision activities (hoạt động giám sát, hội nghị quán triệt) and the comments given in
them (ý kiến góp ý)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.core.validation import check
from giamsat.supervision import queries
from giamsat.supervision.labels import ACTIVITY_KIND_LABELS
from giamsat.supervision.models import ActivityKind, SupervisionActivity, SupervisionComment
from giamsat.supervision.operations.boards import board_of_unit, check_board_activity
from giamsat.supervision.operations.common import (
    choice,
    organization_at,
    record_change,
    require_writer,
    unit_of,
    writable_unit,
)
from giamsat.supervision.operations.tags import checked_tags, with_tags
from giamsat.units.departments import department_of_unit
from giamsat.units.models import Unit


def _people_of_unit(session: Session, principal, unit: Unit, person_ids: Iterable[int]):
    people = []
    for person_id in dict.fromkeys(person_ids):
        try:
            person = queries.get_person(session, person_id, principal)
        except NotFound:
            raise ValidationFailed(
                f"Không tìm thấy người thuộc diện giám sát số {person_id}.", field="person_ids"
            ) from None
        if not person.unit.path.startswith(unit.path):
            raise ValidationFailed(
                f"“{person.full_name}” không thuộc danh sách giám sát của "
                "đơn vị này hoặc đơn vị trực thuộc.",
                field="person_ids",
            )
        people.append(person)
    return people


def _activity_values(
    session: Session,
    principal,
    unit: Unit,
    activity: SupervisionActivity,
    values: Mapping[str, Any],
) -> None:
    if "kind" in values:
        activity.kind = choice(ActivityKind, values["kind"], "kind", ACTIVITY_KIND_LABELS)
    if "title" in values:
        activity.title = check(
            values["title"], "title", "text", label="Tên hoạt động", required=True, max_length=300
        )
    if "starts_on" in values:
        activity.starts_on = check(
            values["starts_on"], "starts_on", "date", label="Ngày bắt đầu", required=True
        )
    if "ends_on" in values:
        activity.ends_on = values["ends_on"] or activity.starts_on
    if activity.ends_on is None:
        activity.ends_on = activity.starts_on
    if activity.ends_on < activity.starts_on:
        raise ValidationFailed("Ngày kết thúc không được trước ngày bắt đầu.", field="ends_on")
    if "participants_count" in values:
        activity.participants_count = (
            check(values["participants_count"], "participants_count", "count", label="Số người")
            or 0
        )
    for key, label in (("participants", "Thành phần tham dự"), ("findings", "Kết quả")):
        if key in values:
            setattr(activity, key, check(values[key], key, "text", label=label, single_line=False))
    if "plan_id" in values:
        plan_id = values["plan_id"]
        if plan_id is not None:
            try:
                plan = queries.get_plan(session, plan_id, principal)
            except NotFound:
                raise ValidationFailed("Không tìm thấy kế hoạch.", field="plan_id") from None
            if plan.unit_id != unit.id or plan.organization_id != activity.organization_id:
                raise ValidationFailed("Kế hoạch phải của cùng đơn vị và tổ chức.", field="plan_id")
        activity.plan_id = plan_id
    if "person_ids" in values:
        activity.people = _people_of_unit(session, principal, unit, values["person_ids"] or [])
    if "board_id" in values:
        board_id = values["board_id"]
        board = None if board_id is None else board_of_unit(session, principal, board_id, unit)
        activity.board_id = board.id if board else None
        activity.board = board
    check_board_activity(activity.board, activity.kind, activity.starts_on)
    if "department_id" in values:
        activity.department_id = department_of_unit(
            session, values["department_id"], unit.id, current=activity.department_id
        )


def _snapshot(activity: SupervisionActivity) -> dict:
    # The people supervised are part of what changed, though they live in a link table.
    return audit.snapshot(activity) | {"person_ids": sorted(p.id for p in activity.people)}


def create_activity(
    session: Session,
    principal,
    *,
    unit_id: int,
    organization_id: int,
    kind: ActivityKind | str,
    title: str,
    starts_on: dt.date,
    **values: Any,
) -> SupervisionActivity:
    """Record a supervision session or dissemination conference.

    Optional: ends_on (default starts_on), plan_id, participants_count, participants,
    findings, person_ids (people of this unit's register or below), board_id (a Ban TTND /
    Ban GSĐTCĐ of this unit, whose own work it then is), department_id (the owner)."""
    unit = writable_unit(session, principal, unit_id)
    org = organization_at(session, organization_id, unit)
    activity = SupervisionActivity(
        unit_id=unit.id, organization_id=org.id, people=[], board=None, department_id=None
    )
    _activity_values(
        session,
        principal,
        unit,
        activity,
        {"kind": kind, "title": title, "starts_on": starts_on, **values},
    )
    session.add(activity)
    session.flush()
    record_change(session, principal, "create", activity, None, _snapshot(activity))
    return activity


def update_activity(
    session: Session, principal, activity_id: int, **values: Any
) -> SupervisionActivity:
    activity = queries.get_activity(session, activity_id, principal)
    unit = unit_of(session, activity)
    require_writer(principal, unit)
    before = _snapshot(activity)
    _activity_values(session, principal, unit, activity, values)
    session.flush()
    record_change(session, principal, "update", activity, before, _snapshot(activity))
    return activity


def add_comment(
    session: Session,
    principal,
    activity_id: int,
    *,
    content: str,
    person_id: int | None = None,
    tag_codes: Iterable[str] = (),
) -> SupervisionComment:
    """Record a comment given in an activity (ý kiến góp ý); `person_id` must be one of the
    activity's people; `tag_codes` from the classification catalogue (TW4 manifestations…)."""
    activity = queries.get_activity(session, activity_id, principal)
    require_writer(principal, unit_of(session, activity))
    if person_id is not None and person_id not in {p.id for p in activity.people}:
        raise ValidationFailed(
            "Người được góp ý phải là một người được giám sát trong hoạt động này.",
            field="person_id",
        )
    tags = checked_tags(session, tag_codes)
    comment = SupervisionComment(
        unit_id=activity.unit_id,
        activity_id=activity.id,
        person_id=person_id,
        content=check(
            content, "content", "text", label="Nội dung góp ý", required=True, single_line=False
        ),
        tags=tags,
    )
    session.add(comment)
    session.flush()
    session.refresh(activity, ["comments"])
    record_change(session, principal, "create", comment, None, with_tags(comment))
    return comment
