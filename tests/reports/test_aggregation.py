"""Own and consolidated figures from records, per organization, along the tree of the period."""

from __future__ import annotations

import datetime as dt

from giamsat.cases.models import CaseKind, Channel, ReporterMode
from giamsat.reports.aggregation import PeriodTree, recompute_period, recompute_unit
from giamsat.reports.queries import read_figures
from giamsat.supervision.models import ActivityKind
from giamsat.units.models import Organization, Unit
from tests.plugins.reports import add_activity, add_case

D = dt.date


def _org(session, code="hlhpn"):
    org = Organization(code=code, name="Hội Liên hiệp Phụ nữ", short_name="Hội LHPN")
    session.add(org)
    session.flush()
    return org


def test_figures_roll_up_from_areas_to_the_province(alpha, world, period):
    w = world.alpha
    women = _org(alpha)
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x, channel=Channel.suggestion_box)
    add_case(
        alpha, w.commune_x, D(2026, 1, 6), kind=CaseKind.denunciation, organization_id=women.id
    )
    add_case(
        alpha, w.commune_y, D(2026, 2, 1), area_id=w.area_y, reporter_mode=ReporterMode.anonymous
    )
    add_case(alpha, w.commune_y, D(2026, 3, 15))  # after the cut-off: next quarter
    add_case(alpha, w.commune_y, D(2025, 12, 14))  # before the window
    add_activity(
        alpha,
        w.commune_x,
        w.org_mttq,
        D(2026, 1, 20),
        kind=ActivityKind.dissemination_conference,
        participants=40,
    )
    add_activity(alpha, w.province, women.id, D(2026, 3, 1))
    recompute_period(alpha, period)

    area_x = read_figures(alpha, period.id, w.area_x)
    assert (
        area_x.own
        == area_x.consolidated
        == {"intake.received": 1, "intake.received.suggestion_box": 1, "intake.kind.petition": 1}
    )
    x = read_figures(alpha, period.id, w.commune_x)
    assert x.own["intake.received"] == 1 and x.consolidated["intake.received"] == 2
    assert x.consolidated["activities.dissemination_participants"] == 40
    province = read_figures(alpha, period.id, w.province)
    assert province.own == {"activities.sessions": 1, "activities.sessions.thematic": 1}
    assert province.consolidated["intake.received"] == 3
    assert province.consolidated["intake.kind.denunciation"] == 1
    assert province.consolidated["intake.anonymous"] == 1
    assert province.consolidated["activities.dissemination"] == 1
    # Per organization: only what that organization recorded, below and at the unit.
    women_total = read_figures(alpha, period.id, w.province, women.id).consolidated
    assert women_total == {
        "intake.received": 1,
        "intake.received.in_person": 1,
        "intake.kind.denunciation": 1,
        "activities.sessions": 1,
        "activities.sessions.thematic": 1,
    }


def test_recomputing_one_unit_updates_only_its_path(alpha, world, period):
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    recompute_period(alpha, period)
    add_case(alpha, w.commune_x, D(2026, 1, 7), area_id=w.area_x)
    add_case(alpha, w.commune_y, D(2026, 1, 7))  # not recomputed: Y is off the path
    written = recompute_unit(alpha, period, w.area_x)
    assert written == [w.area_x, w.commune_x, w.province]
    assert read_figures(alpha, period.id, w.area_x).own["intake.received"] == 2
    assert read_figures(alpha, period.id, w.province).consolidated["intake.received"] == 2
    assert read_figures(alpha, period.id, w.commune_y).consolidated == {}
    recompute_unit(alpha, period, w.commune_y)
    assert read_figures(alpha, period.id, w.province).consolidated["intake.received"] == 3


def test_merged_units_roll_into_their_successor_and_history_keeps_the_old_tree(
    alpha, world, period
):
    """Commune X merges into Y on 1/3/2026 (inside Q1). Q1 (ends 14/3) sees the new tree: X's
    records count at Y. Figures of a period before the merge keep X as it was."""
    w = world.alpha
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=w.area_x)
    add_case(alpha, w.commune_x, D(2026, 2, 5))
    x = alpha.get(Unit, w.commune_x)
    x.valid_to, x.successor_id = D(2026, 3, 1), w.commune_y
    alpha.flush()
    recompute_period(alpha, period)
    assert read_figures(alpha, period.id, w.commune_x).consolidated == {}
    y = read_figures(alpha, period.id, w.commune_y).consolidated
    assert y["intake.received"] == 2
    assert read_figures(alpha, period.id, w.province).consolidated["intake.received"] == 2

    tree = PeriodTree.load(alpha, D(2026, 3, 14))
    assert tree.node_of(w.commune_x) == w.commune_y
    old = PeriodTree.load(alpha, D(2026, 2, 14))
    assert old.node_of(w.commune_x) == w.commune_x
    assert w.commune_x in old.children[w.province]


def test_units_created_after_the_period_count_at_their_parent(alpha, world, period):
    w = world.alpha
    late = Unit(
        level_code="residential_area",
        name="Thôn Mới",
        parent_id=w.commune_x,
        valid_from=D(2026, 6, 1),
    )
    alpha.add(late)
    alpha.flush()
    late.path = f"{alpha.get(Unit, w.commune_x).path}{late.id}/"
    add_case(alpha, w.commune_x, D(2026, 1, 5), area_id=late.id)  # back-dated entry
    recompute_period(alpha, period)
    assert read_figures(alpha, period.id, w.commune_x).own["intake.received"] == 1
    assert read_figures(alpha, period.id, w.province).consolidated["intake.received"] == 1
