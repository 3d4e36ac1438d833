"""Cases are dated, numbered and counted by Vietnam's day, at the minutes where UTC disagrees."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from giamsat.cases.models import CaseKind
from giamsat.cases.public.operations import receive_public_case
from giamsat.reports.calendar import ensure_periods, periods_containing

UTC = dt.UTC


@pytest.mark.parametrize(
    "utc, received_on, year",
    [
        (dt.datetime(2026, 12, 31, 16, 59, tzinfo=UTC), dt.date(2026, 12, 31), 2026),
        (dt.datetime(2026, 12, 31, 17, 1, tzinfo=UTC), dt.date(2027, 1, 1), 2027),
    ],
)
def test_a_public_submission_is_dated_and_numbered_by_vietnams_day(
    utc, received_on, year, world, tenant_session, catalogue
):
    session = tenant_session("alpha")
    with time_machine.travel(utc, tick=False):
        case, _ = receive_public_case(
            session,
            unit_id=world.alpha.commune_x,
            kind=CaseKind.petition,
            title="Đường làng hỏng",
            content="Đề nghị sửa đường.",
        )
    assert case.received_on == received_on
    assert case.number.endswith(f"/{year}")


@pytest.mark.parametrize(
    "utc, quarter_ends_on",
    [
        # The quarter's figures run to the end of the 14th of its last month (default cutoff).
        (dt.datetime(2027, 3, 14, 16, 59, tzinfo=UTC), dt.date(2027, 3, 14)),
        (dt.datetime(2027, 3, 14, 17, 1, tzinfo=UTC), dt.date(2027, 6, 14)),
    ],
)
def test_a_submission_counts_in_the_quarter_of_its_vietnamese_day(
    utc, quarter_ends_on, world, tenant_session, catalogue
):
    session = tenant_session("alpha")
    ensure_periods(session, [2027])
    with time_machine.travel(utc, tick=False):
        case, _ = receive_public_case(
            session,
            unit_id=world.alpha.commune_x,
            kind=CaseKind.petition,
            title="Đèn đường tắt",
            content="Đề nghị sửa đèn.",
        )
    quarters = [
        p for p in periods_containing(session, case.received_on) if p.kind.value == "quarterly"
    ]
    assert [p.ends_on for p in quarters] == [quarter_ends_on]


def test_a_forward_early_in_the_vietnamese_morning_is_dated_that_day(
    make_case, tenant_session, principal_of, app
):
    import io

    from docx import Document

    from giamsat.cases import forwarding, operations

    case = make_case(status="verifying", received_on=dt.date(2026, 12, 1))
    session = tenant_session("alpha")
    # 23:30 UTC on 5 December is 06:30 on the 6th in Vietnam.
    with time_machine.travel(dt.datetime(2026, 12, 5, 23, 30, tzinfo=UTC), tick=False):
        forwarded = operations.forward_case(
            session,
            principal_of("alpha", "x-staff"),
            case.id,
            recipient_kind="party_committee",
            recipient_name="Đảng ủy xã",
        )
        with app.test_request_context():
            document = Document(io.BytesIO(forwarding.forwarding_docx(session, forwarded)))
    assert forwarded.forwarded_on == dt.date(2026, 12, 6)
    assert forwarded.due_on is not None and forwarded.due_on > dt.date(2026, 12, 6)
    assert "06/12/2026" in forwarded.deadline_basis  # counted from Vietnam's day
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("ngày 06 tháng 12 năm 2026" in text for text in cells)
