"""Property: for random trees and records, the province's consolidated figures equal the sum
over every unit's own records and over the organizations — also after a commune merge, and for
a period before it (the old tree)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.reports.queries import read_figures
from giamsat.units.models import Organization, Unit
from tests.plugins.reports import add_activity, add_case

D = dt.date
#: Two adjacent windows; the merge happens on MERGE_DAY, between them.
BEFORE = (D(2026, 1, 1), D(2026, 1, 31))
AFTER = (D(2026, 2, 1), D(2026, 2, 28))
MERGE_DAY = D(2026, 2, 1)


@st.composite
def worlds(draw):
    """A province → (districts →) communes → residential areas, and records on any unit."""
    with_districts = draw(st.booleans())
    communes = draw(st.lists(st.integers(0, 3), min_size=2, max_size=5))  # areas per commune
    districts = draw(st.integers(1, 3)) if with_districts else 0
    orgs = draw(st.integers(1, 3))
    unit_count = 1 + districts + len(communes) + sum(communes)
    records = draw(
        st.lists(
            st.tuples(
                st.integers(0, unit_count - 1),  # unit index (0 = province)
                st.integers(-1, orgs - 1),  # organization index, -1 = none
                st.dates(D(2025, 12, 20), D(2026, 3, 10)),
                st.sampled_from(["case", "activity"]),
            ),
            max_size=40,
        )
    )
    merge = draw(st.booleans())
    return with_districts, districts, communes, orgs, records, merge


def _unit(session, level, parent, name):
    unit = Unit(
        level_code=level,
        name=name,
        parent_id=parent.id if parent else None,
        valid_from=D(2025, 7, 1),
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def _build(session, with_districts, districts, communes, orgs_count):
    province = _unit(session, "province", None, "Tỉnh thử")
    parents = [_unit(session, "commune", province, f"Huyện {i}") for i in range(districts)]
    units, commune_units = [province, *parents], []
    for i, areas in enumerate(communes):
        parent = parents[i % len(parents)] if with_districts else province
        commune = _unit(session, "commune", parent, f"Xã {i}")
        commune_units.append(commune)
        units.append(commune)
        units.extend(
            _unit(session, "residential_area", commune, f"Thôn {i}.{j}") for j in range(areas)
        )
    orgs = []
    for i in range(orgs_count):
        org = Organization(code=f"prop{i}-{province.id}", name=f"Tổ chức {i}", short_name=f"TC{i}")
        session.add(org)
        orgs.append(org)
    session.flush()
    return province, units, commune_units, orgs


def _period(session, window):
    period = ReportPeriod(
        kind=PeriodKind.quarterly,
        year=2030,
        number=window[0].month,
        title="Thử",
        starts_on=window[0],
        ends_on=window[1],
        due_on=window[1],
    )
    session.add(period)
    session.flush()
    return period


def _expected(records, units, orgs, window):
    """Counted independently of the roll-up: every record in the window, per indicator and
    per organization."""
    total, by_org = Counter(), {org.id: Counter() for org in orgs}
    for _unit, org_index, day, kind in records:
        if not window[0] <= day <= window[1]:
            continue
        code = "intake.received" if kind == "case" else "activities.sessions"
        total[code] += 1
        if org_index >= 0:
            by_org[orgs[org_index].id][code] += 1
    return total, by_org


def _subtree_total(records, units, root_ids, window):
    total = Counter()
    for unit_index, _, day, kind in records:
        if window[0] <= day <= window[1] and units[unit_index].id in root_ids:
            total["intake.received" if kind == "case" else "activities.sessions"] += 1
    return total


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=worlds())
def test_province_consolidated_equals_the_sum_of_all_records(alpha, world, example):
    with_districts, districts, communes, orgs_count, records, merge = example
    savepoint = alpha.begin_nested()
    try:
        province, units, commune_units, orgs = _build(
            alpha, with_districts, districts, communes, orgs_count
        )
        # Activities always belong to an organization.
        records = [
            (u, 0 if kind == "activity" and o < 0 else o, day, kind) for u, o, day, kind in records
        ]
        for unit_index, org_index, day, kind in records:
            unit = units[unit_index]
            org_id = orgs[org_index].id if org_index >= 0 else None
            if kind == "case":
                if unit.level_code == "residential_area":
                    add_case(alpha, unit.parent_id, day, area_id=unit.id, organization_id=org_id)
                else:
                    add_case(alpha, unit.id, day, organization_id=org_id)
            else:
                add_activity(alpha, unit.id, org_id, day)
        merged, successor = commune_units[0], commune_units[1]
        if merge:
            # Commune 0 merges into commune 1; its residential areas keep their history.
            merged.valid_to, merged.successor_id = MERGE_DAY, successor.id
            alpha.flush()

        for window in (BEFORE, AFTER):
            period = _period(alpha, window)
            recompute_period(alpha, period)
            total, by_org = _expected(records, units, orgs, window)
            province_figures = read_figures(alpha, period.id, province.id).consolidated
            assert _pick(province_figures) == _nonzero(total)
            for org in orgs:
                assert _pick(
                    read_figures(alpha, period.id, province.id, org.id).consolidated
                ) == _nonzero(by_org[org.id])
            # The province figure is also the sum of every node's own figures (no unit
            # dropped, none counted twice).
            own_sum = Counter()
            for unit in units:
                own_sum.update(_pick(read_figures(alpha, period.id, unit.id).own))
            assert _nonzero(own_sum) == _nonzero(total)

            subtree = {u.id for u in units if u.path.startswith(merged.path)}
            merged_figures = _pick(read_figures(alpha, period.id, merged.id).consolidated)
            successor_figures = _pick(read_figures(alpha, period.id, successor.id).consolidated)
            successor_subtree = {u.id for u in units if u.path.startswith(successor.path)}
            if merge and window == AFTER:
                # The new tree: the merged commune's records (and its areas') count at the
                # successor.
                assert merged_figures == {}
                assert successor_figures == _nonzero(
                    _subtree_total(records, units, subtree | successor_subtree, window)
                )
            else:
                # Before the merge (or none): each commune as it was.
                assert merged_figures == _nonzero(_subtree_total(records, units, subtree, window))
                assert successor_figures == _nonzero(
                    _subtree_total(records, units, successor_subtree, window)
                )
    finally:
        savepoint.rollback()


def _nonzero(counter):
    return {k: v for k, v in counter.items() if v}


def _pick(figures):
    """The two indicators the generated records feed (a case also feeds its channel, kind…)."""
    return {
        k: v for k, v in figures.items() if k in ("intake.received", "activities.sessions") and v
    }
