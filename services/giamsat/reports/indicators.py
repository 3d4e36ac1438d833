"""The indicator catalogue (data/indicators.toml) and the registered computations over records.

A computation is a function `(window: Window) -> Select` returning rows of
(unit_id, organization_id, key, value): one figure per unit the records are attributed to,
organization (None when the record has none) and slice key (a channel, a kind…; None when the
computation has no slices). An indicator names a computation and optionally one slice.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
)

from giamsat.core import clock
from giamsat.cases.models import Case, CaseEvent, CaseTag, ClassificationCategory, ReporterMode
from giamsat.supervision.models import (
    ActivityKind,
    Dialogue,
    DialogueStatus,
    Recommendation,
    RecommendationStatus,
    SupervisedPerson,
    SupervisionActivity,
    SupervisionAssignment,
    SupervisionComment,
    activity_people,
)

MANUAL = "manual"
GROUPS = ("activities", "intake", "handling", "outcomes")
#: Dates of timestamps (event times, box openings) are Vietnam dates.


@dataclass(frozen=True)
class Window:
    """What a computation counts: records dated `starts_on`..`ends_on` (inclusive), attributed
    to `unit_ids` (None: every unit)."""

    starts_on: dt.date
    ends_on: dt.date
    unit_ids: frozenset[int] | None = None

    def units(self, column) -> ColumnElement[bool]:
        if self.unit_ids is None:
            return literal(True)
        return column.in_(sorted(self.unit_ids))

    def dates(self, column) -> ColumnElement[bool]:
        return column.between(self.starts_on, self.ends_on)

    def instants(self, column) -> ColumnElement[bool]:
        """A timestamp column within the window's Vietnam days."""
        start = dt.datetime.combine(self.starts_on, dt.time(), clock.zone())
        end = dt.datetime.combine(self.ends_on + dt.timedelta(days=1), dt.time(), clock.zone())
        return and_(column >= start, column < end)


Computation = Callable[[Window], Select]
COMPUTATIONS: dict[str, Computation] = {}


def computation(key: str) -> Callable[[Computation], Computation]:
    def register(fn: Computation) -> Computation:
        if key in COMPUTATIONS:
            raise ValueError(f"computation {key} registered twice")
        COMPUTATIONS[key] = fn
        return fn
    return register


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    group: str
    label: str
    unit: str
    computation: str
    argument: str = ""
    method: str = ""
    sort_order: int = 0

    @property
    def is_manual(self) -> bool:
        return self.computation == MANUAL


def load_catalogue() -> list[IndicatorSpec]:
    """The shipped catalogue, checked: unique codes, known groups and computations."""
    text = resources.files("giamsat.reports").joinpath("data/indicators.toml").read_text("utf-8")
    specs = []
    for order, row in enumerate(tomllib.loads(text)["indicator"], start=1):
        spec = IndicatorSpec(code=row["code"], group=row["group"], label=row["label"],
                             unit=row["unit"], computation=row["computation"],
                             argument=row.get("argument", ""), method=row.get("method", ""),
                             sort_order=order * 10)
        if spec.group not in GROUPS:
            raise ValueError(f"indicator {spec.code}: unknown group {spec.group}")
        if not spec.is_manual and spec.computation not in COMPUTATIONS:
            raise ValueError(f"indicator {spec.code}: unknown computation {spec.computation}")
        specs.append(spec)
    codes = [s.code for s in specs]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate indicator codes in indicators.toml")
    return specs


def _rows(unit_col, org_col, key_col, value_col) -> list:
    return [unit_col.label("unit_id"), org_col.label("organization_id"),
            cast(key_col, String).label("key"), value_col.label("value")]


# --- cases ---------------------------------------------------------------------------------------

#: A case counts at its residential area when it names one (suggestion boxes, QR forms), else at
#: the unit whose queue holds it.
CASE_UNIT = func.coalesce(Case.area_id, Case.unit_id)


def _case_units(window: Window) -> ColumnElement[bool]:
    if window.unit_ids is None:
        return literal(True)
    ids = sorted(window.unit_ids)
    return or_(Case.area_id.in_(ids), and_(Case.area_id.is_(None), Case.unit_id.in_(ids)))


def _new_intake(window: Window) -> ColumnElement[bool]:
    # A case continued from another unit (escalated/assigned) was already counted where it
    # was first received.
    return and_(Case.origin_case_id.is_(None), window.dates(Case.received_on),
                _case_units(window))


@computation("cases.received")
def cases_received(window: Window) -> Select:
    return (select(*_rows(CASE_UNIT, Case.organization_id, Case.channel, func.count()))
            .where(_new_intake(window)).group_by(CASE_UNIT, Case.organization_id, Case.channel))


@computation("cases.received_by_kind")
def cases_received_by_kind(window: Window) -> Select:
    return (select(*_rows(CASE_UNIT, Case.organization_id, Case.kind, func.count()))
            .where(_new_intake(window)).group_by(CASE_UNIT, Case.organization_id, Case.kind))


@computation("cases.received_anonymous")
def cases_received_anonymous(window: Window) -> Select:
    return (select(*_rows(CASE_UNIT, Case.organization_id, null(), func.count()))
            .where(_new_intake(window), Case.reporter_mode == ReporterMode.anonymous)
            .group_by(CASE_UNIT, Case.organization_id))


@computation("cases.received_by_group")
def cases_received_by_group(window: Window) -> Select:
    group = ClassificationCategory.group_code
    return (select(*_rows(CASE_UNIT, Case.organization_id, group, func.count(distinct(Case.id))))
            .join(CaseTag, CaseTag.case_id == Case.id)
            .join(ClassificationCategory, ClassificationCategory.id == CaseTag.category_id)
            .where(_new_intake(window)).group_by(CASE_UNIT, Case.organization_id, group))


@computation("cases.forwarded")
def cases_forwarded(window: Window) -> Select:
    return (select(*_rows(CASE_UNIT, Case.organization_id, Case.recipient_kind, func.count()))
            .where(window.dates(Case.forwarded_on), _case_units(window))
            .group_by(CASE_UNIT, Case.organization_id, Case.recipient_kind))


@computation("cases.answered")
def cases_answered(window: Window) -> Select:
    timeliness = case((or_(Case.due_on.is_(None), Case.responded_on <= Case.due_on),
                       literal("on_time")), else_=literal("late"))
    return (select(*_rows(CASE_UNIT, Case.organization_id, timeliness, func.count()))
            .where(window.dates(Case.responded_on), _case_units(window))
            .group_by(CASE_UNIT, Case.organization_id, timeliness))


@computation("cases.overdue_unanswered")
def cases_overdue_unanswered(window: Window) -> Select:
    end = window.ends_on
    return (select(*_rows(CASE_UNIT, Case.organization_id, null(), func.count()))
            .where(Case.forwarded_on <= end, Case.due_on < end,
                   or_(Case.responded_on.is_(None), Case.responded_on > end),
                   _case_units(window))
            .group_by(CASE_UNIT, Case.organization_id))


def _case_events(window: Window, actions: tuple[str, ...]) -> Select:
    return (select(*_rows(CASE_UNIT, Case.organization_id, null(),
                          func.count(distinct(Case.id))))
            .join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(CaseEvent.action.in_(actions), window.instants(CaseEvent.at),
                   _case_units(window))
            .group_by(CASE_UNIT, Case.organization_id))


@computation("cases.resolved")
def cases_resolved(window: Window) -> Select:
    return _case_events(window, ("close",))


@computation("cases.archived")
def cases_archived(window: Window) -> Select:
    return _case_events(window, ("archive",))


# --- supervision ---------------------------------------------------------------------------------

A = SupervisionActivity


def _activities(window: Window) -> ColumnElement[bool]:
    return and_(window.dates(A.starts_on), window.units(A.unit_id))


@computation("supervision.dissemination")
def dissemination(window: Window) -> Select:
    return (select(*_rows(A.unit_id, A.organization_id, null(), func.count()))
            .where(_activities(window), A.kind == ActivityKind.dissemination_conference)
            .group_by(A.unit_id, A.organization_id))


@computation("supervision.dissemination_participants")
def dissemination_participants(window: Window) -> Select:
    return (select(*_rows(A.unit_id, A.organization_id, null(), func.sum(A.participants_count)))
            .where(_activities(window), A.kind == ActivityKind.dissemination_conference)
            .group_by(A.unit_id, A.organization_id))


@computation("supervision.sessions")
def sessions(window: Window) -> Select:
    return (select(*_rows(A.unit_id, A.organization_id, A.kind, func.count()))
            .where(_activities(window), A.kind != ActivityKind.dissemination_conference)
            .group_by(A.unit_id, A.organization_id, A.kind))


@computation("supervision.people_by_tier")
def people_by_tier(window: Window) -> Select:
    tier = SupervisedPerson.tier
    return (select(*_rows(A.unit_id, A.organization_id, tier,
                          func.count(distinct(SupervisedPerson.id))))
            .join(activity_people, activity_people.c.activity_id == A.id)
            .join(SupervisedPerson, SupervisedPerson.id == activity_people.c.person_id)
            .where(_activities(window), A.kind != ActivityKind.dissemination_conference)
            .group_by(A.unit_id, A.organization_id, tier))


@computation("supervision.people_by_place")
def people_by_place(window: Window) -> Select:
    S = SupervisionAssignment
    return (select(*_rows(S.unit_id, S.organization_id, S.place, func.count(distinct(S.person_id))))
            .where(S.valid_from <= window.ends_on,
                   or_(S.valid_to.is_(None), S.valid_to >= window.starts_on),
                   window.units(S.unit_id))
            .group_by(S.unit_id, S.organization_id, S.place))


@computation("supervision.comments")
def comments(window: Window) -> Select:
    C = SupervisionComment
    return (select(*_rows(C.unit_id, A.organization_id, null(), func.count()))
            .join(A, A.id == C.activity_id)
            .where(window.dates(A.starts_on), window.units(C.unit_id))
            .group_by(C.unit_id, A.organization_id))


def _held_dialogues(window: Window) -> ColumnElement[bool]:
    return and_(Dialogue.status == DialogueStatus.held, window.dates(Dialogue.held_on),
                window.units(Dialogue.unit_id))


@computation("supervision.dialogues")
def dialogues(window: Window) -> Select:
    return (select(*_rows(Dialogue.unit_id, Dialogue.organization_id, null(), func.count()))
            .where(_held_dialogues(window))
            .group_by(Dialogue.unit_id, Dialogue.organization_id))


@computation("supervision.dialogue_participants")
def dialogue_participants(window: Window) -> Select:
    return (select(*_rows(Dialogue.unit_id, Dialogue.organization_id, null(),
                          func.sum(Dialogue.participants_count)))
            .where(_held_dialogues(window))
            .group_by(Dialogue.unit_id, Dialogue.organization_id))


R = Recommendation


@computation("supervision.recommendations_issued")
def recommendations_issued(window: Window) -> Select:
    return (select(*_rows(R.unit_id, R.organization_id, null(), func.count()))
            .where(window.dates(R.issued_on), window.units(R.unit_id))
            .group_by(R.unit_id, R.organization_id))


@computation("supervision.recommendations_answered")
def recommendations_answered(window: Window) -> Select:
    return (select(*_rows(R.unit_id, R.organization_id, R.status, func.count()))
            .where(window.dates(R.answered_on), window.units(R.unit_id),
                   R.status.in_([RecommendationStatus.answered_accepted,
                                 RecommendationStatus.answered_explained]))
            .group_by(R.unit_id, R.organization_id, R.status))


@computation("supervision.recommendations_overdue")
def recommendations_overdue(window: Window) -> Select:
    end = window.ends_on
    return (select(*_rows(R.unit_id, R.organization_id, null(), func.count()))
            .where(R.issued_on <= end, R.due_on < end, window.units(R.unit_id),
                   R.status != RecommendationStatus.withdrawn,
                   or_(R.answered_on.is_(None), R.answered_on > end))
            .group_by(R.unit_id, R.organization_id))


# --- letters (suggestion boxes) -------------------------------------------------------------------

@computation("letters.boxes")
def boxes(window: Window) -> Select:
    from giamsat.letters.models import BoxStatus
    from giamsat.letters.models import SuggestionBox as B

    return (select(*_rows(B.unit_id, null(), null(), func.count()))
            .where(B.installed_on <= window.ends_on, B.status == BoxStatus.active,
                   window.units(B.unit_id))
            .group_by(B.unit_id))


@computation("letters.openings")
def openings(window: Window) -> Select:
    from giamsat.letters.models import BoxOpening as O

    return (select(*_rows(O.unit_id, null(), null(), func.count()))
            .where(window.instants(O.opened_at), window.units(O.unit_id))
            .group_by(O.unit_id))


@computation("letters.letters_found")
def letters_found(window: Window) -> Select:
    from giamsat.letters.models import BoxOpening as O

    return (select(*_rows(O.unit_id, null(), null(), func.sum(O.letters_found)))
            .where(window.instants(O.opened_at), window.units(O.unit_id))
            .group_by(O.unit_id))
