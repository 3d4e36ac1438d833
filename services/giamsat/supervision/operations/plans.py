"""Yearly supervision plans (kế hoạch giám sát): draft, edit, approve; approved plans freeze."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Conflict, Forbidden, ValidationFailed
from giamsat.core.validation import check
from giamsat.supervision import queries
from giamsat.supervision.models import PlanStatus, SupervisionPlan
from giamsat.supervision.operations.common import (
    APPROVERS,
    organization_at,
    record_change,
    require_writer,
    today,
    unit_of,
    writable_unit,
)


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationFailed("Năm kế hoạch không hợp lệ.", field="year")
    return value


def _title(value: Any) -> str:
    return check(value, "title", "text", label="Tên kế hoạch", required=True, max_length=300)


def _content(value: Any) -> str:
    return check(value, "content", "text", label="Nội dung", single_line=False)


def create_plan(
    session: Session,
    principal,
    *,
    unit_id: int,
    organization_id: int,
    year: int,
    title: str,
    content: str = "",
) -> SupervisionPlan:
    """A yearly plan of one organization at a unit; Conflict if that year's plan exists."""
    unit = writable_unit(session, principal, unit_id)
    org = organization_at(session, organization_id, unit)
    year = _year(year)
    taken = session.scalar(
        select(SupervisionPlan.id).where(
            SupervisionPlan.unit_id == unit.id,
            SupervisionPlan.organization_id == org.id,
            SupervisionPlan.year == year,
        )
    )
    if taken is not None:
        raise Conflict(
            f"{org.short_name} của đơn vị đã có kế hoạch giám sát năm {year}.", field="year"
        )
    plan = SupervisionPlan(
        unit_id=unit.id,
        organization_id=org.id,
        year=year,
        title=_title(title),
        content=_content(content),
    )
    session.add(plan)
    session.flush()
    record_change(session, principal, "create", plan, None)
    return plan


def update_plan(
    session: Session,
    principal,
    plan_id: int,
    *,
    title: str | None = None,
    content: str | None = None,
) -> SupervisionPlan:
    """Edit a draft plan; an approved plan is frozen (Conflict)."""
    plan = queries.get_plan(session, plan_id, principal)
    require_writer(principal, unit_of(session, plan))
    if plan.status == PlanStatus.approved:
        raise Conflict("Kế hoạch đã được duyệt, không sửa được.")
    before = audit.snapshot(plan)
    if title is not None:
        plan.title = _title(title)
    if content is not None:
        plan.content = _content(content)
    session.flush()
    record_change(session, principal, "update", plan, before)
    return plan


def approve_plan(
    session: Session, principal, plan_id: int, *, approved_on: dt.date | None = None
) -> SupervisionPlan:
    """Approve a draft plan (leader, unit admin or tenant admin)."""
    plan = queries.get_plan(session, plan_id, principal)
    unit = unit_of(session, plan)
    require_writer(principal, unit)
    if not principal.has_role_over(unit.path, APPROVERS):
        raise Forbidden("Chỉ lãnh đạo hoặc quản trị viên của đơn vị được duyệt kế hoạch.")
    if plan.status == PlanStatus.approved:
        raise Conflict("Kế hoạch đã được duyệt từ trước.")
    before = audit.snapshot(plan)
    plan.status = PlanStatus.approved
    plan.approved_on = approved_on or today()
    session.flush()
    record_change(session, principal, "approve", plan, before)
    return plan
