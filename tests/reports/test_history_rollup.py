"""Records before the reform roll up through the tree as it stood (old commune → district → old
province), and appear under their successors in today's tree; past years' periods on demand."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from giamsat.cli import main
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.identity import Grant, Principal, Role
from giamsat.reports.aggregation import recompute_period
from giamsat.reports.models import PeriodKind, ReportPeriod
from giamsat.reports.operations import generate_past_periods
from giamsat.reports.provisioning import provision_tenant
from giamsat.reports.queries import current_tree_view, read_figures
from giamsat.units.models import Unit
from giamsat.units.operations import attach_to_parent
from tests.plugins.reports import TODAY, add_case, period_of
from tests.plugins.tenancy import TENANTS_DIR, applied, load_as

NB = "tr-ninh-binh"
D = dt.date
RECEIVED = "intake.received"


@pytest.fixture(scope="module")
def ninh_binh(engine, settings, world):
    with applied(engine, settings, load_as(TENANTS_DIR / "ninh-binh.toml", NB)) as result:
        yield result


@pytest.fixture()
def nb(ninh_binh, tenant_session):
    """A session on the Ninh Bình tenant, inside the test's transaction, with the indicator
    catalogue and the 2024 periods."""
    session = tenant_session(NB)
    provision_tenant(session, today=TODAY)
    generate_past_periods(session, [2024], recompute=False)
    return session


def unit(session, level: str, code: str) -> Unit:
    return session.scalar(select(Unit).where(Unit.level_code == level, Unit.official_code == code))


def root(session) -> Unit:
    return session.scalar(select(Unit).where(Unit.parent_id.is_(None)))


def principal_at(*units: Unit, role: Role = Role.readonly) -> Principal:
    return Principal(0, "t", "T", "vi", tuple(Grant(role, u.id, u.path) for u in units))


def received(session, period, u: Unit) -> int:
    return read_figures(session, period.id, u.id).consolidated.get(RECEIVED, 0)


def test_a_2024_record_counts_in_its_old_district_and_old_province(nb):
    # Xã Gia Hưng (Huyện Gia Viễn, old Ninh Bình): one successor, new commune 14482.
    old = unit(nb, "old_commune", "14470")
    district = nb.get(Unit, old.parent_id)
    old_province = nb.get(Unit, district.parent_id)
    successor = nb.get(Unit, old.successor_id)
    assert (old.name, district.name, old_province.name) == (
        "Xã Gia Hưng",
        "Huyện Gia Viễn",
        "Tỉnh Ninh Bình",
    )
    assert (successor.level_code, successor.official_code) == ("commune", "14482")
    assert successor.valid_to is None
    q2 = period_of(nb, PeriodKind.quarterly, 2024, 2)  # 15/3/2024–14/6/2024
    add_case(nb, old.id, D(2024, 5, 10))
    recompute_period(nb, q2)

    # The tree as it stood on 14/6/2024: commune → district → old province → the tenant.
    assert [received(nb, q2, u) for u in (old, district, old_province, root(nb))] == [1, 1, 1, 1]
    assert read_figures(nb, q2.id, old.id).own == {
        RECEIVED: 1,
        "intake.kind.petition": 1,
        "intake.received.in_person": 1,
    }
    # Other old provinces and districts count nothing; the new commune did not exist yet.
    assert received(nb, q2, unit(nb, "old_province", "35")) == 0
    assert read_figures(nb, q2.id, successor.id).computed_at is None

    # Today's tree: the same record under its successor commune, once.
    view = current_tree_view(nb, principal_at(root(nb)), period_id=q2.id, unit_id=root(nb).id)
    assert view.totals[RECEIVED] == 1
    lines = {u.official_code: figures.get(RECEIVED, 0) for u, figures in view.children}
    assert len(lines) == 129 and all(u.valid_to is None for u, _ in view.children)
    assert lines[successor.official_code] == 1 and sum(lines.values()) == 1
    mine = current_tree_view(nb, principal_at(successor), period_id=q2.id, unit_id=successor.id)
    assert mine.totals[RECEIVED] == 1


def test_a_split_commune_counts_once_at_its_primary_successor_unless_its_area_moved(nb):
    """The rule: an old commune's records go to its primary successor; a residential area the
    commune retired with a successor in another new commune takes its own records there."""
    gia_tan = unit(nb, "old_commune", "14503")  # → 14488 (primary) and 14533
    primary, other = unit(nb, "commune", "14488"), unit(nb, "commune", "14533")
    assert gia_tan.successor_id == primary.id
    # A thôn of the old commune, carried on since 1/7/2025 under the other new commune.
    new_area = attach_to_parent(
        nb,
        Unit(level_code="residential_area", name="Thôn Tân Thành", valid_from=D(2025, 7, 1)),
        other,
    )
    old_area = attach_to_parent(
        nb,
        Unit(
            level_code="residential_area",
            name="Thôn Tân Thành",
            valid_to=D(2025, 7, 1),
            successor_id=new_area.id,
        ),
        gia_tan,
    )
    year = period_of(nb, PeriodKind.yearly, 2024)  # 15/12/2023–14/12/2024
    add_case(nb, gia_tan.id, D(2024, 3, 1))
    add_case(nb, gia_tan.id, D(2024, 9, 1), area_id=old_area.id)
    recompute_period(nb, year)

    district = nb.get(Unit, gia_tan.parent_id)
    assert [received(nb, year, u) for u in (old_area, gia_tan, district, root(nb))] == [1, 2, 2, 2]

    view = current_tree_view(nb, principal_at(root(nb)), period_id=year.id, unit_id=root(nb).id)
    lines = {u.official_code: figures.get(RECEIVED, 0) for u, figures in view.children}
    assert (lines["14488"], lines["14533"]) == (1, 1)
    assert sum(lines.values()) == view.totals[RECEIVED] == 2  # never twice
    other_view = current_tree_view(nb, principal_at(other), period_id=year.id, unit_id=other.id)
    assert other_view.totals[RECEIVED] == 1
    assert [(u.id, f.get(RECEIVED)) for u, f in other_view.children] == [(new_area.id, 1)]


def test_the_current_view_is_scoped_to_the_principals_subtree(nb):
    """Unit scoping: a commune user sees neither the province nor another commune's view, nor
    the old units above them."""
    q2 = period_of(nb, PeriodKind.quarterly, 2024, 2)
    me, sibling = unit(nb, "commune", "14488"), unit(nb, "commune", "14533")
    commune_user = principal_at(me)
    for other in (root(nb), sibling, unit(nb, "old_commune", "14503"), unit(nb, "district", "373")):
        with pytest.raises(NotFound):
            current_tree_view(nb, commune_user, period_id=q2.id, unit_id=other.id)
    # The province's users see the old units: they hang under the province unit.
    old = unit(nb, "old_commune", "14503")
    view = current_tree_view(nb, principal_at(root(nb)), period_id=q2.id, unit_id=old.id)
    assert view.unit.id == old.id


def test_periods_of_past_years_use_the_tenants_calendar(nb):
    created = generate_past_periods(nb, [2023, 2024])
    assert [(p.kind.value, p.year, p.number) for p in created.created] == [
        ("quarterly", 2023, 1),
        ("quarterly", 2023, 2),
        ("quarterly", 2023, 3),
        ("quarterly", 2023, 4),
        ("six_monthly", 2023, 1),
        ("yearly", 2023, 1),
    ]  # 2024's exist already: left alone
    year = period_of(nb, PeriodKind.yearly, 2023)
    assert (year.title, year.starts_on, year.ends_on, year.due_on) == (
        "Năm 2023",
        D(2022, 12, 15),
        D(2023, 12, 14),
        D(2023, 12, 14),
    )
    assert generate_past_periods(nb, [2023]).created == []
    for wrong in ([2017], [2030], []):
        with pytest.raises(ValidationFailed):
            generate_past_periods(nb, wrong)


def test_the_periods_command_creates_and_computes_once(ninh_binh, cli_env, tenant_session):
    runner = CliRunner()
    first = runner.invoke(
        main, ["reports", "periods", "--tenant", NB, "--year", "2022"], env=cli_env
    )
    assert first.exit_code == 0, first.output
    assert "  Năm 2022: 15/12/2021–14/12/2022, hạn 14/12/2022" in first.output
    assert first.output.splitlines()[-1].startswith(f"{NB}: 6 periods created, ")
    again = runner.invoke(
        main, ["reports", "periods", "--tenant", NB, "--year", "2022"], env=cli_env
    )
    assert again.output.splitlines()[-1] == f"{NB}: 0 periods created, 0 figure rows computed"
    wrong = runner.invoke(
        main, ["reports", "periods", "--tenant", NB, "--year", "1999"], env=cli_env
    )
    assert wrong.exit_code == 1 and "Năm phải từ 2018" in wrong.output
    unknown = runner.invoke(
        main, ["reports", "periods", "--tenant", "khong-co", "--year", "2023"], env=cli_env
    )
    assert unknown.exit_code == 1 and "unknown tenant" in unknown.output
    s = tenant_session(NB)
    assert len(s.scalars(select(ReportPeriod).where(ReportPeriod.year == 2022)).all()) == 6


def test_staff_record_a_2024_case_in_the_old_commune_it_was_received_in(nb):
    """Intake into a unit that existed on the day received (back-dated records), counted there;
    a merged commune takes nothing dated after it ended."""
    from giamsat.accounts.models import RoleAssignment, User
    from giamsat.cases import operations as cases

    user = User(username="tr-staff", full_name="Cán bộ", password_hash="x", locale="vi")
    nb.add(user)
    nb.flush()
    nb.add(RoleAssignment(user_id=user.id, role=Role.staff, unit_id=root(nb).id))
    nb.flush()
    nb.refresh(user)
    staff = Principal.of(user)
    old = unit(nb, "old_commune", "14470")
    fields = {
        "unit_id": old.id,
        "channel": "in_person",
        "kind": "petition",
        "title": "Phản ánh năm 2024",
        "content": "Nội dung phản ánh nhận năm 2024.",
    }
    case = cases.receive_case(nb, staff, received_on=D(2024, 5, 10), **fields)
    assert (case.unit_id, case.year) == (old.id, 2024)
    with pytest.raises(ValidationFailed) as refused:
        cases.receive_case(nb, staff, received_on=D(2025, 7, 1), **fields)
    assert set(refused.value.errors) == {"unit_id"}
    q2 = period_of(nb, PeriodKind.quarterly, 2024, 2)
    recompute_period(nb, q2)
    district = nb.get(Unit, old.parent_id)
    assert [received(nb, q2, u) for u in (old, district, root(nb))] == [1, 1, 1]
