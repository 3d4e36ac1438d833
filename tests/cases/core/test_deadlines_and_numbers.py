"""Due dates in working days (Tết excluded), overdue, and running numbers per unit and year."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy.orm import Session

from giamsat.cases import deadlines, operations
from giamsat.cases.models import Case, CaseKind, RecipientKind
from giamsat.cases.queries import case_queue_query, is_overdue
from giamsat.core.workdays import NATIONAL


@pytest.fixture()
def on_day(monkeypatch):
    def stand(day: dt.date):
        monkeypatch.setattr(operations, "today", lambda: day)

    return stand


def test_due_date_spans_tet_2027_in_working_days(make_case, tenant_session, principal_of, on_day):
    on_day(dt.date(2027, 3, 20))
    case = make_case(status="verifying", received_on=dt.date(2027, 1, 27))
    with tenant_session("alpha") as session:
        operations.forward_case(
            session,
            principal_of("alpha", "x-staff"),
            case.id,
            recipient_kind="party_committee",
            recipient_name="Đảng ủy xã",
            forwarded_on=dt.date(2027, 1, 28),
        )
        due = session.get(Case, case.id).due_on
    # 20 weekdays alone would end on 25/02; Tết (04–10/02/2027) pushes it to 04/03.
    assert due == dt.date(2027, 3, 4) == NATIONAL.add_working_days(dt.date(2027, 1, 28), 20)


def test_complex_case_gets_30_working_days(make_case, tenant_session, principal_of, on_day):
    on_day(dt.date(2027, 3, 20))
    case = make_case(status="verifying", received_on=dt.date(2027, 1, 27))
    with tenant_session("alpha") as session:
        operations.forward_case(
            session,
            principal_of("alpha", "x-staff"),
            case.id,
            recipient_kind="authority",
            recipient_name="UBND xã",
            forwarded_on=dt.date(2027, 1, 28),
            is_complex=True,
        )
        stored = session.get(Case, case.id)
        assert stored.is_complex and stored.due_on == dt.date(2027, 3, 18)


def test_the_tenant_table_changes_the_number_of_days(make_case, tenant_session, principal_of):
    case = make_case(status="verifying", received_on=dt.date(2026, 3, 2))
    with tenant_session("alpha") as session:
        rule = deadlines.rule_for(session, RecipientKind.authority, CaseKind.petition)
        deadlines.update_rule(session, principal_of("alpha", "admin"), rule.id, days=5)
        operations.forward_case(
            session,
            principal_of("alpha", "x-staff"),
            case.id,
            recipient_kind="authority",
            recipient_name="UBND xã",
            forwarded_on=dt.date(2026, 3, 2),
        )  # a Monday
        assert session.get(Case, case.id).due_on == dt.date(2026, 3, 9)


def test_overdue_is_visible_and_filterable(make_case, tenant_session, principal_of):
    late = make_case(status="awaiting_response", received_on=dt.date(2025, 1, 2))
    fresh = make_case(status="awaiting_response")
    staff = principal_of("alpha", "x-staff")
    with tenant_session("alpha") as session:
        assert is_overdue(session.get(Case, late.id))
        assert not is_overdue(session.get(Case, fresh.id))
        overdue_ids = session.scalars(case_queue_query(staff, overdue=True)).all()
        on_time_ids = session.scalars(case_queue_query(staff, overdue=False)).all()
    assert [c.id for c in overdue_ids] == [late.id]
    assert fresh.id in [c.id for c in on_time_ids] and late.id not in [c.id for c in on_time_ids]


def test_numbers_run_per_unit_and_year(make_case):
    first = make_case(received_on=dt.date(2025, 12, 30))
    second = make_case(received_on=dt.date(2025, 12, 31))
    new_year = make_case(received_on=dt.date(2026, 1, 2))
    other_unit = make_case(who="y-admin", unit="commune_y", received_on=dt.date(2025, 12, 31))
    assert (first.number, second.number, new_year.number) == ("1/2025", "2/2025", "1/2026")
    assert other_unit.number == "1/2025"


def test_a_rolled_back_intake_gives_its_number_back(make_case, tenant_session, principal_of, world):
    make_case(received_on=dt.date(2025, 6, 1))
    with tenant_session("alpha") as session:
        savepoint = session.begin_nested()
        taken = operations.receive_case(
            session,
            principal_of("alpha", "x-staff"),
            unit_id=world.alpha.commune_x,
            received_on=dt.date(2025, 6, 2),
            channel="phone",
            kind="petition",
            title="Bị hủy",
            content="Giao dịch này bị hoàn tác.",
        )
        assert taken.number == "2/2025"
        savepoint.rollback()
        session.commit()
    assert make_case(received_on=dt.date(2025, 6, 3)).number == "2/2025"


def test_concurrent_intakes_get_distinct_gap_free_numbers(engine, migrations_dir_session):
    """Real connections, real commits: two threads × 5 intakes at one unit, one year, in a
    throwaway tenant dropped afterwards (the history is append-only, even for tests)."""
    from giamsat.accounts.models import User
    from giamsat.identity import Principal
    from tests.plugins.tenancy import drop_tenant
    from tests.plugins.world import build_tenant

    scratch = build_tenant(engine, migrations_dir_session, "tt-numbers", "Numbers", 95)
    bind = engine.execution_options(schema_translate_map={None: scratch.schema})
    year, unit_id = 2019, scratch.commune_y
    with Session(bind) as s:
        principal = Principal.of(s.get(User, scratch.users["y-admin"]))
    barrier, numbers, errors = threading.Barrier(2), [], []

    def intake():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                with Session(bind) as s, s.begin():
                    case = operations.receive_case(
                        s,
                        principal,
                        unit_id=unit_id,
                        received_on=dt.date(year, 1, 5),
                        channel="phone",
                        kind="petition",
                        title="Đồng thời",
                        content="Kiểm tra số thứ tự.",
                    )
                    numbers.append(case.seq)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=intake) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        assert sorted(numbers) == list(range(1, 11))
    finally:
        drop_tenant(engine, "tt-numbers")
