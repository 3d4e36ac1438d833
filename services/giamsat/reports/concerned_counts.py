"""Case counts by the people they concern: intake and outcomes by the tier (người đứng đầu,
cán bộ chủ chốt, cán bộ, đảng viên) and the management level of the people staff linked to
each case (`supervision.models.CasePerson`). A case about two heads counts once as "head";
a case about a head and a cadre counts once in each. Cases without a linked person are not
in these figures (their free-text `concerned` is never counted)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, distinct, func, select

from giamsat.cases.models import Case, CaseEvent
from giamsat.reports.indicators import (
    CASE_UNIT,
    Window,
    _case_units,
    _new_intake,
    _rows,
    computation,
)
from giamsat.supervision.models import CasePerson, SupervisedPerson

#: The person's columns the figures are sliced by.
DIMENSIONS = {"tier": SupervisedPerson.tier, "management_level": SupervisedPerson.management_level}


def _by_person(key: ColumnElement, where: ColumnElement[bool], events: bool = False) -> Select:
    stmt = (
        select(*_rows(CASE_UNIT, Case.organization_id, key, func.count(distinct(Case.id))))
        .join(CasePerson, CasePerson.case_id == Case.id)
        .join(SupervisedPerson, SupervisedPerson.id == CasePerson.person_id)
    )
    if events:
        stmt = stmt.join(CaseEvent, CaseEvent.case_id == Case.id)
    return stmt.where(where).group_by(CASE_UNIT, Case.organization_id, key)


def _received(key: ColumnElement):
    return lambda window: _by_person(key, _new_intake(window))


def _answered(key: ColumnElement):
    def count(window: Window) -> Select:
        return _by_person(key, window.dates(Case.responded_on) & _case_units(window))

    return count


def _closed(key: ColumnElement):
    def count(window: Window) -> Select:
        closed = (CaseEvent.action == "close") & window.instants(CaseEvent.at)
        return _by_person(key, closed & _case_units(window), events=True)

    return count


for _name, _column in DIMENSIONS.items():
    computation(f"cases.received_by_{_name}")(_received(_column))
    computation(f"cases.answered_by_{_name}")(_answered(_column))
    computation(f"cases.closed_by_{_name}")(_closed(_column))
