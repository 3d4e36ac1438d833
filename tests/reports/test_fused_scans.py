"""The fused scans (`reports.scans`: one statement per table family) give the figures of the
per-indicator statements they replace, on a dataset reaching every fused family, for the whole
tree and for a per-unit job's members."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import distinct, func, text

from giamsat.cases.models import Case, CaseEvent, CaseKind, Channel, RecipientKind, ReporterMode
from giamsat.core.db import ENTERS_SCHEMA
from giamsat.letters.models import BoxOpening, BoxStatus, SealCondition, SuggestionBox
from giamsat.reports.aggregation import compute_own
from giamsat.reports.indicators import Window
from giamsat.reports.period_tree import PeriodTree
from giamsat.reports.scans import Part, Scan
from giamsat.supervision.enums import AddresseeKind
from giamsat.supervision.models import (
    ActivityKind,
    Dialogue,
    DialogueStatus,
    ExpectedAnswer,
    Recommendation,
    RecommendationStatus,
)
from giamsat.units.models import Organization
from tests.plugins.reports import add_activity, add_case
from tests.plugins.statements import statements_sent

D = dt.date


def _event(session, case, action: str, day: dt.date) -> None:
    at = dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC)
    session.add(CaseEvent(case_id=case.id, at=at, actor_label="test", action=action))


def _recommendation(session, unit_id, org_id, issued_on, **extra) -> None:
    session.add(
        Recommendation(
            unit_id=unit_id,
            organization_id=org_id,
            addressee_kind=AddresseeKind.party_committee,
            addressee_name="Đảng ủy xã",
            content="Kiến nghị",
            issued_on=issued_on,
            due_on=extra.pop("due_on", issued_on + dt.timedelta(days=30)),
            expected_answer=ExpectedAnswer.explain,
            **extra,
        )
    )


def _mixed(session, w, women: int) -> None:
    """Records of every fused family, in and out of the window (Q1 2026: 15/12/2025–14/3/2026),
    on communes, areas and the province, with and without an organization."""
    x, y = w.commune_x, w.commune_y
    add_case(session, x, D(2026, 1, 5), area_id=w.area_x, channel=Channel.suggestion_box)
    add_case(session, x, D(2026, 1, 6), organization_id=women, kind=CaseKind.denunciation)
    add_case(session, y, D(2026, 1, 7), area_id=w.area_y, reporter_mode=ReporterMode.anonymous)
    add_case(  # forwarded, answered on time
        session,
        y,
        D(2026, 1, 8),
        organization_id=w.org_mttq,
        channel=Channel.phone,
        forwarded_on=D(2026, 1, 9),
        recipient_kind=RecipientKind.party_committee,
        due_on=D(2026, 2, 9),
        responded_on=D(2026, 1, 30),
    )
    add_case(  # received before the window, answered late inside it
        session,
        x,
        D(2025, 11, 20),
        area_id=w.area_x,
        forwarded_on=D(2025, 11, 21),
        recipient_kind=RecipientKind.authority,
        due_on=D(2025, 12, 20),
        responded_on=D(2026, 1, 3),
    )
    add_case(  # overdue and unanswered at the window's end
        session,
        w.province,
        D(2026, 1, 2),
        organization_id=women,
        forwarded_on=D(2026, 1, 3),
        recipient_kind=RecipientKind.peoples_inspection,
        due_on=D(2026, 2, 1),
    )
    closed = add_case(session, x, D(2026, 2, 1), area_id=w.area_x, channel=Channel.online)
    _event(session, closed, "close", D(2026, 2, 10))
    _event(session, closed, "close", D(2026, 2, 12))  # reopened and closed again: once
    _event(session, closed, "archive", D(2026, 2, 20))
    _event(session, add_case(session, y, D(2026, 1, 20)), "close", D(2026, 4, 1))  # after
    add_case(session, y, D(2026, 3, 20))  # after the window
    add_activity(
        session,
        x,
        w.org_mttq,
        D(2026, 1, 20),
        kind=ActivityKind.dissemination_conference,
        participants=40,
    )
    add_activity(
        session,
        w.area_x,
        women,
        D(2026, 1, 21),
        kind=ActivityKind.dissemination_conference,
        participants=15,
    )
    add_activity(session, w.area_y, women, D(2026, 2, 5), kind=ActivityKind.regular)
    add_activity(session, y, w.org_mttq, D(2026, 2, 6), kind=ActivityKind.via_dialogue)
    add_activity(session, w.province, women, D(2026, 3, 20))  # after the window
    for unit, held_on, status, people in (
        (x, D(2026, 1, 15), DialogueStatus.held, 30),
        (w.area_y, D(2026, 2, 15), DialogueStatus.held, 12),
        (y, D(2026, 2, 16), DialogueStatus.scheduled, 50),
    ):
        session.add(
            Dialogue(
                unit_id=unit,
                organization_id=w.org_mttq,
                title="Đối thoại",
                held_on=held_on,
                status=status,
                participants_count=people,
            )
        )
    _recommendation(session, x, w.org_mttq, D(2026, 1, 5))
    _recommendation(
        session,
        y,
        women,
        D(2026, 1, 6),
        status=RecommendationStatus.answered_accepted,
        answered_on=D(2026, 2, 1),
    )
    _recommendation(session, w.area_y, w.org_mttq, D(2025, 12, 20), due_on=D(2026, 1, 10))
    box = SuggestionBox(
        unit_id=w.area_x,
        label_code="HT-F1",
        location="Thôn",
        keeper="Tổ trưởng",
        installed_on=D(2025, 6, 1),
        status=BoxStatus.active,
    )
    session.add(box)
    session.flush()
    for day, letters in ((D(2026, 1, 12), 3), (D(2026, 2, 12), 0), (D(2026, 4, 2), 5)):
        session.add(
            BoxOpening(
                box_id=box.id,
                unit_id=w.area_x,
                opened_at=dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC),
                witnesses=["A", "B"],
                seal_condition=SealCondition.intact,
                letters_found=letters,
            )
        )
    session.flush()


def _statements(session, fn) -> tuple[object, list[str]]:
    return statements_sent(session, fn)


def test_the_fused_scans_give_the_per_indicator_figures(alpha, world, period):
    w = world.alpha
    women = Organization(code="hlhpn", name="Hội Liên hiệp Phụ nữ", short_name="Hội LHPN")
    alpha.add(women)
    alpha.flush()
    _mixed(alpha, w, women.id)
    tree = PeriodTree.load(alpha, period.ends_on)

    fused, fused_sql = _statements(alpha, lambda: compute_own(alpha, period, tree))
    alone, alone_sql = _statements(alpha, lambda: compute_own(alpha, period, tree, fused=False))
    assert fused == alone
    for node in (w.commune_x, w.area_y):  # what a per-unit job counts
        members = tree.members(node)
        assert compute_own(alpha, period, tree, members) == compute_own(
            alpha, period, tree, members, fused=False
        )
    # Every fused family was reached, with the values the records make.
    province, x = fused[(w.province, None)], fused[(w.commune_x, None)]
    assert province["handling.overdue_unanswered"] == 1
    assert x["activities.dissemination_participants"] == 40
    assert fused[(w.area_x, None)]["activities.dissemination_participants"] == 15
    whole = {node: figures for (node, org), figures in fused.items() if org is None}
    assert sum(f.get("handling.resolved", 0) for f in whole.values()) == 1
    assert whole[w.area_x]["handling.archived"] == 1
    assert whole[w.area_x]["intake.box_openings"] == 2
    assert whole[w.area_x]["intake.box_letters"] == 3
    assert x["activities.dialogue_participants"] == 30
    assert whole[w.commune_y]["handling.recommendations_accepted"] == 1
    assert whole[w.area_y]["handling.recommendations_overdue"] == 1
    assert {"handling.answered_late", "handling.answered_on_time"} <= {
        code for figures in fused.values() for code in figures
    }
    # The cases are read once, not once per count.
    plain_cases = re.compile(r"FROM (\S+\.)?cases\s+WHERE")
    assert sum(bool(plain_cases.search(sql)) for sql in fused_sql) == 1
    assert sum(bool(plain_cases.search(sql)) for sql in alone_sql) == 6
    assert len(fused_sql) < len(alone_sql)


def test_a_sum_over_slices_of_distinct_counts_is_left_to_its_own_statement():
    """A record in two slices counts once in each: the total of the slices is not the distinct
    count over all rows, so a fused scan does not stand in for it (its slices alone it does)."""
    window = Window(D(2026, 1, 1), D(2026, 3, 31))
    part = Part(window.dates(Case.received_on), func.count(distinct(Case.id)), Case.channel, False)
    scan = Scan(Case.unit_id, Case.organization_id, window.units(Case.unit_id), {"k": part})
    assert scan.fused({"k": [("total", ""), ("phone", "phone")]}) is None
    fused = scan.fused({"k": [("phone", "phone")]})
    assert fused is not None and fused[1:] == ([["phone"]], {"k"})


def test_figure_pages_keep_room_for_a_recompute_s_updates(alpha):
    """Migration 0024: a full recompute rewrites every row of its period; half-filled pages
    let those updates stay on their page (HOT, no index entries)."""
    schema = alpha.info[ENTERS_SCHEMA]
    options = alpha.scalar(
        text(
            "SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = :schema AND c.relname = 'report_figures'"
        ),
        {"schema": schema},
    )
    assert options == ["fillfactor=50"]
