"""Every reporting unit below one unit in one period, with what became of its own report —
the rows of the province's completeness page (129 communes and more), and who answers for the
units that have not sent it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.accounts.models import RoleAssignment, User
from giamsat.core import clock
from giamsat.core.vietnamese import normalise_spaces
from giamsat.identity import Role
from giamsat.reports.models import Report, ReportStatus
from giamsat.reports.queries.completeness import (
    Completeness,
    _count,
    _reporting_nodes_below,
    _tree_with_levels,
    _whole_reports,
)
from giamsat.reports.queries.periods import get_period
from giamsat.units.models import Unit
from giamsat.units.queries import get_unit

#: A unit's own report in the period, in the order the status sort shows them (worst first).
STATES = ("missing", "returned", "late", "pending", "submitted")
#: Who answers for a unit's report, in the order their contacts are listed.
RESPONSIBLE_ROLES = (Role.leader, Role.staff, Role.unit_admin)


@dataclass
class Contact:
    """A person who answers for a unit's report: their name, role and how to reach them."""

    user_id: int
    full_name: str
    role: Role
    phone: str
    email: str


@dataclass
class UnitStatus:
    unit: Unit
    #: The unit's name with its spaces tidied (a double space in the data shows as one).
    name: str
    level_name: str
    report: Report | None
    #: One of STATES.
    state: str
    submitted_at: dt.datetime | None
    below: Completeness
    contacts: list[Contact] = field(default_factory=list)


def state_of(report: Report | None, due_on: dt.date, today: dt.date) -> str:
    """submitted (on time), late (sent after the deadline), returned (sent back to be mended),
    pending (not sent, deadline not passed) or missing (not sent, deadline passed)."""
    if report is not None and report.status == ReportStatus.returned:
        return "returned"
    if report is not None and report.first_submitted_at is not None:
        return "late" if report.is_late else "submitted"
    return "missing" if today > due_on else "pending"


def unit_statuses(
    session: Session, principal, *, unit_id: int, period_id: int, today: dt.date | None = None
) -> list[UnitStatus]:
    """Every Front unit below `unit_id` (residential areas do not report) along the period's
    tree, its own report's state and the completeness of its own subtree; unsorted."""
    get_unit(session, unit_id, principal)
    today = today or clock.today()
    period = get_period(session, period_id)
    tree, is_area = _tree_with_levels(session, period)
    nodes = _reporting_nodes_below(session, tree, unit_id, is_area)
    below = {n: _reporting_nodes_below(session, tree, n, is_area) for n in nodes}
    reports = _whole_reports(session, period, nodes)
    units = (
        {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(nodes)))} if nodes else {}
    )
    rows = []
    for node in nodes:
        unit, report = units[node], reports.get(node)
        rows.append(
            UnitStatus(
                unit=unit,
                name=normalise_spaces(unit.name),
                level_name=unit.level.name_vi,
                report=report,
                state=state_of(report, period.due_on, today),
                submitted_at=report.first_submitted_at if report is not None else None,
                below=_count(period, node, below[node], reports, today),
            )
        )
    return rows


def responsible_contacts(session: Session, unit_ids: list[int]) -> dict[int, list[Contact]]:
    """The active people holding a responsible role at each unit (not above it: the province's
    leaders are not a commune's contact), leaders first."""
    found: dict[int, list[Contact]] = {u: [] for u in unit_ids}
    if not unit_ids:
        return found
    rows = session.execute(
        select(RoleAssignment.unit_id, RoleAssignment.role, User)
        .join(User, User.id == RoleAssignment.user_id)
        .where(
            RoleAssignment.unit_id.in_(unit_ids),
            RoleAssignment.role.in_(RESPONSIBLE_ROLES),
            User.is_active.is_(True),
        )
    ).all()
    seen: set[tuple[int, int]] = set()
    order = {role: i for i, role in enumerate(RESPONSIBLE_ROLES)}
    for unit_id, role, user in sorted(rows, key=lambda r: (order[r[1]], r[2].full_name)):
        if (unit_id, user.id) in seen:
            continue  # one line per person, under their most responsible role
        seen.add((unit_id, user.id))
        found[unit_id].append(
            Contact(user.id, user.full_name, role, user.phone or "", user.email or "")
        )
    return found
