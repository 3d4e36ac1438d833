"""Deadlines by the law that applies: the seeded table, the rule a forward uses, the province's
days off, the admin's edits (and nobody else's), tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.cases import deadlines, operations
from giamsat.cases.models import Case, CaseKind, DeadlineClock, DeadlineStart, RecipientKind
from giamsat.core.errors import Forbidden, ValidationFailed
from giamsat.core.workdays import NATIONAL
from giamsat.units.models import TenantRule


@pytest.fixture()
def on_day(monkeypatch):
    def stand(day: dt.date):
        monkeypatch.setattr(operations, "today", lambda: day)

    return stand


def _forward(session, principal, case, recipient, **kw):
    operations.forward_case(
        session,
        principal,
        case.id,
        recipient_kind=recipient,
        recipient_name="Cơ quan nhận",
        **kw,
    )
    return session.get(Case, case.id)


# --- the seed ---------------------------------------------------------------------------------


def test_the_seed_covers_every_recipient_and_kind_with_its_marker():
    seeds = {(s.recipient_kind, s.case_kind): s for s in deadlines.load_seed()}
    assert set(seeds) == {(r, k) for r in RecipientKind for k in CaseKind}
    for seed in seeds.values():
        assert f"[{seed.confidence}]" in seed.source
    # DOMAIN.md §2.1: QĐ 124 Art 8 is known from a secondary summary only — never CONFIRMED.
    party = seeds[(RecipientKind.party_committee, CaseKind.denunciation)]
    assert party.confidence == "PARTIAL" and "QĐ 124" in party.law
    assert (party.clock, party.days, party.days + party.extension_days) == (
        DeadlineClock.working_days,
        20,
        30,
    )
    # §5.2: Luật Tố cáo 2018 Art 30 — 30 days from acceptance, extendable twice by 30.
    state = seeds[(RecipientKind.authority, CaseKind.denunciation)]
    assert state.confidence == "CONFIRMED" and "Điều 30" in state.law
    assert (state.days, state.start, state.extension_days, state.max_extensions) == (
        30,
        DeadlineStart.accepted,
        30,
        2,
    )
    # §5.2 Art 24: the "07 working days" is commonly cited but unsourced.
    assert seeds[(RecipientKind.front, CaseKind.denunciation)].confidence == "UNCONFIRMED"


def test_provisioning_is_idempotent_and_keeps_admin_edits(tenant_session, principal_of, world):
    with tenant_session("alpha") as session:
        deadlines.provision_tenant(session)
        assert deadlines.provision_tenant(session) == 0
        rule = deadlines.rule_for(session, RecipientKind.authority, CaseKind.complaint)
        deadlines.update_rule(session, principal_of("alpha", "admin"), rule.id, days=12)
        assert deadlines.provision_tenant(session) == 0
        assert rule.days == 12 and rule.is_overridden


# --- the rule a forward uses -------------------------------------------------------------------


def test_a_denunciation_to_a_state_authority_runs_on_the_denunciation_law(
    make_case, tenant_session, principal_of, on_day
):
    on_day(dt.date(2026, 12, 4))
    case = make_case(status="verifying", kind="denunciation", received_on=dt.date(2026, 11, 2))
    with tenant_session("alpha") as session:
        stored = _forward(
            session,
            principal_of("alpha", "x-staff"),
            case,
            "authority",
            forwarded_on=dt.date(2026, 11, 3),
            accepted_on=dt.date(2026, 11, 10),
        )
        # 30 calendar days from the acceptance (thụ lý), not 20 working days from forwarding.
        assert stored.due_on == dt.date(2026, 12, 10)
        rule = session.get(deadlines.DeadlineRule, stored.deadline_rule_id)
        assert (rule.recipient_kind, rule.case_kind) == (
            RecipientKind.authority,
            CaseKind.denunciation,
        )
        assert stored.deadline_basis.startswith("Luật Tố cáo 2018 (Luật số 25/2018/QH14), Điều 30")
        assert "30 ngày kể từ ngày thụ lý 10/11/2026" in stored.deadline_basis
        assert "[CONFIRMED]" in stored.deadline_basis


def test_a_complex_denunciation_gets_one_extension_and_no_acceptance_day_says_so(
    make_case, tenant_session, principal_of, on_day
):
    on_day(dt.date(2026, 12, 4))
    case = make_case(status="verifying", kind="denunciation", received_on=dt.date(2026, 11, 2))
    with tenant_session("alpha") as session:
        stored = _forward(
            session,
            principal_of("alpha", "x-staff"),
            case,
            "authority",
            forwarded_on=dt.date(2026, 11, 3),
            is_complex=True,
        )
        assert stored.due_on == dt.date(2026, 11, 3) + dt.timedelta(days=60)
        assert "chưa có ngày thụ lý, tạm tính" in stored.deadline_basis
        assert "gia hạn một lần" in stored.deadline_basis


def test_a_denunciation_to_the_party_committee_runs_on_qd_124(
    make_case, tenant_session, principal_of, on_day
):
    on_day(dt.date(2026, 12, 4))
    case = make_case(status="verifying", kind="denunciation", received_on=dt.date(2026, 11, 2))
    with tenant_session("alpha") as session:
        stored = _forward(
            session,
            principal_of("alpha", "x-staff"),
            case,
            "party_committee",
            forwarded_on=dt.date(2026, 11, 3),
        )
        assert stored.due_on == NATIONAL.add_working_days(dt.date(2026, 11, 3), 20)
        assert stored.deadline_basis.startswith(
            "QĐ 124-QĐ/TW (02/02/2018), Điều 8: 20 ngày làm việc"
        )
        assert "[PARTIAL]" in stored.deadline_basis and "[CONFIRMED]" not in stored.deadline_basis


def test_the_provinces_days_off_push_a_working_day_deadline(
    make_case, tenant_session, principal_of, on_day
):
    on_day(dt.date(2026, 12, 4))
    case = make_case(status="verifying", received_on=dt.date(2026, 11, 2))
    national = NATIONAL.add_working_days(dt.date(2026, 11, 2), 20)
    with tenant_session("alpha") as session:
        session.add(TenantRule(key="days_off", value=[national.isoformat()], source="test"))
        session.flush()
        stored = _forward(
            session,
            principal_of("alpha", "x-staff"),
            case,
            "party_committee",
            forwarded_on=dt.date(2026, 11, 2),
        )
        assert stored.due_on == NATIONAL.add_working_days(national, 1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31)),
    off=st.lists(
        st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2029, 3, 31)),
        max_size=20,
        unique=True,
    ),
    recipient=st.sampled_from([r for r in RecipientKind]),
    kind=st.sampled_from([k for k in CaseKind]),
    complex_=st.booleans(),
)
def test_a_working_day_deadline_of_the_table_is_a_working_day_of_the_province(
    tenant_session, world, start, off, recipient, kind, complex_
):
    with tenant_session("alpha") as session:
        row = session.get(TenantRule, "days_off")
        if row is None:
            row = TenantRule(key="days_off", source="test")
            session.add(row)
        row.value = sorted(day.isoformat() for day in off)
        session.flush()
        rule = deadlines.rule_for(session, recipient, kind)
        due = deadlines.compute(
            session, rule, received_on=start, forwarded_on=start, is_complex=complex_
        ).due_on
        working = rule.clock == DeadlineClock.working_days
    if working:
        assert NATIONAL.is_working_day(due) and due not in off
        assert NATIONAL.holiday_name(due) is None
        assert due.weekday() < 5 or NATIONAL.is_working_day(due)


# --- editing the table ------------------------------------------------------------------------


def test_only_the_tenant_admin_edits_the_table(tenant_session, principal_of, world):
    with tenant_session("alpha") as session:
        rule = deadlines.rule_for(session, RecipientKind.authority, CaseKind.petition)
        for who in ("x-admin", "x-staff", "x-reader"):
            with pytest.raises(Forbidden):
                deadlines.update_rule(session, principal_of("alpha", who), rule.id, days=9)
        assert rule.days == 20 and not rule.is_overridden


def test_bad_values_are_refused_in_plain_vietnamese(tenant_session, principal_of, world):
    with tenant_session("alpha") as session:
        rule = deadlines.rule_for(session, RecipientKind.authority, CaseKind.petition)
        with pytest.raises(ValidationFailed) as caught:
            deadlines.update_rule(
                session,
                principal_of("alpha", "admin"),
                rule.id,
                days=0,
                clock="weeks",
                reminder_days=-1,
                source=" ",
            )
        errors = caught.value.errors
        assert errors["days"] == ["Số ngày phải là số nguyên từ 1 đến 365."]
        assert errors["clock"] == ["Hãy chọn cách tính: ngày làm việc hoặc ngày theo lịch."]
        assert set(errors) == {"days", "clock", "reminder_days", "source"}


def test_one_tenants_edit_never_reaches_another(tenant_session, principal_of, world):
    with tenant_session("alpha") as alpha, tenant_session("beta") as beta:
        a = deadlines.rule_for(alpha, RecipientKind.party_committee, CaseKind.petition)
        b = deadlines.rule_for(beta, RecipientKind.party_committee, CaseKind.petition)
        deadlines.update_rule(alpha, principal_of("alpha", "admin"), a.id, days=15)
        alpha.flush()
        beta.expire_all()
        assert b.days == 20 and not b.is_overridden
