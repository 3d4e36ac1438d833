"""The two ways figures are computed agree, and a full recompute costs the same number of
statements whatever the size of the tree: the whole period at once (`recompute_period`, nightly)
and one unit up its ancestors (`recompute_unit`, after a change)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from giamsat.cases.models import CaseKind, Channel, RecipientKind, ReporterMode
from giamsat.reports.aggregation import recompute_period, recompute_unit
from giamsat.reports.models import Figure
from giamsat.supervision.models import ActivityKind
from giamsat.units.models import Organization, Unit
from tests.plugins.reports import add_activity, add_case
from tests.plugins.statements import statements_sent

D = dt.date


def _unit(session, level, parent_id, name, **extra) -> Unit:
    parent = session.get(Unit, parent_id)
    unit = Unit(
        level_code=level,
        name=name,
        parent_id=parent_id,
        valid_from=extra.pop("valid_from", D(2025, 7, 1)),
        **extra,
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path}{unit.id}/"
    session.flush()
    return unit


def _figures(session, period_id) -> dict:
    """Every stored figure row of the period, without its time of computation."""
    rows = session.execute(
        select(Figure.unit_id, Figure.organization_id, Figure.own, Figure.consolidated).where(
            Figure.period_id == period_id
        )
    )
    return {(r.unit_id, r.organization_id): (r.own, r.consolidated) for r in rows}


def _records(session, w, women, z, area_z, late) -> list[int]:
    """A mix of every case and activity indicator, on every kind of unit; returns the units
    whose records changed (what `schedule_recompute` is called with)."""
    add_case(session, w.commune_x, D(2026, 1, 5), area_id=w.area_x, channel=Channel.suggestion_box)
    add_case(
        session,
        w.commune_x,
        D(2026, 1, 6),
        kind=CaseKind.denunciation,
        organization_id=women,
        reporter_mode=ReporterMode.anonymous,
    )
    add_case(
        session,
        w.commune_y,
        D(2026, 2, 1),
        area_id=w.area_y,
        organization_id=w.org_mttq,
        forwarded_on=D(2026, 2, 2),
        recipient_kind=RecipientKind.party_committee,
        due_on=D(2026, 2, 20),
        responded_on=D(2026, 2, 10),
    )
    add_case(  # answered late
        session,
        w.commune_y,
        D(2026, 1, 2),
        forwarded_on=D(2026, 1, 3),
        recipient_kind=RecipientKind.authority,
        due_on=D(2026, 1, 10),
        responded_on=D(2026, 2, 1),
    )
    add_case(  # overdue, unanswered at the period's end
        session,
        z,
        D(2026, 1, 8),
        organization_id=women,
        forwarded_on=D(2026, 1, 9),
        recipient_kind=RecipientKind.authority,
        due_on=D(2026, 2, 1),
    )
    add_case(session, z, D(2026, 2, 3), area_id=area_z, channel=Channel.phone)
    add_case(session, w.commune_x, D(2026, 1, 9), area_id=late)  # a unit created later
    add_case(session, w.province, D(2026, 3, 1), channel=Channel.online)
    add_case(session, w.commune_y, D(2026, 3, 20))  # after the window
    add_activity(
        session,
        w.commune_x,
        w.org_mttq,
        D(2026, 1, 20),
        kind=ActivityKind.dissemination_conference,
        participants=40,
    )
    add_activity(session, area_z, women, D(2026, 2, 5), kind=ActivityKind.regular)
    add_activity(session, w.province, women, D(2026, 3, 1))
    add_activity(session, w.area_y, w.org_mttq, D(2026, 1, 15), kind=ActivityKind.via_dialogue)
    return [w.area_x, w.commune_x, w.area_y, w.commune_y, z, area_z, late, w.province]


def test_per_unit_jobs_and_the_full_recompute_give_identical_figures(alpha, world, period):
    w = world.alpha
    women = Organization(code="hlhpn", name="Hội Liên hiệp Phụ nữ", short_name="Hội LHPN")
    alpha.add(women)
    alpha.flush()
    # Commune Z merges into Y inside the quarter (its area keeps its records); an area of X is
    # created after the quarter and counts at X.
    z = _unit(alpha, "commune", w.province, "Xã Z")
    area_z = _unit(alpha, "residential_area", z.id, "Thôn Z").id
    late = _unit(alpha, "residential_area", w.commune_x, "Thôn Mới", valid_from=D(2026, 6, 1)).id
    z.valid_to, z.successor_id = D(2026, 3, 1), w.commune_y
    add_case(alpha, w.commune_x, D(2026, 1, 4), area_id=w.area_x)
    recompute_period(alpha, period)  # what the nightly run left

    changed = _records(alpha, w, women.id, z.id, area_z, late)
    for unit_id in changed:
        recompute_unit(alpha, period, unit_id)
    per_unit = _figures(alpha, period.id)

    recompute_period(alpha, period)
    full = _figures(alpha, period.id)
    assert per_unit == full
    # The data reached every family of figures and both kinds of rows.
    province = full[(w.province, None)][1]
    assert province["intake.received"] == 9  # the 20/3 case is after the window
    assert province["activities.dissemination_participants"] == 40
    assert {"handling.forwarded", "handling.answered_late", "handling.overdue_unanswered"} <= set(
        province
    )
    assert (w.commune_y, women.id) in full and (z.id, None) not in full


def test_a_per_unit_job_writes_only_the_rows_of_its_path(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    add_case(alpha, w.commune_y, D(2026, 1, 5), area_id=w.area_y)
    recompute_period(alpha, period)
    before = {
        r.unit_id: r.computed_at
        for r in alpha.execute(
            select(Figure.unit_id, Figure.computed_at).where(Figure.period_id == period.id)
        )
    }
    add_case(alpha, w.commune_x, D(2026, 1, 6), area_id=w.area_x)
    recompute_unit(alpha, period, w.area_x)
    after = {
        r.unit_id: r.computed_at
        for r in alpha.execute(
            select(Figure.unit_id, Figure.computed_at).where(Figure.period_id == period.id)
        )
    }
    touched = {unit for unit in after if after[unit] != before.get(unit)}
    assert touched == {w.area_x, w.commune_x, w.province}


def _statements(session, fn) -> int:
    return len(statements_sent(session, fn)[1])


def test_a_full_recompute_sends_as_many_statements_for_40_communes_as_for_2(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x, organization_id=w.org_mttq)
    add_activity(alpha, w.area_y, w.org_mttq, D(2026, 1, 6))
    small = _statements(alpha, lambda: recompute_period(alpha, period))
    for i in range(38):
        commune = _unit(alpha, "commune", w.province, f"Xã {i}")
        for j in range(3):
            area = _unit(alpha, "residential_area", commune.id, f"Thôn {i}.{j}")
            add_case(alpha, commune.id, D(2026, 1, 5 + j), area_id=area.id)
            add_activity(alpha, area.id, w.org_mttq, D(2026, 2, 1 + j))
    alpha.flush()
    rows_before = len(_figures(alpha, period.id))
    large = _statements(alpha, lambda: recompute_period(alpha, period))
    assert len(_figures(alpha, period.id)) > rows_before + 150  # the new units were written
    assert large == small
