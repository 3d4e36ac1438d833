"""Which department of the unit's committee owns a case (Ban DC-PL, a liaison department…)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from giamsat.cases.models import Case
from giamsat.cases.operations.common import audit_case, record_event, require_handler
from giamsat.cases.queries import get_case
from giamsat.core import audit
from giamsat.units.departments import department_of_unit


def set_department(session: Session, principal, case_id: int, department_id: Any) -> Case:
    """Give the case to one of its unit's departments, or to none (`None`). A department of
    another unit, or one no longer active, is a field error (422); nothing changes then."""
    case = get_case(session, case_id, principal)
    require_handler(principal, case.unit)
    new = department_of_unit(session, department_id, case.unit_id, current=case.department_id)
    if new == case.department_id:
        return case
    before = audit.snapshot(case)
    case.department_id = new
    session.flush()
    session.refresh(case, ["department"])
    record_event(session, case, principal, "edit", details={"fields": ["department_id"]})
    audit_case(session, principal, "department", case, before)
    return case
