"""The national view's pages, files and API: a central account reads them, an operator too
(and keeps its own pages, which a central account does not reach); no tenant user — by
session or API token, any role — nor an anonymous visitor reaches any of them."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from giamsat.reports.national.exports import DOCX_MIMETYPE
from tests.plugins.docx import docx_texts
from tests.plugins.national import login_platform
from tests.plugins.pages import text_of

QUERY = "kind=quarterly&year=2026&number=1"
#: Every URL of the national view.
URLS = (
    f"/platform/national/?{QUERY}",
    f"/platform/national/export.xlsx?{QUERY}",
    f"/platform/national/export.docx?{QUERY}",
    f"/api/v1/platform/national?{QUERY}",
)
TENANT_USERS = ("admin", "x-admin", "x-staff", "x-reader", "y-admin")


@pytest.fixture(autouse=True)
def _after_the_deadline():
    with time_machine.travel("2026-04-02 09:00 +07:00", tick=False):
        yield


def test_the_central_account_reads_the_national_page(pages, platform_account, national_world):
    platform_account("central")
    response = login_platform(pages, "central")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/platform/national/")
    page = pages.get(URLS[0])
    assert page.status_code == 200
    text = text_of(page)
    assert "Tổng hợp toàn quốc: Quý I năm 2026" in text
    assert "Ủy ban Trung ương MTTQ Việt Nam" in text
    ranking = text.split("Các tỉnh còn đơn vị nộp muộn hoặc chưa nộp", 1)[1]
    assert ranking.index("Beta") < ranking.index("Alpha")
    html = page.get_data(as_text=True)
    assert 'id="indicator-intake.received"' in html
    row = html.split('id="indicator-intake.received"', 1)[1].split("</tr>", 1)[0]
    assert "<strong>10</strong>" in row
    # The default period is today's quarter, and nothing here writes.
    assert pages.get("/platform/national/").status_code == 200
    posts = re.findall(r'<form method="post"[^>]*action="([^"]+)"', html)
    assert sorted(posts) == ["/language", "/platform/logout"]


def test_the_central_account_gets_the_files(pages, platform_account, national_world):
    platform_account("central")
    login_platform(pages, "central")
    xlsx = pages.get(URLS[1])
    assert xlsx.status_code == 200
    assert "tong-hop-toan-quoc-quy-i-nam-2026.xlsx" in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book["Toàn quốc"]["D1"].value == "Toàn quốc"
    docx = pages.get(URLS[2])
    assert docx.status_code == 200 and docx.mimetype == DOCX_MIMETYPE
    assert "I. SỐ LIỆU TỔNG HỢP TOÀN QUỐC" in docx_texts(docx.data)


def test_the_api_answers_the_same_figures(pages, platform_account, national_world):
    platform_account("central")
    login_platform(pages, "central")
    body = pages.get(URLS[3]).get_json()
    assert body["title"] == "Quý I năm 2026"
    assert body["totals"]["intake.received"] == 10
    assert body["ranking"] == ["beta", "alpha"]
    beta = next(p for p in body["provinces"] if p["slug"] == "beta")
    assert beta["completeness"]["missing"] == 1
    assert set(beta) >= {"figures", "by_organization", "completeness"}


@pytest.mark.parametrize(
    "query, field",
    [
        ("kind=ad_hoc&year=2026", "kind"),
        ("kind=yearly&year=2026&number=2", "number"),
        ("kind=quarterly&year=99999", "year"),
        ("kind=quarterly", "year"),
    ],
)
def test_bad_periods_are_422_with_the_field(pages, platform_account, query, field):
    platform_account("central")
    login_platform(pages, "central")
    api = pages.get(f"/api/v1/platform/national?{query}")
    assert api.status_code == 422
    assert field in api.get_json()["errors"]["query"]
    page = pages.get(f"/platform/national/?{query}")
    assert page.status_code == 422
    assert "has-error" in page.get_data(as_text=True)


def test_the_operator_reads_it_and_keeps_its_own_pages(pages, platform_account, national_world):
    platform_account("operator")
    assert login_platform(pages, "operator").headers["Location"].endswith("/platform/")
    for url in URLS:
        assert pages.get(url).status_code == 200, url
    assert "Tổng hợp toàn quốc" in text_of(pages.get("/platform/"))
    assert "vận hành hệ thống (chỉ xem)" in text_of(pages.get(URLS[0]))


def test_a_central_account_does_not_reach_the_operator_pages(pages, platform_account, db):
    platform_account("central")
    login_platform(pages, "central")
    assert pages.get("/platform/").status_code == 404
    assert pages.post("/platform/tenants/beta/suspend").status_code == 404
    assert pages.post("/platform/tenants/beta/resume").status_code == 404


@pytest.mark.parametrize("who", TENANT_USERS)
def test_no_tenant_session_reaches_any_url_of_it(pages, who, national_world):
    slug = "beta" if who == "y-admin" else "alpha"
    pages.login(slug, who)
    for url in URLS:
        assert pages.get(url).status_code == 404, url


@pytest.mark.parametrize("who", TENANT_USERS)
def test_no_tenant_api_token_reaches_any_url_of_it(client, api_token, who, national_world):
    token = api_token("beta" if who == "y-admin" else "alpha", who)
    for url in URLS:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 404, url


def test_anonymous_visitors_get_nothing(client, national_world):
    for url in URLS:
        assert client.get(url).status_code == 404, url


def test_strangers_get_404_before_their_query_is_even_read(client, api_token):
    token = api_token("alpha", "admin")
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = client.get("/api/v1/platform/national?kind=nope&year=x", headers=headers)
        assert response.status_code == 404
        assert "errors" not in response.get_json()


def test_users_create_central_from_the_command_line(settings, db):
    import subprocess
    import sys
    from pathlib import Path

    from sqlalchemy import create_engine, select
    from sqlalchemy.pool import NullPool

    from giamsat.tenancy.operators import PlatformOperator

    env = {"GIAMSAT_DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    giamsat = str(Path(sys.executable).with_name("giamsat"))
    argv = [giamsat, "users", "create", "--central", "--username", "cli-tw", "--full-name"]
    argv += ["Ban DCGS Trung ương", "--password-stdin"]
    engine = create_engine(settings.database_url, poolclass=NullPool)
    try:
        both = subprocess.run(
            [*argv, "--operator"], env=env, input="x\n", capture_output=True, text=True
        )
        assert both.returncode == 2 and "pick one" in both.stderr
        done = subprocess.run(
            argv, env=env, input="a-long-central-pass\n", capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "created central committee account 'cli-tw'" in done.stdout
        with engine.connect() as conn:
            role = conn.scalar(
                select(PlatformOperator.role).where(PlatformOperator.username == "cli-tw")
            )
        assert role == "central"
    finally:
        with engine.begin() as conn:
            conn.execute(
                PlatformOperator.__table__.delete().where(
                    PlatformOperator.__table__.c.username == "cli-tw"
                )
            )
        engine.dispose()
