"""The central committee's national view: figures equal each province's own consolidated read,
completeness and the late/missing ranking are right, the read touches nothing below the
province figure (database grants and the SQL it sends), and the exports hold the totals."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, text
from sqlalchemy.exc import ProgrammingError

from giamsat.reports.models import PeriodKind
from giamsat.reports.national import exports
from giamsat.reports.national.read import PeriodKey, national_role, national_view
from giamsat.reports.queries.figures import read_figures
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.registry import list_tenants
from giamsat.tenancy.roles import NATIONAL_RELATIONS
from tests.plugins.docx import docx_texts
from tests.plugins.national import AFTER_DUE

Q1 = PeriodKey(PeriodKind.quarterly, 2026, 1)


@pytest.fixture()
def role(db):
    return national_role(db)


@pytest.fixture()
def tenants(db, world):
    with db.session() as shared:
        return [t for t in list_tenants(shared) if t.slug in ("alpha", "beta")]


def _view(db, tenants, role, key=Q1, today=AFTER_DUE):
    return national_view(db, tenants, key, today=today, role=role)


def _line(view, slug):
    return next(p for p in view.provinces if p.slug == slug)


def test_figures_equal_each_provinces_own_consolidated_read(
    db, tenants, role, national_world, tenant_session, world
):
    view = _view(db, tenants, role)
    national = {}
    for slug in ("alpha", "beta"):
        tw, period = getattr(world, slug), getattr(national_world, slug)
        session = tenant_session(slug)
        own = read_figures(session, period.id, tw.province).consolidated
        by_mttq = read_figures(session, period.id, tw.province, tw.org_mttq).consolidated
        line = _line(view, slug)
        assert own and line.figures == own
        assert line.by_organization["mttq"] == by_mttq
        for code, value in own.items():
            national[code] = national.get(code, 0) + value
    assert view.totals == national
    # 3 + 2 cases in alpha, 1 + 4 in beta; the organization rows hold the MTTQ cases only.
    assert view.totals["intake.received"] == 10
    assert view.by_organization["mttq"]["intake.received"] == 4
    assert view.organizations == {"mttq": "Ủy ban Mặt trận Tổ quốc Việt Nam"}


def test_completeness_timeliness_and_ranking(db, tenants, role, national_world):
    view = _view(db, tenants, role)
    alpha, beta = _line(view, "alpha").completeness, _line(view, "beta").completeness
    assert (alpha.expected, alpha.submitted, alpha.on_time, alpha.late, alpha.accepted) == (
        2,
        2,
        1,
        1,
        1,
    )
    assert (alpha.pending, alpha.missing) == (0, 0)
    assert (beta.expected, beta.submitted, beta.on_time, beta.late, beta.missing) == (2, 1, 1, 0, 1)
    # Neither province wrote its own report, and the deadline passed.
    assert alpha.province_status == beta.province_status == "missing"
    assert alpha.province_is_late and beta.province_is_late
    # Missing units weigh more than late ones.
    assert [p.slug for p in view.ranking] == ["beta", "alpha"]
    total = view.completeness
    assert (total.expected, total.submitted, total.late, total.missing) == (4, 3, 1, 1)


def test_before_the_deadline_nothing_is_missing_yet(db, tenants, role, national_world):
    import datetime as dt

    view = _view(db, tenants, role, today=dt.date(2026, 3, 10))
    beta = _line(view, "beta").completeness
    assert (beta.pending, beta.missing) == (1, 0)
    assert not beta.province_is_late
    # Alpha's commune X was late all the same (it submitted after the due date).
    assert [p.slug for p in view.ranking] == ["alpha"]


def test_a_period_no_tenant_summarised_is_shown_as_such(db, tenants, role, national_world):
    view = _view(db, tenants, role, key=PeriodKey(PeriodKind.quarterly, 2027, 4))
    assert view.title == "Quý IV năm 2027"
    for line in view.provinces:
        assert line.has_period and line.completeness is None and line.figures == {}
    missing = _view(db, tenants, role, key=PeriodKey(PeriodKind.yearly, 2031, 1))
    assert all(not line.has_period for line in missing.provinces)
    assert missing.title == "Năm 2031"


def test_the_summary_follows_the_review_operations(db, tenants, role, national_world, world):
    from tests.plugins.national import ON_TIME, _submit

    before = _line(_view(db, tenants, role), "beta").completeness
    assert before.missing == 1
    session = db.session(world.beta.schema)
    _submit(session, world.beta, "y-admin", world.beta.commune_y, national_world.beta, ON_TIME)
    session.commit()
    after = _line(_view(db, tenants, role), "beta").completeness
    assert (after.submitted, after.on_time, after.missing) == (2, 2, 0)


# --- it reads nothing below the province figure --------------------------------------------


def test_the_national_role_may_read_the_two_views_and_nothing_else(db, role, world):
    with db.session() as s:
        for tw in (world.alpha, world.beta):
            readable = s.scalars(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :s AND c.relkind IN ('r', 'v', 'm', 'p', 'f') "
                    "AND has_table_privilege(:role, c.oid, 'SELECT')"
                ),
                {"s": tw.schema, "role": role},
            ).all()
            assert sorted(readable) == sorted(NATIONAL_RELATIONS)
        shared = s.scalars(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'shared' AND c.relkind IN ('r', 'v') "
                "AND has_table_privilege(:role, c.oid, 'SELECT')"
            ),
            {"role": role},
        ).all()
        assert shared == []


@pytest.mark.parametrize(
    "relation", ["report_figures", "cases", "units", "reports", "report_periods", "users"]
)
def test_under_the_national_role_any_other_read_is_refused(db, role, world, relation):
    session = db.session(world.alpha.schema)
    try:
        session.execute(text("SELECT set_config('role', :r, true)"), {"r": role})
        assert session.execute(text("SELECT current_user")).scalar() == role
        allowed = f'SELECT count(*) FROM "{world.alpha.schema}".national_province_figures'
        session.execute(text(allowed))
        with pytest.raises(ProgrammingError, match="permission denied"):
            with session.begin_nested():
                session.execute(text(f'SELECT 1 FROM "{world.alpha.schema}".{relation} LIMIT 1'))
    finally:
        session.rollback()
        session.close()


def test_the_read_sends_only_queries_on_the_two_views(db, tenants, role, national_world):
    statements: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        view = _view(db, tenants, role)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert view.totals  # it did read figures
    relations = set()
    reads = [s for s in statements if re.search(r"\bFROM\b", s, re.I)]
    for statement in reads:
        for _schema, name in re.findall(r'\b(?:FROM|JOIN)\s+(?:"?(\w+)"?\.)?"?(\w+)"?', statement):
            relations.add(name)
    # One query per tenant (plus the role switches and savepoints, which read no relation).
    assert len([s for s in reads if "national_province" in s]) == len(tenants)
    assert relations <= set(NATIONAL_RELATIONS), relations


# --- exports --------------------------------------------------------------------------------


def test_the_xlsx_holds_the_totals_with_a_frozen_vietnamese_header(
    db, tenants, role, national_world
):
    view = _view(db, tenants, role)
    book = load_workbook(io.BytesIO(exports.national_xlsx(view)))
    assert book.sheetnames == ["Toàn quốc", "Theo tổ chức", "Tình hình nộp", "Xếp hạng"]
    sheet = book["Toàn quốc"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Toàn quốc"]
    assert set(header[4:]) == {"Alpha", "Beta"}
    assert sheet.freeze_panes == "A2"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    received = rows["intake.received"]
    assert received[3] == 10 and sorted(received[4:]) == [5, 5]
    assert book["Theo tổ chức"].freeze_panes == "A2"
    ranking = [r[1] for r in book["Xếp hạng"].iter_rows(min_row=2, values_only=True)]
    assert ranking == ["Beta", "Alpha"]
    status = {r[0]: r for r in book["Tình hình nộp"].iter_rows(min_row=2, values_only=True)}
    assert status["Beta"][8] == 1 and status["Alpha"][6] == 1  # missing, late
    assert status["Toàn quốc"][2] == 4


def test_the_docx_is_a_decree_30_report_with_the_totals(db, tenants, role, national_world):
    import datetime as dt

    view = _view(db, tenants, role)
    texts = docx_texts(exports.national_docx(view, day=dt.date(2026, 4, 2)))
    joined = "\n".join(texts)
    assert "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM" in joined
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined
    assert "Hà Nội, ngày 02 tháng 4 năm 2026" in joined
    assert "BÁO CÁO" in texts
    assert "I. SỐ LIỆU TỔNG HỢP TOÀN QUỐC" in texts
    assert "10" in texts  # the national total of cases received
    assert "IV. CÁC TỈNH, THÀNH PHỐ CÒN ĐƠN VỊ NỘP MUỘN HOẶC CHƯA NỘP" in texts
    assert texts.index("Beta") < texts.index("Alpha") or "Beta" in joined


def test_no_reporter_or_case_detail_can_be_in_the_view(db, tenants, role, national_world):
    view = _view(db, tenants, role)
    line = _line(view, "alpha")
    # Figures are counts by indicator code; nothing else travels.
    for figures in (line.figures, *line.by_organization.values()):
        assert all(isinstance(v, int) for v in figures.values())
        assert all(re.fullmatch(r"[a-z_]+\.[a-z_.0-9]+", code) for code in figures)


def test_every_registered_tenant_is_read(db, role, national_world):
    with db.session() as shared:
        everyone = list_tenants(shared)
    view = national_view(db, everyone, Q1, today=AFTER_DUE, role=role)
    assert {p.slug for p in view.provinces} >= {"alpha", "beta"}
    assert isinstance(everyone[0], Tenant)
